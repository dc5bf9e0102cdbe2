import Foundation

/// Text folded for search: lower case, without accents, so that "MUÑOZ", "Muñoz" and
/// "munoz" find the same person, and "João" is found as "joao".
public enum SearchText {
    public static func fold(_ text: String) -> String {
        // ASCII is by far the most common case and needs no Unicode tables.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        // Then the accented letters of Spanish and Portuguese names, from a table that the
        // full fold made once; anything else goes the full way.
        var folded = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                let value = scalar.value
                folded.append((65...90).contains(value) ? Unicode.Scalar(UInt8(value + 32)) : scalar)
            } else if (0xC0...0x17F).contains(scalar.value) {
                folded.append(contentsOf: latinFolds[Int(scalar.value - 0xC0)].unicodeScalars)
            } else {
                return foldFully(text)
            }
        }
        return String(folded)
    }

    /// The fold of each letter from U+00C0 to U+017F (Latin-1 and Latin Extended-A).
    private static let latinFolds: [String] = (0xC0...0x17F).map { foldFully(String(Unicode.Scalar(UInt32($0))!)) }

    /// Decomposes, drops the combining marks, lowers the case.
    private static func foldFully(_ text: String) -> String {
        let decomposed = text.decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars).lowercased()
    }

    /// The words of a name, folded, joined by single spaces: the form stored for name search.
    /// Words end at a space, a hyphen or an apostrophe.
    public static func nameKey(_ parts: String?...) -> String {
        var key: [UInt8] = []
        key.reserveCapacity(64)
        for case var part? in parts {
            part.withUTF8 { appendNameKey(of: $0, to: &key) }
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// Appends the words of `part` (UTF-8), folded, to a name key being made in `key` from
    /// `keyStart` on, with a space before each word but the key's first. An import makes a
    /// key for every person, so the letters of Spanish and Portuguese names are folded from
    /// their bytes, through a table; a part with any other letter outside ASCII is folded the
    /// full way instead.
    public static func appendNameKey(of part: UnsafeBufferPointer<UInt8>, to key: inout [UInt8], keyStart: Int = 0) {
        appendWords(of: part, folded: false, to: &key, keyStart: keyStart)
    }

    /// `folded`: the part is folded already, and its bytes past ASCII are copied as they are.
    private static func appendWords(of part: UnsafeBufferPointer<UInt8>, folded: Bool, to key: inout [UInt8], keyStart: Int) {
        let before = key.count
        var inWord = false
        var index = 0
        while index < part.count {
            let byte = part[index]
            index += 1
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'") {
                inWord = false
                continue
            }
            if !inWord {
                if key.count > keyStart { key.append(UInt8(ascii: " ")) }
                inWord = true
            }
            if byte < 0x80 {
                key.append(byte >= 65 && byte <= 90 ? byte + 32 : byte)
                continue
            }
            if folded {
                key.append(byte)
                continue
            }
            // U+00C0 to U+017F are the two-byte sequences led by 0xC3 to 0xC5.
            if byte >= 0xC3, byte <= 0xC5, index < part.count, part[index] & 0xC0 == 0x80 {
                let scalar = Int(byte & 0x1F) << 6 | Int(part[index] & 0x3F)
                index += 1
                if scalar >= 0xC0 {
                    key.append(contentsOf: latinFoldBytes[scalar - 0xC0])
                    continue
                }
            }
            key.removeSubrange(before...)
            var text = fold(String(decoding: part, as: UTF8.self))
            text.withUTF8 { appendWords(of: $0, folded: true, to: &key, keyStart: keyStart) }
            return
        }
    }

    /// `latinFolds` as UTF-8.
    private static let latinFoldBytes: [[UInt8]] = latinFolds.map { Array($0.utf8) }
}

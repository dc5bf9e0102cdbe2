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
        // Made byte by byte, not by splitting strings: an import makes one for every person.
        var key: [UInt8] = []
        key.reserveCapacity(64)
        for case let part? in parts {
            if part.utf8.allSatisfy({ $0 < 0x80 }) {
                appendWords(of: part.utf8, lowering: true, to: &key)
            } else {
                appendWords(of: fold(part).utf8, lowering: false, to: &key)
            }
        }
        return String(decoding: key, as: UTF8.self)
    }

    private static func appendWords(of text: String.UTF8View, lowering: Bool, to key: inout [UInt8]) {
        var inWord = false
        for var byte in text {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'") {
                inWord = false
                continue
            }
            if !inWord {
                if !key.isEmpty { key.append(UInt8(ascii: " ")) }
                inWord = true
            }
            if lowering, byte >= 65, byte <= 90 { byte += 32 }
            key.append(byte)
        }
    }
}

/// How each kind of value is put in one form before records are compared, so that
/// "MUÑOZ", "Muñoz" and "munoz " agree, a date written two ways is one date, and the
/// particles of Spanish and Portuguese names do not count as surnames.
public enum LinkageText {
    /// Folded text: lower case, no accents, letters and digits only, single spaces.
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return foldASCII(text) }
        var words: [Substring] = []
        let folded = SearchText.fold(text)
        var current = ""
        func flush() {
            if !current.isEmpty { words.append(Substring(current)); current = "" }
        }
        for character in folded {
            if character.isLetter || character.isNumber { current.append(character) } else { flush() }
        }
        flush()
        return words.joined(separator: " ")
    }

    /// The same for ASCII text, byte by byte: most names once accents are typed or dropped.
    private static func foldASCII(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            let lowered = byte >= 65 && byte <= 90 ? byte + 32 : byte
            if (lowered >= 97 && lowered <= 122) || (lowered >= 48 && lowered <= 57) {
                if pendingSpace && !bytes.isEmpty { bytes.append(32) }
                pendingSpace = false
                bytes.append(lowered)
            } else {
                pendingSpace = true
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Words that join the parts of a name and are not names themselves:
    /// "María de los Ángeles", "de la Cruz", "da Silva", "dos Santos", "Pérez y Gómez".
    public static let particles: Set<Substring> = [
        "de", "del", "la", "las", "los", "da", "das", "do", "dos", "y", "e", "van", "von",
    ]

    /// The words of a name without its particles. A name made only of particles is kept
    /// as written, since "De" alone may be someone's whole surname.
    public static func nameWords(_ text: String?) -> [Substring] {
        guard let text else { return [] }
        let words = fold(text).split(separator: " ")
        let names = words.filter { !particles.contains($0) }
        return names.isEmpty ? words : names
    }

    /// Given names, all of them, in order: "José María" is `jose maria`.
    public static func givenNames(_ text: String?) -> String {
        nameWords(text).joined(separator: " ")
    }

    /// Surnames as one list of words, the first surname's before the second's.
    /// A married name written "López de Pérez" or "Costa Ferreira" is two surnames here,
    /// and the comparison of surnames accepts one of them missing on the other side.
    public static func surnames(_ first: String?, _ second: String?) -> String {
        (nameWords(first) + nameWords(second)).joined(separator: " ")
    }

    /// Letters and digits of an identifier, lower case: "1.032.456-789" is `1032456789`.
    public static func identifier(_ text: String?) -> String {
        guard let text else { return "" }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter {
            ($0.value >= 48 && $0.value <= 57) || ($0.value >= 65 && $0.value <= 90) || ($0.value >= 97 && $0.value <= 122)
        })).lowercased()
    }

    /// A date as eight digits `yyyymmdd`, from `yyyy-mm-dd`, `yyyymmdd`, `yyyy/mm/dd` or
    /// `dd/mm/yyyy`; empty when it is none of these. A date that is not a day of the
    /// calendar (month 13) is kept: it is most often a typo of the right one.
    public static func date(_ text: String?) -> String {
        guard let text else { return "" }
        let digits = text.filter(\.isASCII).filter(\.isNumber)
        let separated = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." || $0 == " " })
        let ordered: String
        if separated.count == 3, separated[2].count == 4, separated[0].count <= 2 {
            ordered = separated[2] + pad(separated[1]) + pad(separated[0])
        } else if separated.count == 3, separated[0].count == 4 {
            ordered = separated[0] + pad(separated[1]) + pad(separated[2])
        } else {
            ordered = String(digits)
        }
        guard ordered.count == 8, ordered.allSatisfy({ $0.isASCII && $0.isNumber }),
              let year = Int(ordered.prefix(4)), let month = Int(ordered.dropFirst(4).prefix(2)),
              let day = Int(ordered.suffix(2)), year > 0, month > 0, day > 0
        else { return "" }
        return ordered
    }

    private static func pad(_ part: Substring) -> String {
        part.count == 1 ? "0" + part : String(part)
    }
}

/// How each kind of value is put in one form before records are compared, so that
/// "MUÑOZ", "Muñoz" and "munoz " agree, a date written two ways is one date, and the
/// particles of Spanish and Portuguese names do not count as surnames.
public enum LinkageText {
    /// Folded text: lower case, no accents, letters and digits only, single spaces.
    public static func fold(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendFolded(text, to: &bytes, valueStart: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the folded words of `text` to a value that starts at `valueStart` in
    /// `bytes`, a space before each word but the value's first. A million persons are
    /// folded for every linkage run, so ASCII text, most of it, is folded byte by byte.
    static func appendFolded(_ text: String, to bytes: inout [UInt8], valueStart: Int) {
        var inWord = false
        func append(_ byte: UInt8) {
            if !inWord && bytes.count > valueStart { bytes.append(32) }
            inWord = true
            bytes.append(byte)
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 {
                let lowered = byte >= 65 && byte <= 90 ? byte + 32 : byte
                if (lowered >= 97 && lowered <= 122) || (lowered >= 48 && lowered <= 57) { append(lowered) } else { inWord = false }
            }
        } else {
            for character in SearchText.fold(text) {
                if character.isLetter || character.isNumber {
                    for byte in character.utf8 { append(byte) }
                } else {
                    inWord = false
                }
            }
        }
    }

    /// Words that join the parts of a name and are not names themselves:
    /// "María de los Ángeles", "de la Cruz", "da Silva", "dos Santos", "Pérez y Gómez".
    public static let particles: Set<Substring> = [
        "de", "del", "la", "las", "los", "da", "das", "do", "dos", "y", "e", "van", "von",
    ]

    /// Given names, all of them, in order: "José María" is `jose maria`.
    public static func givenNames(_ text: String?) -> String {
        var bytes: [UInt8] = []
        appendName(text, to: &bytes, valueStart: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Surnames as one list of words, the first surname's before the second's.
    /// A married name written "López de Pérez" or "Costa Ferreira" is two surnames here,
    /// and the comparison of surnames accepts one of them missing on the other side.
    public static func surnames(_ first: String?, _ second: String?) -> String {
        var bytes: [UInt8] = []
        appendName(first, to: &bytes, valueStart: 0)
        appendName(second, to: &bytes, valueStart: 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the words of a name, without its particles, to a value that starts at
    /// `valueStart` in `bytes`. A name made only of particles is kept as written, since
    /// "De" alone may be someone's whole surname.
    static func appendName(_ text: String?, to bytes: inout [UInt8], valueStart: Int) {
        guard let text else { return }
        var folded: [UInt8] = []
        appendFolded(text, to: &folded, valueStart: 0)
        let words = folded.split(separator: 32)
        let names = words.filter { word in !particleBytes.contains { $0.elementsEqual(word) } }
        for word in names.isEmpty ? words : names {
            if bytes.count > valueStart { bytes.append(32) }
            bytes.append(contentsOf: word)
        }
    }

    private static let particleBytes: [[UInt8]] = particles.map { Array($0.utf8) }

    /// Letters and digits of an identifier, lower case: "1.032.456-789" is `1032456789`.
    public static func identifier(_ text: String?) -> String {
        var bytes: [UInt8] = []
        appendIdentifier(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes of other scripts are never ASCII letters or digits, so this needs no decoding.
    static func appendIdentifier(_ text: String?, to bytes: inout [UInt8]) {
        guard let text else { return }
        for byte in text.utf8 {
            if (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 122) { bytes.append(byte) }
            else if byte >= 65 && byte <= 90 { bytes.append(byte + 32) }
        }
    }

    /// A date as eight digits `yyyymmdd`, from `yyyy-mm-dd`, `yyyymmdd`, `yyyy/mm/dd` or
    /// `dd/mm/yyyy`; empty when it is none of these. A date that is not a day of the
    /// calendar (month 13) is kept: it is most often a typo of the right one.
    public static func date(_ text: String?) -> String {
        var bytes: [UInt8] = []
        appendDate(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `yyyy-mm-dd`, the exchange format's own form, is read from its bytes; other forms
    /// the longer way.
    static func appendDate(_ text: String?, to bytes: inout [UInt8]) {
        guard let text else { return }
        let isoDay = text.utf8.withContiguousStorageIfAvailable { date -> Bool in
            guard date.count == 10, date[4] == 45, date[7] == 45 else { return false }
            for index in 0..<10 where index != 4 && index != 7 {
                guard date[index] >= 48 && date[index] <= 57 else { return false }
            }
            // Year, month and day above zero, as for the other forms.
            guard date[0..<4].contains(where: { $0 != 48 }), date[5] != 48 || date[6] != 48, date[8] != 48 || date[9] != 48
            else { return false }
            bytes.append(contentsOf: date[0..<4])
            bytes.append(contentsOf: date[5..<7])
            bytes.append(contentsOf: date[8..<10])
            return true
        }
        if isoDay != true { bytes.append(contentsOf: spelledDate(text).utf8) }
    }

    private static func spelledDate(_ text: String) -> String {
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

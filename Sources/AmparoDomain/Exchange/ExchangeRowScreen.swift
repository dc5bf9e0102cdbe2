/// Passes the rows of households.csv and individuals.csv that are certainly good, reading
/// their bytes, and sends every other row the full way, through `ExchangeRowReader`.
///
/// An import checks millions of rows, nearly all good; making text and answers for each
/// cell only to learn that was most of its work. The screen is conservative: it passes a
/// row only when every cell is one the full reading accepts, and when a cell is anything
/// unusual (white space at an end, a `+5`, a long name) it asks the full reading about that
/// cell. The reasons a row is refused, and their words, come only from `ExchangeRowReader`,
/// so there is one set of rules.
public struct ExchangeRowScreen: Sendable {
    /// What a column must hold, as the screen tests it: nothing in it is counted by
    /// reference, so testing millions of cells copies no list and counts no reference.
    struct Rule: Sendable {
        enum Test: UInt8, Sendable {
            /// A source key: required, at most 64 characters, no control characters.
            case key
            case relationship
            /// A column the format does not know, kept as an extra attribute.
            case extra
            /// A column the format knows but the rows do not read.
            case unread
            // The kinds of answer (`Questionnaire.Kind`).
            case code, openCode, integer, flag, date, money, text, phone, email, coordinate
        }

        var test: Test
        /// An integer's bounds; a text's longest length, and a coordinate's largest size, are `high`.
        var low: Int64 = 0
        var high: Int64 = 0
        /// A list of codes, as a range of the screen's `codes`.
        var codes: Range<Int> = 0..<0

        init(_ test: Test) {
            self.test = test
        }

        /// The rule of a closed list of codes, which are appended to `codes`.
        init(_ test: Test, list: [String], codes: inout [Range<Int>], bytes: inout [UInt8]) {
            self.test = test
            let first = codes.count
            for code in list {
                bytes.append(contentsOf: code.utf8)
                codes.append(bytes.count - code.utf8.count..<bytes.count)
            }
            self.codes = first..<codes.count
        }

        /// The rule of an answer of `kind`, whose codes (if any) are appended to `codes`.
        init(_ kind: Questionnaire.Kind, codes: inout [Range<Int>], bytes: inout [UInt8]) {
            switch kind {
            case .code(let list):
                self = Rule(.code, list: list, codes: &codes, bytes: &bytes)
            case .integer(let min, let max):
                test = .integer
                (low, high) = (min, max)
            case .text(let maxLength):
                test = .text
                high = Int64(maxLength)
            case .openCode: test = .openCode
            case .flag: test = .flag
            case .date: test = .date
            case .money: test = .money
            case .phone: test = .phone
            case .email: test = .email
            case .latitude:
                test = .coordinate
                high = 90
            case .longitude:
                test = .coordinate
                high = 180
            }
        }
    }

    /// The screen's tables, shared by its copies: a copy, which a caller holding the screen
    /// in an optional makes for every row, then counts one reference rather than one a table.
    private final class Tables: Sendable {
        let rules: [Rule]
        /// Each column's kind of answer, for the cells only the full reading can judge.
        let kinds: [Questionnaire.Kind?]
        /// The codes of every list, as ranges of `codeBytes`.
        let codes: [Range<Int>]
        let codeBytes: [UInt8]
        /// The column of each of the questionnaire's fields of the file's rows, -1 when none.
        let fieldColumns: [Int]

        init(rules: [Rule], kinds: [Questionnaire.Kind?], codes: [Range<Int>], codeBytes: [UInt8], fieldColumns: [Int]) {
            (self.rules, self.kinds, self.codes, self.codeBytes, self.fieldColumns) = (rules, kinds, codes, codeBytes, fieldColumns)
        }
    }

    private let tables: Tables
    private let width: Int
    private let refColumn: Int
    private let parentColumn: Int
    /// Whether the file has columns kept as extra attributes, which only the full reading gathers.
    private let hasExtras: Bool

    /// A screen for households.csv, whose refs are `household_ref` and `area_code`.
    public init(households layout: ColumnLayout, questionnaire: Questionnaire) {
        self.init(layout: layout, fields: questionnaire.householdFields, keys: ["household_ref", "area_code"], relationship: false)
    }

    /// A screen for individuals.csv, whose refs are `person_ref` and `household_ref`.
    public init(individuals layout: ColumnLayout, questionnaire: Questionnaire) {
        self.init(layout: layout, fields: questionnaire.individualFields, keys: ["person_ref", "household_ref"], relationship: true)
    }

    private init(layout: ColumnLayout, fields: [Questionnaire.Field], keys: [String], relationship: Bool) {
        var rules = [Rule](repeating: Rule(.unread), count: layout.header.count)
        var kinds = [Questionnaire.Kind?](repeating: nil, count: layout.header.count)
        var codes: [Range<Int>] = []
        var codeBytes: [UInt8] = []
        for extra in layout.extras { rules[extra.index] = Rule(.extra) }
        for field in fields {
            guard let column = layout.index(of: field.name) else { continue }
            rules[column] = Rule(field.kind, codes: &codes, bytes: &codeBytes)
            kinds[column] = field.kind
        }
        if relationship, let index = layout.index(of: "relationship") {
            rules[index] = Rule(.relationship, list: Relationship.allCases.map(\.rawValue), codes: &codes, bytes: &codeBytes)
        }
        for key in keys { rules[layout.index(of: key)!] = Rule(.key) }
        tables = Tables(rules: rules, kinds: kinds, codes: codes, codeBytes: codeBytes,
                        fieldColumns: fields.map { layout.index(of: $0.name) ?? -1 })
        width = layout.header.count
        refColumn = layout.index(of: keys[0])!
        parentColumn = layout.index(of: keys[1])!
        hasExtras = !layout.extras.isEmpty
    }

    /// The row's ref and the ref it points to (its area, or its household), when the row is
    /// certainly good; nil when it must be read the full way.
    public func pass(_ cells: CSVParser.Cells) -> (ref: UnsafeBufferPointer<UInt8>, parent: UnsafeBufferPointer<UInt8>)? {
        guard cells.malformation == nil, cells.count == width else { return nil }
        for index in 0..<width {
            guard passes(cells[index], tables.rules[index], column: index) else { return nil }
        }
        return (cells[refColumn], cells[parentColumn])
    }

    /// One answer of a row that passed, as the registry stores it; what the full reading
    /// would give, without a string or an `Answer` for the cells that need neither.
    public enum StoredAnswer {
        case missing
        /// A text stored as these bytes, which last only as long as the call that hands them over.
        case text(UnsafeBufferPointer<UInt8>)
        case integer(Int64)
        /// An answer read the full way, for a cell the bytes alone could not settle.
        case answer(Answer)
    }

    /// Puts in `stored` the answers of a row that `pass` passed, in the order of the
    /// questionnaire's fields; their texts point into `cells`, so they last only as long as
    /// the call that hands the cells over. False when the row must be read the full way (it
    /// has extra attributes, or a cell the full reading refuses). `stored` is emptied first
    /// and keeps its room, so that a reader of millions of rows makes one array, not one a row.
    public func answers(_ cells: CSVParser.Cells, into stored: inout [StoredAnswer]) -> Bool {
        stored.removeAll(keepingCapacity: true)
        guard !hasExtras else { return false }
        for column in tables.fieldColumns {
            guard column >= 0, column < cells.count else {
                stored.append(.missing)
                continue
            }
            let cell = cells[column]
            if cell.isEmpty {
                stored.append(.missing)
            } else if let plain = Self.plainAnswer(cell, tables.rules[column].test) {
                stored.append(plain)
            } else {
                // Only here is the kind copied out, which counts a reference to its codes.
                guard let kind = tables.kinds[column] else { return false }
                switch kind.answer(from: String(decoding: cell, as: UTF8.self).trimmingWhitespace()) {
                case .success(let answer?): stored.append(.answer(answer))
                case .success(nil): stored.append(.missing)
                case .failure: return false
                }
            }
        }
        return true
    }

    /// The stored answer of a cell whose bytes are already in the form the registry keeps:
    /// nothing to trim, and a value the screen has checked.
    private static func plainAnswer(_ cell: UnsafeBufferPointer<UInt8>, _ test: Rule.Test) -> StoredAnswer? {
        guard hasPlainEnds(cell) else { return nil }
        switch test {
        case .text, .code, .openCode, .phone, .email: return .text(cell)
        case .integer, .flag: return plainInteger(cell).map { .integer($0) }
        // `YYYY-MM-DD` exactly, as a date is stored.
        case .date: return CalendarDate(isoUTF8: cell) != nil ? .text(cell) : nil
        case .money: return Questionnaire.Kind.hundredths(utf8: cell).map { .answer(.money(hundredths: $0)) }
        case .coordinate: return Questionnaire.Kind.plainDecimal(utf8: cell).map { .answer(.real($0)) }
        case .key, .relationship, .extra, .unread: return nil
        }
    }

    private func passes(_ cell: UnsafeBufferPointer<UInt8>, _ rule: Rule, column: Int) -> Bool {
        let ascii = !cell.contains { $0 >= 0x80 }
        guard ascii || UTF8Check.isValid(cell) else { return false }
        switch rule.test {
        case .unread:
            return true
        case .extra:
            // Trimming only shortens; the full reading counts characters, never more than bytes.
            return cell.count <= 1_000
        case .key:
            // A key is stored as given: white space at an end would be trimmed, so it goes the full way.
            return !cell.isEmpty && cell.count <= 64 && Self.hasPlainEnds(cell) && !cell.contains { $0 < 32 }
        case .relationship:
            return isCode(cell, among: rule.codes)
        case .code, .openCode, .integer, .flag, .date, .money, .text, .phone, .email, .coordinate:
            if cell.isEmpty { return true }
            if let verdict = verdict(cell, rule, ascii: ascii) { return verdict }
            // Not plain enough to judge from the bytes: ask the full reading about this cell.
            guard let kind = tables.kinds[column] else { return false }
            return (try? kind.answer(from: String(decoding: cell, as: UTF8.self).trimmingWhitespace()).get()) != nil
        }
    }

    /// Whether the cell certainly answers its question; nil when only the full reading can tell.
    private func verdict(_ cell: UnsafeBufferPointer<UInt8>, _ rule: Rule, ascii: Bool) -> Bool? {
        if rule.test == .text {
            // Untrimmed, a cell that fits and has no control characters fits trimmed too.
            return cell.count <= rule.high && !cell.contains { $0 < 32 && $0 != 9 } ? true : nil
        }
        // Every other answer is ASCII with nothing to trim; anything else goes the full way.
        guard ascii, Self.hasPlainEnds(cell) else { return nil }
        switch rule.test {
        case .code: return isCode(cell, among: rule.codes) ? true : nil
        case .openCode: return Questionnaire.Kind.isOpenCode(utf8: cell) ? true : nil
        case .flag: return cell.count == 1 && (cell[0] == UInt8(ascii: "0") || cell[0] == UInt8(ascii: "1")) ? true : nil
        case .integer:
            guard let value = Self.plainInteger(cell) else { return nil }
            return value >= rule.low && value <= rule.high ? true : nil
        case .date:
            guard let date = CalendarDate(isoUTF8: cell) else { return nil }
            return (1880...2200).contains(date.year) ? true : nil
        case .money:
            guard let hundredths = Questionnaire.Kind.hundredths(utf8: cell) else { return nil }
            return hundredths >= 0 ? true : nil
        case .phone: return Questionnaire.Kind.isPhone(utf8: cell) ? true : nil
        case .email: return cell.count <= 254 && Questionnaire.Kind.isEmailShape(utf8: cell) ? true : nil
        case .coordinate:
            guard let value = Questionnaire.Kind.plainDecimal(utf8: cell) else { return nil }
            return abs(value) <= Double(rule.high) ? true : nil
        case .text, .key, .relationship, .extra, .unread: return nil
        }
    }

    /// Whether the cell is one of the codes of `list`, a range of `codes`.
    private func isCode(_ cell: UnsafeBufferPointer<UInt8>, among list: Range<Int>) -> Bool {
        tables.codeBytes.withUnsafeBufferPointer { bytes in
            list.contains { UnsafeBufferPointer(rebasing: bytes[tables.codes[$0]]).elementsEqual(cell) }
        }
    }

    /// Digits with an optional leading minus, short enough not to overflow.
    private static func plainInteger(_ cell: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = cell.first == UInt8(ascii: "-")
        let digits = negative ? cell.count - 1 : cell.count
        guard (1...18).contains(digits) else { return nil }
        var value: Int64 = 0
        for byte in cell.dropFirst(negative ? 1 : 0) {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int64(byte - 48)
        }
        return negative ? -value : value
    }

    /// Neither end is white space or a byte of a longer character.
    private static func hasPlainEnds(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = cell.first, let last = cell.last else { return true }
        func plain(_ byte: UInt8) -> Bool { byte > 32 && byte < 0x80 }
        return plain(first) && plain(last)
    }
}

/// Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF), checked without making a string.
public enum UTF8Check {
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard index + length <= count else { return false }
            let second = bytes[index + 1]
            guard second >= low, second <= high else { return false }
            for offset in 2..<max(2, length) {
                guard bytes[index + offset] & 0xC0 == 0x80 else { return false }
            }
            index += length
        }
        return true
    }
}

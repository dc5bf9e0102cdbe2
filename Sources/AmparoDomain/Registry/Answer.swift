/// A validated answer to one question of the questionnaire.
///
/// An answer that is not known is not an `Answer` at all but `nil`: an empty cell is never zero.
public enum Answer: Sendable, Hashable {
    /// Codes, text, telephone numbers and e-mail addresses.
    case text(String)
    /// Whole numbers and `0`/`1` flags.
    case integer(Int64)
    /// Money, in hundredths of the currency unit, so that sums stay exact.
    case money(hundredths: Int64)
    /// Coordinates.
    case real(Double)
    /// An ISO 8601 calendar date.
    case date(CalendarDate)

    /// The answer as the exchange format writes it.
    public var exchangeText: String {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .money(let hundredths): Answer.formatHundredths(hundredths)
        case .real(let value): String(value)
        case .date(let date): date.description
        }
    }

    static func formatHundredths(_ hundredths: Int64) -> String {
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}

/// A day of the proleptic Gregorian calendar, without time or zone, as the registry records birth dates.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil for a day that does not exist, such as 2024-02-30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD` exactly.
    public init?(iso text: String) {
        self.init(isoUTF8: text.utf8)
    }

    /// Reads `YYYY-MM-DD` exactly, from its UTF-8 bytes.
    ///
    /// Inlinable so that a caller in another module gets it made for its own kind of bytes:
    /// left generic, each call looked type metadata up at run time, about a twelfth of the
    /// client's time while an import wrote households.
    @inlinable
    public init?(isoUTF8 bytes: some Collection<UInt8>) {
        guard bytes.count == 10 else { return nil }
        var fields = (0, 0, 0)
        for (offset, byte) in bytes.enumerated() {
            if offset == 4 || offset == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard byte >= 48, byte <= 57 else { return nil }
            let digit = Int(byte - 48)
            switch offset {
            case 0..<4: fields.0 = fields.0 * 10 + digit
            case 5..<7: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
        }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Whole years from this date to `date`: a person's age on that day.
    public func years(until date: CalendarDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Questionnaire.Kind {
    /// Reads one cell of the exchange format: nil when the cell is empty (not known),
    /// a reason in words when the value does not fit the question.
    public func answer(from cell: String) -> Result<Answer?, AnswerRefusal> {
        if cell.isEmpty { return .success(nil) }
        switch self {
        case .code(let codes):
            guard codes.contains(cell) else {
                return .failure(.init(.notACode(expected: codes.joined(separator: ", "))))
            }
            return .success(.text(cell))
        case .openCode:
            guard Self.isOpenCode(utf8: cell.utf8) else {
                return .failure(.init(.badOpenCode))
            }
            return .success(.text(cell))
        case .integer(let min, let max):
            guard let value = Int64(cell) else { return .failure(.init(.notAWholeNumber)) }
            if value < min { return .failure(.init(.atLeast(min))) }
            if value > max { return .failure(.init(.atMost(max))) }
            return .success(.integer(value))
        case .flag:
            switch cell {
            case "0": return .success(.integer(0))
            case "1": return .success(.integer(1))
            default: return .failure(.init(.notAFlag))
            }
        case .date:
            guard let date = CalendarDate(iso: cell) else {
                return .failure(.init(.notADate))
            }
            guard (1880...2200).contains(date.year) else { return .failure(.init(.yearOutOfRange)) }
            return .success(.date(date))
        case .money:
            guard let hundredths = Self.hundredths(cell) else {
                return .failure(.init(.notAnAmount))
            }
            if hundredths < 0 { return .failure(.init(.negativeAmount)) }
            return .success(.money(hundredths: hundredths))
        case .text(let maxLength):
            // Counting bytes first spares counting characters: a cell of few bytes has few characters.
            guard cell.utf8.count <= maxLength || cell.count <= maxLength else {
                return .failure(.init(.longerThan(maxLength)))
            }
            // Below 32, UTF-8 bytes are only ever the control characters themselves.
            guard !cell.utf8.contains(where: { $0 < 32 && $0 != 9 }) else {
                return .failure(.init(.controlCharacters))
            }
            return .success(.text(cell))
        case .phone:
            guard Self.isPhone(utf8: cell.utf8) else { return .failure(.init(.notAPhone)) }
            return .success(.text(cell))
        case .email:
            guard Self.isEmail(cell) else { return .failure(.init(.notAnEmail)) }
            return .success(.text(cell))
        case .latitude, .longitude:
            let bound: Double = self == .latitude ? 90 : 180
            guard let value = Double(cell), value.isFinite else { return .failure(.init(.notADecimal)) }
            guard abs(value) <= bound else { return .failure(.init(.outsideBounds(Int(bound)))) }
            return .success(.real(value))
        }
    }

    /// One `@` between a name and a domain with a dot inside it, no white space, at most
    /// 254 characters.
    static func isEmail(_ cell: String) -> Bool {
        let bytes = cell.utf8
        guard bytes.count <= 254 || cell.count <= 254, isEmailShape(utf8: bytes) else { return false }
        // White space beyond ASCII (a no-break space, an ideographic space) needs the characters.
        return bytes.allSatisfy { $0 < 0x80 } || !cell.contains(where: { $0.isWhitespace })
    }

    /// The shape of an e-mail address in bytes: one `@` after at least one byte, a dot in the
    /// domain but not at either end of it, no ASCII white space.
    static func isEmailShape(utf8 bytes: some Collection<UInt8>) -> Bool {
        var at: Int?
        var dotInDomain = false
        var last: UInt8 = 0
        var afterAt: UInt8?
        for (offset, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "@") {
                guard at == nil, offset > 0 else { return false }
                at = offset
            } else if byte == 32 || (byte >= 9 && byte <= 13) {
                return false
            } else if at != nil {
                if afterAt == nil { afterAt = byte }
                if byte == UInt8(ascii: ".") { dotInDomain = true }
            }
            last = byte
        }
        return at != nil && dotInDomain && afterAt != UInt8(ascii: ".") && last != UInt8(ascii: ".")
    }

    /// `+` optionally, then 6 to 15 digits.
    static func isPhone(utf8 bytes: some Collection<UInt8>) -> Bool {
        let digits = bytes.first == UInt8(ascii: "+") ? bytes.count - 1 : bytes.count
        return (6...15).contains(digits) && bytes.enumerated().allSatisfy { offset, byte in
            (offset == 0 && byte == UInt8(ascii: "+")) || (byte >= 48 && byte <= 57)
        }
    }

    static func isOpenCode(utf8 bytes: some Collection<UInt8>) -> Bool {
        bytes.count <= 40 && bytes.allSatisfy(isCodeByte)
    }

    private static func isCodeByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 95 || byte == 45
    }

    /// Parses `123`, `123.4` or `123.45` (and a leading minus) into hundredths, exactly.
    public static func hundredths(_ text: String) -> Int64? {
        hundredths(utf8: text.utf8)
    }

    /// A plain decimal such as `-1.71637` (an optional minus, digits, a point and digits, at
    /// most fifteen digits in all) read as `Double(_:)` reads it, without making a string:
    /// the digits and the power of ten are both exact doubles, and a division rounds
    /// correctly, so the quotient is the double nearest the decimal. Nil for any other form.
    static func plainDecimal(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let negative = bytes.first == UInt8(ascii: "-")
        var digits: UInt64 = 0, count = 0, fraction = 0
        var point: Int?
        for (offset, byte) in bytes.enumerated() where !(negative && offset == 0) {
            if byte == UInt8(ascii: "."), point == nil {
                point = count
            } else if byte >= 48, byte <= 57 {
                count += 1
                guard count <= 15 else { return nil }
                digits = digits * 10 + UInt64(byte - 48)
                if point != nil { fraction += 1 }
            } else {
                return nil
            }
        }
        guard count > 0 else { return nil }
        var value = Double(digits)
        if let point {
            guard point > 0, fraction > 0 else { return nil }
            value /= Self.powersOfTen[fraction]
        }
        return negative ? -value : value
    }

    /// Ten to the powers 0 to 15, each exact as a double.
    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

    static func hundredths(utf8 bytes: some Collection<UInt8>) -> Int64? {
        var negative = false
        var whole: Int64 = 0, wholeDigits = 0
        var cents: Int64 = 0, fractionDigits = 0
        var inFraction = false
        for (offset, byte) in bytes.enumerated() {
            if offset == 0, byte == UInt8(ascii: "-") {
                negative = true
            } else if byte == UInt8(ascii: "."), !inFraction {
                inFraction = true
            } else if byte >= 48, byte <= 57 {
                if inFraction {
                    fractionDigits += 1
                    cents = cents * 10 + Int64(byte - 48)
                } else {
                    wholeDigits += 1
                    guard wholeDigits <= 15 else { return nil }
                    whole = whole * 10 + Int64(byte - 48)
                }
            } else {
                return nil
            }
        }
        guard wholeDigits > 0, !inFraction || (1...2).contains(fractionDigits) else { return nil }
        if fractionDigits == 1 { cents *= 10 }
        let total = whole * 100 + cents
        return negative ? -total : total
    }
}

/// Why a cell does not answer its question, in words.
public struct AnswerRefusal: Error, Sendable, Equatable {
    public let message: ImportMessage
    /// The reason in English.
    public var reason: String { message.english }
    public init(_ message: ImportMessage) { self.message = message }
}

import Foundation

/// One stored value as a database hands it over, before it is a fact: text is the database's
/// own bytes, valid only while the row is.
public enum FactCell {
    case null
    case integer(Int64)
    case real(Double)
    case text(UnsafeRawBufferPointer)
}

/// Turns stored values straight into the facts of a `FactLayout`, without making an `Answer`
/// or a `String` of each: a whole-registry run reads millions of cells, and a code is found
/// by comparing its bytes, a birth date becomes an age by reading its digits.
///
/// It gives exactly what `FactLayout.fact` gives for the same answer; values it has no fast
/// road for take that road. A class, so that handing it to the reader of each cell copies
/// one reference and not its tables.
public final class FactDecoder: Sendable {
    private let layout: FactLayout
    private let referenceDate: CalendarDate
    private let householdRoads: [Road]
    private let memberRoads: [Road]
    /// The codes of every `.codes` road, one after another, and where each starts (with the
    /// end of the last after it): flat, so that reading a cell copies nothing the runtime counts.
    private let codeBytes: [UInt8]
    private let codeStarts: [Int]

    /// How a slot's cells become facts. Without a payload the runtime counts: each cell
    /// copies its road.
    private struct Road: Sendable {
        enum Kind: Sendable { case number, coordinate, codes, age, other }
        var kind: Kind
        /// For `.codes`: the first of its codes in `codeStarts`, and how many there are.
        var firstCode = 0
        var codeCount = 0
    }

    public init(layout: FactLayout, referenceDate: CalendarDate) {
        self.layout = layout
        self.referenceDate = referenceDate
        var bytes: [UInt8] = []
        var starts: [Int] = []
        func road(_ field: Questionnaire.Field) -> Road {
            if field == FactLayout.age { return Road(kind: .age) }
            switch field.kind {
            case .integer, .flag: return Road(kind: .number)
            case .latitude, .longitude: return Road(kind: .coordinate)
            case .code(let codes):
                let first = starts.count
                for code in codes {
                    starts.append(bytes.count)
                    bytes.append(contentsOf: code.utf8)
                }
                return Road(kind: .codes, firstCode: first, codeCount: codes.count)
            default: return Road(kind: .other)
            }
        }
        householdRoads = layout.householdFields.map(road)
        memberRoads = layout.memberFields.map(road)
        starts.append(bytes.count)
        codeBytes = bytes
        codeStarts = starts
    }

    /// The fact of household slot `slot`.
    public func household(_ slot: Int, _ cell: FactCell) -> Int64 {
        fact(cell, householdRoads[slot]) { layout.householdFields[slot] }
    }

    /// The fact of member slot `slot`; slot 0, the age, is read from the birth date.
    public func member(_ slot: Int, _ cell: FactCell) -> Int64 {
        fact(cell, memberRoads[slot]) { layout.memberFields[slot] }
    }

    private func fact(_ cell: FactCell, _ road: Road, _ field: () -> Questionnaire.Field) -> Int64 {
        switch (road.kind, cell) {
        case (_, .null):
            return HouseholdFacts.missing
        case (.number, .integer(let value)):
            return value
        case (.number, .text(let bytes)):
            return Self.integer(bytes) ?? slowFact(cell, field())
        case (.coordinate, .real(let degrees)):
            return layout.fact(.real(degrees), of: field(), referenceDate: referenceDate)
        case (.codes, .text(let bytes)):
            guard !bytes.isEmpty else { return HouseholdFacts.missing }
            return codeBytes.withUnsafeBytes { codes in
                codeStarts.withUnsafeBufferPointer { starts in
                    for index in 0..<road.codeCount {
                        let start = starts[road.firstCode + index], end = starts[road.firstCode + index + 1]
                        if end - start == bytes.count && memcmp(codes.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0 {
                            return Int64(index)
                        }
                    }
                    return HouseholdFacts.missing
                }
            }
        case (.age, .text(let bytes)):
            guard let date = Self.date(bytes) else { return HouseholdFacts.missing }
            return layout.fact(.date(date), of: field(), referenceDate: referenceDate)
        default:
            return slowFact(cell, field())
        }
    }

    /// Any other value: read as the exchange format would, then as `FactLayout` does.
    private func slowFact(_ cell: FactCell, _ field: Questionnaire.Field) -> Int64 {
        let text: String
        switch cell {
        case .null: return HouseholdFacts.missing
        case .integer(let value): text = String(value)
        case .real(let value): text = String(value)
        case .text(let bytes): text = String(decoding: bytes, as: UTF8.self)
        }
        let answer: Answer?
        switch field.kind {
        case .code, .openCode, .text, .phone, .email: answer = .text(text)
        default:
            guard case .success(let parsed) = field.kind.answer(from: text) else { return HouseholdFacts.missing }
            answer = parsed
        }
        return layout.fact(answer, of: field, referenceDate: referenceDate)
    }

    /// A whole number written in decimal digits, with a minus sign or not; nil for anything
    /// else (or too long to be sure of), which takes the slow road.
    private static func integer(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let negative = bytes.first == UInt8(ascii: "-")
        let digits = negative ? bytes.count - 1 : bytes.count
        guard digits > 0 && digits <= 18 else { return nil }
        var value: Int64 = 0
        for index in (negative ? 1 : 0)..<bytes.count {
            let digit = Int64(bytes[index]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return negative ? -value : value
    }

    /// A date written `YYYY-MM-DD`, read digit by digit; nil unless it is a real day.
    private static func date(_ bytes: UnsafeRawBufferPointer) -> CalendarDate? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}

import Foundation
import Testing
@testable import AmparoDomain

@Suite("Answers to the questionnaire")
struct AnswerTests {
    func refusal(_ kind: Questionnaire.Kind, _ cell: String) -> String? {
        if case .failure(let refusal) = kind.answer(from: cell) { return refusal.reason }
        return nil
    }

    @Test func datesMustExist() {
        #expect(Questionnaire.Kind.date.answer(from: "2024-02-29") == .success(.date(CalendarDate(year: 2024, month: 2, day: 29)!)))
        #expect(refusal(.date, "2024-02-30") != nil)
        #expect(refusal(.date, "2023-02-29") != nil)
        #expect(refusal(.date, "1900-02-29") != nil)  // not a leap year: divisible by 100
        #expect(Questionnaire.Kind.date.answer(from: "2000-02-29") == .success(.date(CalendarDate(year: 2000, month: 2, day: 29)!)))
        #expect(refusal(.date, "2024-2-3") != nil)
        #expect(refusal(.date, "31/12/2024") != nil)
    }

    @Test func emptyIsNotKnownNeverZero() {
        #expect(Questionnaire.Kind.integer(min: 0, max: 100).answer(from: "") == .success(nil))
        #expect(Questionnaire.Kind.flag.answer(from: "") == .success(nil))
    }

    @Test func numbersWithinBounds() {
        let rooms = Questionnaire.Kind.integer(min: 0, max: 100)
        #expect(rooms.answer(from: "0") == .success(.integer(0)))
        #expect(refusal(rooms, "-2") == "must be at least 0")
        #expect(refusal(rooms, "101") == "must be at most 100")
        #expect(refusal(rooms, "2.5") == "is not a whole number")
        #expect(refusal(.flag, "2") == "must be 0 or 1")
        #expect(refusal(.flag, "yes") == "must be 0 or 1")
    }

    @Test("a plain decimal read from its bytes is the double Double(_:) reads, and any other form is left to it")
    func plainDecimalsAsDoubleReadsThem() {
        func plain(_ text: String) -> Double? {
            var text = text
            return text.withUTF8 { Questionnaire.Kind.plainDecimal(utf8: $0) }
        }
        var random = SystemRandomNumberGenerator()
        var cases = ["0", "-0", "0.0", "90", "-76.55409", "-1.71637", "179.999999999999", "0.1", "0.3", "123456789012345",
                     "1.00000000000001", "-0.00000000000001"]
        for _ in 0..<20_000 {
            // Up to fifteen digits (a zero may lead a fraction), split anywhere by the point, with or without a minus.
            let digits = String((0..<Int.random(in: 1...14, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
            let split = Int.random(in: 0...digits.count, using: &random)
            let whole = digits.prefix(split), fraction = digits.dropFirst(split)
            let sign = Bool.random(using: &random) ? "-" : ""
            cases.append(sign + (fraction.isEmpty ? digits : (whole.isEmpty ? "0" : String(whole)) + "." + fraction))
        }
        for text in cases {
            let read = plain(text)
            #expect(read != nil && read!.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
        for other in ["", "-", ".5", "5.", "1.2.3", "+5", "1e5", " 5", "1234567890123456", "nan", "0x10", "5-"] {
            #expect(plain(other) == nil, "\(other)")
        }
    }

    @Test func moneyIsExact() {
        #expect(Questionnaire.Kind.money.answer(from: "1250000.50") == .success(.money(hundredths: 125_000_050)))
        #expect(Questionnaire.Kind.money.answer(from: "0.1") == .success(.money(hundredths: 10)))
        #expect(Answer.money(hundredths: 125_000_050).exchangeText == "1250000.50")
        #expect(Answer.money(hundredths: 5).exchangeText == "0.05")
        #expect(refusal(.money, "12.345") != nil)
        #expect(refusal(.money, "-5") == "must not be negative")
        #expect(refusal(.money, "1,5") != nil)
    }

    @Test func codesAndContacts() {
        let zone = Questionnaire.Kind.code(["urban", "rural"])
        #expect(zone.answer(from: "rural") == .success(.text("rural")))
        #expect(refusal(zone, "Rural")?.contains("expected one of urban, rural") == true)
        #expect(refusal(.openCode, "Indígena") != nil)
        #expect(refusal(.phone, "+57 300") != nil)
        #expect(Questionnaire.Kind.phone.answer(from: "+573001234567") == .success(.text("+573001234567")))
        #expect(refusal(.email, "maria@") != nil)
        for good in ["maria@correo.example", "joão.muñoz@correo.example", "a@b.c"] {
            #expect(Questionnaire.Kind.email.answer(from: good) == .success(.text(good)), "\(good)")
        }
        for bad in ["@correo.example", "maria@@correo.example", "maria@correo", "maria@.correo", "maria@correo.",
                    "ma ria@correo.example", "maria@correo\t.example", "maria\u{3000}@correo.example",
                    "maria@correo.example@otro.example", String(repeating: "a", count: 250) + "@b.co"] {
            #expect(refusal(.email, bad) == "is not an e-mail address", "\(bad)")
        }
        #expect(refusal(.latitude, "91") != nil)
        #expect(Questionnaire.Kind.longitude.answer(from: "-75.5") == .success(.real(-75.5)))
    }

    @Test func ageInWholeYears() {
        let birth = CalendarDate(year: 2020, month: 3, day: 15)!
        #expect(birth.years(until: CalendarDate(year: 2026, month: 3, day: 14)!) == 5)
        #expect(birth.years(until: CalendarDate(year: 2026, month: 3, day: 15)!) == 6)
    }
}

@Suite("Registry numbers and search text")
struct RegistryNumberTests {
    @Test func roundTripAndCheckDigit() throws {
        let number = RegistryNumber(sequence: 1234)
        #expect(number.description.hasPrefix("H-0000-1234-"))
        #expect(RegistryNumber(number.description) == number)
        #expect(RegistryNumber(number.description.replacingOccurrences(of: "-", with: "").lowercased()) == number)
    }

    @Test func everySingleDigitErrorAndAdjacentSwapIsCaught() {
        for sequence in [1, 42, 1234, 98_765_432] as [Int64] {
            let digits = Array(RegistryNumber(sequence: sequence).description.filter(\.isNumber))
            for position in digits.indices {
                for replacement in "0123456789" where replacement != digits[position] {
                    var typo = digits
                    typo[position] = replacement
                    #expect(RegistryNumber("H" + String(typo)) == nil)
                }
                if position + 1 < digits.count, digits[position] != digits[position + 1] {
                    var swapped = digits
                    swapped.swapAt(position, position + 1)
                    #expect(RegistryNumber("H" + String(swapped)) == nil)
                }
            }
        }
    }

    @Test func foldingIgnoresCaseAndAccents() {
        #expect(SearchText.fold("MUÑOZ") == "munoz")
        #expect(SearchText.fold("João Gonçalves") == "joao goncalves")
        #expect(SearchText.fold("Nguyễn") == "nguyen")
        #expect(SearchText.nameKey("María José", "Muñoz", nil) == "maria jose munoz")
        #expect(SearchText.nameKey("Jean-Pierre", "D'Alembert", "") == "jean pierre d alembert")
        #expect(SearchText.nameKey("  ANA--Lucía ", nil, " de la  Cruz'") == "ana lucia de la cruz")
        #expect(SearchText.nameKey(nil, "", "-") == "")
        #expect(SearchText.nameKey("Nguyễn Thị", "ÇÃO") == "nguyen thi cao")
    }

    @Test("a precomposed Latin letter folds as its decomposed form does, which takes the full way")
    func latinTableAgreesWithTheFullFold() throws {
        for value in UInt32(0xC0)...0x17F {
            let letter = String(try #require(Unicode.Scalar(value)))
            let decomposed = letter.decomposedStringWithCanonicalMapping
            #expect(SearchText.fold("Ab" + letter) == SearchText.fold("Ab" + decomposed), "U+\(String(value, radix: 16))")
        }
        #expect(SearchText.fold("ÇÃO ß Ø") == "cao ß ø")
    }

    @Test("a name key folds each Latin letter from its bytes as the full fold does, and goes the full way past them")
    func nameKeysFoldFromBytes() throws {
        for value in UInt32(0xC0)...0x17F {
            let letter = String(try #require(Unicode.Scalar(value)))
            #expect(SearchText.nameKey("Ab" + letter + "c", "D" + letter) == SearchText.fold("Ab" + letter + "c D" + letter),
                    "U+\(String(value, radix: 16))")
        }
        // A part beyond the table is folded whole, after parts that were not.
        #expect(SearchText.nameKey("Ñandú-Guazú", "Nguyễn Thị", "O'Brien") == "nandu guazu nguyen thi o brien")
        // The key may be made after other bytes, as an import makes it among a row's.
        var row = Array("before".utf8)
        let start = row.count
        for part in ["  JOSÉ ", "de la Peña"] {
            var part = part
            part.withUTF8 { SearchText.appendNameKey(of: $0, to: &row, keyStart: start) }
        }
        #expect(String(decoding: row, as: UTF8.self) == "beforejose de la pena")
    }
}

@Suite("Registry numbers past eight digits")
struct LongRegistryNumberTests {
    @Test func aHundredMillionAndOneStillRoundTrips() {
        let number = RegistryNumber(sequence: 100_000_001)
        #expect(number.description.hasPrefix("H-10000-0001-"))
        #expect(RegistryNumber(number.description) == number)
    }
}

@Suite("The registry number of the documentation")
struct DocumentedRegistryNumberTests {
    @Test func theExampleIsReal() {
        #expect(RegistryNumber(sequence: 1234).description == "H-0000-1234-0")
    }
}

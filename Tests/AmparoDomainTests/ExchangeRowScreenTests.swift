import Testing
@testable import AmparoDomain

@Suite("Screening rows by their bytes")
struct ExchangeRowScreenTests {
    let reader = ExchangeRowReader()

    /// Parses `text` and, for each record after the header, asks the screen and the full reading.
    private func verdicts(households text: String) throws -> [(screened: String?, full: String?)] {
        try verdicts(text, layout: { try reader.householdLayout(header: $0) },
                     screen: { ExchangeRowScreen(households: $0, questionnaire: .standard) },
                     full: { record, layout in try? reader.household(record, layout: layout).get().ref })
    }

    private func verdicts(individuals text: String) throws -> [(screened: String?, full: String?)] {
        try verdicts(text, layout: { try reader.individualLayout(header: $0) },
                     screen: { ExchangeRowScreen(individuals: $0, questionnaire: .standard) },
                     full: { record, layout in try? reader.individual(record, layout: layout).get().ref })
    }

    private func verdicts(
        _ text: String, layout makeLayout: ([String]) throws -> ColumnLayout, screen makeScreen: (ColumnLayout) -> ExchangeRowScreen,
        full: (CSVParser.Record, ColumnLayout) -> String?
    ) throws -> [(screened: String?, full: String?)] {
        var parser = CSVParser()
        var layout: ColumnLayout?
        var screen: ExchangeRowScreen?
        var found: [(screened: String?, full: String?)] = []
        func take(_ cells: CSVParser.Cells) throws {
            guard let layout, let screen else {
                layout = try makeLayout(cells.record().fields)
                screen = makeScreen(layout!)
                return
            }
            let screened = screen.pass(cells).map { String(decoding: $0.ref, as: UTF8.self) }
            found.append((screened, full(cells.record(), layout)))
        }
        try Array(text.utf8).withUnsafeBytes { try parser.consumeCells($0, take) }
        try parser.finishCells(take)
        return found
    }

    @Test("the screen passes nearly every demo row, and only rows the full reading accepts, with the same ref")
    func demoRows() throws {
        var households = ExchangeFormat.householdColumns().joined(separator: ",") + "\n"
        var individuals = ExchangeFormat.individualColumns().joined(separator: ",") + "\n"
        var writer = CSVWriter()
        DemoRegistry(households: 400, seed: 5).forEachHousehold { household, members in
            writer.writeRecord(household)
            households += String(decoding: writer.take(), as: UTF8.self)
            for member in members { writer.writeRecord(member) }
            individuals += String(decoding: writer.take(), as: UTF8.self)
        }
        for found in [try verdicts(households: households), try verdicts(individuals: individuals)] {
            #expect(found.count >= 400)
            #expect(found.allSatisfy { $0.full != nil })
            #expect(found.allSatisfy { $0.screened == nil || $0.screened == $0.full })
            #expect(found.filter { $0.screened != nil }.count * 100 >= found.count * 95)
        }
    }

    @Test("a row the full reading refuses never passes the screen; plain good cells do", arguments: [
        // (cell of sleeping_rooms, of registered_on, of monthly_income, of phone, of zone, screen passes, full accepts)
        ("2", "2024-02-29", "1250.50", "+573001234567", "urban", true, true),
        ("", "", "", "", "", true, true),
        ("-1", "2024-02-29", "0", "", "rural", false, false),
        ("101", "", "", "", "", false, false),
        // Cells the bytes cannot judge are read the full way, one cell at a time.
        ("+5", "", "", "", "", true, true),
        (" 5 ", "", "", "", "", true, true),
        ("007", "", "", "", "", true, true),
        ("5", "2024-02-30", "", "", "", false, false),
        ("5", "1879-12-31", "", "", "", false, false),
        ("5", "", "12.345", "", "", false, false),
        ("5", "", "-3", "", "", false, false),
        ("5", "", "", "12345", "", false, false),
        ("5", "", "", "", "Urban", false, false),
        ("5", "", "", "", "urban ", true, true),
        ("99999999999999999999", "", "", "", "", false, false),
    ])
    func cellsAtTheirEdges(rooms: String, registered: String, income: String, phone: String, zone: String,
                           screened: Bool, accepted: Bool) throws {
        let text = """
            household_ref,area_code,sleeping_rooms,registered_on,monthly_income,phone,zone,latitude
            H1,05,"\(rooms)",\(registered),\(income),\(phone),"\(zone)",4.5

            """
        let found = try #require(try verdicts(households: text).first)
        #expect((found.screened != nil) == screened)
        #expect((found.full != nil) == accepted)
        #expect(found.screened == nil || found.screened == found.full)
    }

    @Test("keys, relationships, names and extra columns")
    func individualsAtTheirEdges() throws {
        let header = "person_ref,household_ref,relationship,given_names,email,wg_seeing,programa\n"
        let rows: [(String, screened: Bool, accepted: Bool)] = [
            ("P1,H1,head,José,jose@correo.example,1,sí", true, true),
            ("P1,H1,,Ana,,,", false, false),
            ("P1,H1,Head,Ana,,,", false, false),
            (" P1,H1,head,Ana,,,", false, true),
            ("P1,,head,Ana,,,", false, false),
            ("P1,H1,head,\"Ana\tMaría\",,,", true, true),
            ("P1,H1,head,\"Ana\nMaría\",,,", false, false),
            ("P1,H1,head,Ana,ana@@correo.example,,", false, false),
            ("P1,H1,head,Ana,,5,", false, false),
            ("P1,H1,head,Ana,,,\(String(repeating: "x", count: 1_001))", false, false),
            ("P1,H1,head,Ana,,", false, false),
            ("\(String(repeating: "P", count: 65)),H1,head,Ana,,,", false, false),
        ]
        let found = try verdicts(individuals: header + rows.map(\.0).joined(separator: "\n") + "\n")
        try #require(found.count == rows.count)
        for (row, verdict) in zip(rows, found) {
            #expect((verdict.screened != nil) == row.screened, "\(row.0)")
            #expect((verdict.full != nil) == row.accepted, "\(row.0)")
        }
    }

    /// For each record that passes the screen: the answers read from its bytes, and those of
    /// the full reading, both as the registry stores them (kind and text); nil answers from
    /// the bytes when the screen sends the row the full way.
    private func storedAnswers(_ text: String, individuals: Bool) throws -> [(bytes: [String?]?, full: [String?])] {
        var parser = CSVParser()
        var layout: ColumnLayout?
        var screen: ExchangeRowScreen?
        var found: [(bytes: [String?]?, full: [String?])] = []
        func stored(_ answer: Answer?) -> String? {
            switch answer {
            case nil: nil
            case .integer(let value)?: "integer \(value)"
            case .real(let value)?: "real \(value)"
            case let answer?: "text \(answer.exchangeText)"
            }
        }
        func take(_ cells: CSVParser.Cells) throws {
            guard let layout, let screen else {
                let header = cells.record().fields
                layout = try individuals ? reader.individualLayout(header: header) : reader.householdLayout(header: header)
                screen = individuals ? ExchangeRowScreen(individuals: layout!, questionnaire: .standard)
                                     : ExchangeRowScreen(households: layout!, questionnaire: .standard)
                return
            }
            guard screen.pass(cells) != nil else { return }
            var answers: [ExchangeRowScreen.StoredAnswer] = []
            let bytes = !screen.answers(cells, into: &answers) ? nil : answers.map { answer -> String? in
                switch answer {
                case .missing: nil
                case .text(let bytes): "text \(String(decoding: bytes, as: UTF8.self))"
                case .integer(let value): "integer \(value)"
                case .answer(let answer): stored(answer)
                }
            }
            let full = individuals ? try reader.individual(cells.record(), layout: layout).get().answers
                                   : try reader.household(cells.record(), layout: layout).get().answers
            found.append((bytes, full.map(stored)))
        }
        try Array(text.utf8).withUnsafeBytes { try parser.consumeCells($0, take) }
        try parser.finishCells(take)
        return found
    }

    @Test("a row that passes gives from its bytes exactly the answers the full reading stores")
    func answersFromBytes() throws {
        var households = ExchangeFormat.householdColumns().joined(separator: ",") + "\n"
        var individuals = ExchangeFormat.individualColumns().joined(separator: ",") + "\n"
        var writer = CSVWriter()
        DemoRegistry(households: 300, seed: 11).forEachHousehold { household, members in
            writer.writeRecord(household)
            households += String(decoding: writer.take(), as: UTF8.self)
            for member in members { writer.writeRecord(member) }
            individuals += String(decoding: writer.take(), as: UTF8.self)
        }
        // Cells with something to trim, signs, short money, accents at an end, coordinates.
        let awkward = """
            household_ref,area_code,sleeping_rooms,registered_on,monthly_income,phone,zone,latitude,longitude
            H1,05," 5 ",2024-02-29,12.5,+573001234567,"urban ",4.5,-74.25
            H2,05,+5,,0,,rural,,
            H3,05,007,1999-01-01,"1250.50 ",,,"-0.5 ",

            """
        let names = """
            person_ref,household_ref,relationship,given_names,first_surname,second_surname,birth_date,schooling_years
            P1,H1,head,José,Muñoz, Nguyễn ,2001-03-04,11
            P2,H1,spouse,"Ana	María",João,,1879-12-31,
            P3,H1,child,Inés ,Pérez,Ó,2020-02-29,+3

            """
        for (text, people) in [(households, false), (individuals, true), (awkward, false), (names, true)] {
            let found = try storedAnswers(text, individuals: people)
            #expect(!found.isEmpty)
            #expect(found.allSatisfy { $0.bytes != nil })
            for row in found { #expect(row.bytes == row.full) }
        }
    }

    @Test("the UTF-8 check agrees with Swift's decoder on every kind of malformed sequence")
    func utf8CheckAgreesWithTheDecoder() {
        var random = SplitMix(seed: 9)
        let interesting: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF,
                                    0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF, 0xC3, 0xB1]
        for _ in 0..<50_000 {
            let length = Int(random.next() % 7)
            let bytes = (0..<length).map { _ in interesting[Int(random.next() % UInt64(interesting.count))] }
            let valid = bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) }
            #expect(valid == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
        }
        for text in ["Muñoz", "João", "Nguyễn", "𝔘𝔫𝔦", "日本"] {
            #expect(Array(text.utf8).withUnsafeBufferPointer { UTF8Check.isValid($0) })
        }
    }
}

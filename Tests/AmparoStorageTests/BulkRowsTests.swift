import Foundation
import NIOCore
import Testing
import AmparoDomain
@testable import AmparoStorage
import AmparoTestSupport

@Suite("Bulk rows")
struct BulkRowsTests {
    @Test("COPY's text format escapes what it must and writes numbers and NULL as PostgreSQL reads them")
    func copyText() {
        var rows = BulkRows(table: "t", columns: ["a", "b", "c"])
        rows.append([.text("tab\there"), .integer(-9_223_372_036_854_775_808), .null])
        rows.append([.text("back\\slash\r\nline"), .integer(0), .text("Muñoz")])
        rows.append([.text(""), .integer(9_223_372_036_854_775_807), .real(6.25)])
        let buffer = rows.take().copyText()
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        #expect(text == """
            tab\\there\t-9223372036854775808\t\\N
            back\\\\slash\\r\\nline\t0\tMuñoz
            \t9223372036854775807\t6.25

            """)
    }

    @Test("answers are stored as the registry keeps them; a number set later and rows dropped leave the others intact")
    func answersSetAndRemove() {
        var rows = BulkRows(table: "t", columns: ["n", "date", "money", "name", "missing"])
        let answers: [[Answer?]] = [
            [.date(CalendarDate(year: 987, month: 3, day: 4)!), .money(hundredths: 1_205), .text("Nguyễn"), nil],
            [.date(CalendarDate(year: 2024, month: 12, day: 31)!), .money(hundredths: -7), .text("João"), nil],
            [.date(CalendarDate(year: 2000, month: 2, day: 29)!), .money(hundredths: 0), .text("Muñoz"), nil],
        ]
        for (line, row) in answers.enumerated() {
            rows.appendInteger(0)
            for answer in row { rows.append(answer) }
            rows.endRow()
            rows.set(row: line, column: 0, to: Int64(line + 1))
        }
        // The reasons come after the rows, so they are written among the bytes of later rows' texts.
        var withReasons = BulkRows(table: "t", columns: rows.columns + ["reason"])
        for (line, row) in answers.enumerated() {
            withReasons.appendInteger(Int64(line + 1))
            for answer in row { withReasons.append(answer) }
            withReasons.appendText { bytes in
                bytes.append(contentsOf: "line ".utf8)
                BulkRows.withDecimal(Int64(line + 2)) { bytes.append(contentsOf: $0) }
            }
            withReasons.endRow()
        }
        withReasons.remove(rows: [1])
        let text = String(decoding: withReasons.take().copyText().readableBytesView, as: UTF8.self)
        #expect(text == """
            1\t0987-03-04\t12.05\tNguyễn\t\\N\tline 2
            3\t2000-02-29\t0.00\tMuñoz\t\\N\tline 4

            """)
        let batch = rows.take()
        #expect(batch.cells.count == 15)
        #expect((0..<3).map { batch.value($0 * 5).integer } == [1, 2, 3])
        #expect(batch.value(6).text == "2024-12-31")
        #expect(batch.value(7).text == "-0.07")
    }

    @Test("text with backslashes, tabs and line breaks lands as written on both roads", arguments: TestDatabaseKind.allCases)
    func awkwardTextRoundTrip(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let awkward = ["C:\\ruta\\casa", "uno\tdos", "línea 1\nlínea 2\r\n", "\\N", "", "Nguyễn"]
                // Each byte COPY escapes, and one below 14 it does not, at every place in and past a first eight bytes.
                + ["\\", "\t", "\n", "\r", "\u{0B}"].flatMap { byte in
                    (0..<18).map { at in String(repeating: "a", count: at) + byte + String(repeating: "ñ", count: (17 - at) / 2) }
                }
            let stored = Collected<[String: String?]>([:])
            try await database.withDirectConnection { connection in
                var rows = BulkRows(table: "change_history", columns: [
                    "entity", "entity_id", "field", "old_value", "new_value", "actor", "channel", "occurred_at",
                ])
                var ids = RecordIdentifiers()
                for (index, text) in awkward.enumerated() {
                    rows.append([.text("test"), .text(ids.next().text), .text("case \(index)"),
                                 index == 0 ? .null : .text("old"), .text(text), .text("tester"), .text("test"), .text("2026-11-25")])
                }
                try await connection.inTransaction { try await connection.write(&rows) }
                try await connection.eachRow("SELECT field, new_value, old_value FROM change_history WHERE entity = 'test'") { row in
                    stored.update { $0[row[0]!] = row[1] }
                    if row[0] == "case 0" { stored.update { $0["old of case 0"] = row[2] } }
                }
            }
            for (index, text) in awkward.enumerated() {
                #expect(stored.value["case \(index)"] == .some(text))
            }
            #expect(stored.value["old of case 0"] == .some(nil))
        }
    }

    @Test("rows go in statements of many rows and the rest one by one, each as given; a row refused takes its batch with it",
          arguments: TestDatabaseKind.allCases)
    func manyRowsAStatement(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await database.withDirectConnection { connection in
                try await connection.execute(["CREATE TABLE bulk_groups (n INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, amount REAL)"])
                let group = SQLiteFile.rowsPerInsert
                func rows(_ numbers: [Int]) -> BulkRows {
                    var rows = BulkRows(table: "bulk_groups", columns: ["n", "label", "amount"])
                    for n in numbers {
                        rows.append([.integer(Int64(n)), .text("row \(n) ñ"), n % 3 == 0 ? .null : .real(Double(n) / 4)])
                    }
                    return rows
                }
                // Two whole statements and a few rows left over.
                let first = Array(1...(2 * group + 7))
                var batch = rows(first)
                try await connection.inTransaction { try await connection.write(&batch) }
                let stored = Collected<[[String?]]>([])
                try await connection.eachRow("SELECT CAST(n AS TEXT), label, CAST(amount AS TEXT) FROM bulk_groups ORDER BY bulk_groups.n") { row in
                    stored.update { $0.append(row) }
                }
                #expect(stored.value.count == first.count)
                let unlike = zip(first, stored.value).filter { n, row in
                    row[0] != String(n) || row[1] != "row \(n) ñ" || row[2].flatMap(Double.init) != (n % 3 == 0 ? nil : Double(n) / 4)
                }
                #expect(unlike.isEmpty, "\(unlike.prefix(3))")

                // A label used twice, inside a whole statement and among the rows left over.
                for clash in [group / 2, group + 3] {
                    var numbers = Array(10_000..<(10_000 + group + 5))
                    numbers[clash] = numbers[1]
                    var refused = rows(numbers)
                    await #expect(throws: (any Error).self) {
                        try await connection.inTransaction { try await connection.write(&refused) }
                    }
                    #expect(try await connection.count("SELECT CAST(COUNT(*) AS TEXT) FROM bulk_groups") == Int64(first.count))
                }
            }
        }
    }

    @Test("numeric travels in base 10,000 from the point outward, as PostgreSQL sends it")
    func numericDigits() {
        func numeric(_ text: String) -> PostgresNumeric? {
            var text = text
            return text.withUTF8 { PostgresNumeric(decimal: $0) }
        }
        #expect(numeric("1914118.37") == PostgresNumeric(digits: [191, 4118, 3700], weight: 1, negative: false, scale: 2))
        #expect(numeric("-0.07") == PostgresNumeric(digits: [700], weight: -1, negative: true, scale: 2))
        #expect(numeric("0.00007") == PostgresNumeric(digits: [7000], weight: -2, negative: false, scale: 5))
        #expect(numeric("10000") == PostgresNumeric(digits: [1], weight: 1, negative: false, scale: 0))
        #expect(numeric("+0012.5") == PostgresNumeric(digits: [12, 5000], weight: 0, negative: false, scale: 1))
        #expect(numeric("-0.00") == PostgresNumeric(digits: [], weight: 0, negative: false, scale: 2))
        for bad in ["", "-", ".", "1e5", "1.2.3", " 1", "12,5", "NaN"] {
            #expect(numeric(bad) == nil, "\(bad)")
        }
    }

    @Test("an id is read back from its text with or without hyphens, in either case, and nothing else is")
    func idFromTextBytes() {
        var ids = RecordIdentifiers()
        let id = ids.next()
        for text in [id.text, id.text.lowercased(), id.text.replacingOccurrences(of: "-", with: "")] {
            var text = text
            #expect(text.withUTF8 { RecordID(textBytes: $0) } == id)
        }
        for bad in [String(id.text.dropLast()), id.text.replacingOccurrences(of: "-", with: "_"), String(repeating: "g", count: 32)] {
            var bad = bad
            #expect(bad.withUTF8 { RecordID(textBytes: $0) } == nil)
        }
    }

    @Test("binary COPY stores every kind of value as COPY's text would, and a type it lacks goes as text")
    func binaryCopyMatchesText() async throws {
        try await TestDatabase.with(.postgres) { database in
            try await database.withDirectConnection { connection in
                guard case .postgres(let postgres, let logger) = connection else { Issue.record("not PostgreSQL"); return }
                let definition = "(label text, id uuid, big bigint, small integer, real double precision, money numeric(15,2), amount numeric, note text)"
                try await connection.execute(["CREATE TABLE bulk_binary \(definition)", "CREATE TABLE bulk_text \(definition)",
                                              "CREATE TABLE bulk_dated (label text, day date)"])
                let columns = ["label", "id", "big", "small", "real", "money", "amount", "note"]
                var ids = RecordIdentifiers()
                let rows: [[BulkValue]] = [
                    [.text("extremes"), .text(ids.next().text), .integer(.min), .integer(Int64(Int32.min)), .real(-0.5),
                     .text("1914118.37"), .text("0.00007"), .text("Nguyễn\ttab\\")],
                    [.text("lower-case id"), .text(ids.next().text.lowercased()), .integer(.max), .integer(Int64(Int32.max)), .integer(3),
                     .text("-0.07"), .text("10000"), .integer(42)],
                    [.text("nulls"), .null, .null, .null, .null, .null, .null, .null],
                    [.text("zeros"), .text(ids.next().text), .integer(0), .integer(0), .real(0), .text("0.00"), .text("-0"), .real(6.25)],
                    [.text("numbers as text"), .text(ids.next().text), .text("123"), .text("-5"), .text("2.5"),
                     .integer(-12), .real(0.125), .text("")],
                ]
                var binary = BulkRows(table: "bulk_binary", columns: columns)
                for row in rows { binary.append(row) }
                // An id held as itself, into an id column and into a text column.
                let held = ids.next()
                binary.appendText("id held")
                binary.appendID(held)
                for _ in 0..<5 { binary.appendNull() }
                binary.appendID(held)
                binary.endRow()
                let asText = BulkBatch(table: "bulk_text", columns: columns, cells: binary.cells, bytes: binary.bytes)
                try await connection.inTransaction { try await connection.write(&binary) }
                try await postgres.copyFrom(table: "bulk_text", columns: columns, logger: logger) { try await $0.write(asText.copyText()) }
                #expect(try await connection.count("SELECT count(*)::text FROM bulk_binary") == Int64(rows.count + 1))
                #expect(try await connection.count("SELECT count(*)::text FROM (SELECT * FROM bulk_binary EXCEPT SELECT * FROM bulk_text) d") == 0)
                #expect(try await connection.count("SELECT count(*)::text FROM (SELECT * FROM bulk_text EXCEPT SELECT * FROM bulk_binary) d") == 0)
                let money = Collected<[String?]>([])
                try await connection.eachRow("SELECT money::text FROM bulk_binary ORDER BY label") { row in money.update { $0.append(row[0]) } }
                #expect(money.value == ["1914118.37", nil, "-0.07", nil, "-12.00", "0.00"])
                let heldRow = Collected<[String?]>([])
                try await connection.eachRow("SELECT id::text, note FROM bulk_binary WHERE label = 'id held'") { row in heldRow.update { $0 = row } }
                #expect(heldRow.value == [held.text.lowercased(), held.text])

                var dated = BulkRows(table: "bulk_dated", columns: ["label", "day"])
                dated.append([.text("leap"), .text("2024-02-29")])
                try await connection.inTransaction { try await connection.write(&dated) }
                #expect(try await connection.count("SELECT count(*)::text FROM bulk_dated WHERE day = DATE '2024-02-29'") == 1)

                // A value its column cannot hold is refused by name, and the rows before it go with it.
                var unfit = BulkRows(table: "bulk_binary", columns: columns)
                unfit.append([.text("fine"), .null, .integer(1), .null, .null, .null, .null, .null])
                unfit.append([.text("unfit"), .null, .text("twelve"), .null, .null, .null, .null, .null])
                await #expect {
                    try await connection.inTransaction { try await connection.write(&unfit) }
                } throws: { error in
                    "\(error)".contains("bulk_binary.big") && "\(error)".contains("twelve")
                }
                #expect(try await connection.count("SELECT count(*)::text FROM bulk_binary") == Int64(rows.count + 1))
            }
        }
    }
}

private extension BulkValue {
    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var text: String? { if case .text(let value) = self { value } else { nil } }
}

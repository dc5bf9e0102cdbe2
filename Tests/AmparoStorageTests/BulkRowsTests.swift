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
                    rows.append([.text("test"), .text(ids.nextText()), .text("case \(index)"),
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
}

private extension BulkValue {
    var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    var text: String? { if case .text(let value) = self { value } else { nil } }
}

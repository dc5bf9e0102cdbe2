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

    @Test("text with backslashes, tabs and line breaks lands as written on both roads", arguments: TestDatabaseKind.allCases)
    func awkwardTextRoundTrip(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let awkward = ["C:\\ruta\\casa", "uno\tdos", "línea 1\nlínea 2\r\n", "\\N", "", "Nguyễn"]
            let stored = Collected<[String: String?]>([:])
            try await database.withDirectConnection { connection in
                var rows = BulkRows(table: "change_history", columns: [
                    "entity", "entity_id", "field", "old_value", "new_value", "actor", "channel", "occurred_at",
                ])
                var ids = RecordIdentifiers()
                for (index, text) in awkward.enumerated() {
                    rows.append([.text("test"), .text(RecordIdentifiers.text(of: ids.next())), .text("case \(index)"),
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

import Foundation
import Testing
@testable import AmparoStorage
import AmparoTestSupport

@Suite("Cells read in place")
struct DirectCellsTests {
    @Test("a bigint array comes back element by element, NULLs as unknown, an empty or NULL array as nothing")
    func integerArrays() async throws {
        try await TestDatabase.with(.postgres, migrate: false) { database in
            let read = try await database.withDirectConnection { connection in
                try await connection.read(into: [[Int64?]](), [DirectQuery(
                    sql: """
                        SELECT ARRAY[7, NULL, -9223372036854775808, 9223372036854775807]::bigint[] UNION ALL
                        SELECT ARRAY[]::bigint[] UNION ALL SELECT CAST(NULL AS BIGINT[]) UNION ALL SELECT ARRAY[NULL]::bigint[]
                        """,
                    binds: [],
                    row: { rows, cells in
                        var elements: [Int64?] = []
                        try cells.nextIntegers { index, value in
                            #expect(index == elements.count)
                            elements.append(value)
                        }
                        rows.append(elements)
                    })])
            }
            #expect(read == [[7, nil, .min, .max], [], [], [nil]])
            let refused = await #expect(throws: StorageError.self) {
                try await database.withDirectConnection { connection in
                    try await connection.read(into: 0, [DirectQuery(sql: "SELECT ARRAY[1]::int4[]", binds: [], row: { _, cells in
                        try cells.nextIntegers { _, _ in }
                    })])
                }
            }
            #expect(refused != nil)
        }
    }
}

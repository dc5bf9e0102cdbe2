import Foundation
import Testing
@testable import AmparoStorage

@Suite("Write-ahead log checkpoints beside a bulk job")
struct LogCheckpointerTests {
    /// The SQLite file's own size: pages reach it only when a checkpoint copies them from the log.
    private func size(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    private func withLoggedRows(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amparo-wal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/registry.sqlite"
        FileManager.default.createFile(atPath: path, contents: nil)
        let writer = try SQLiteFile(path: path)
        defer { writer.close() }
        // About a megabyte of rows, well under the writer's own checkpoint limit.
        try writer.execute("CREATE TABLE rows (value TEXT)")
        try writer.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
            INSERT INTO rows SELECT hex(randomblob(100)) FROM n
            """)
        try await body(path)
    }

    @Test("rows a writer committed stay in the log without it")
    func withoutCheckpointer() async throws {
        try await withLoggedRows { path in
            try await Task.sleep(for: .milliseconds(200))
            #expect(try size(of: path) < 100_000)
        }
    }

    @Test("the checkpointer copies the committed rows into the file while the writer is still open")
    func checkpointerCopies() async throws {
        try await withLoggedRows { path in
            let copied = try await LogCheckpointer.beside(path) {
                for _ in 0..<100 {
                    if try size(of: path) > 500_000 { return true }
                    try await Task.sleep(for: .milliseconds(20))
                }
                return false
            }
            #expect(copied)
        }
    }
}

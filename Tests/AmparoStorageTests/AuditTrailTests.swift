import Foundation
import SQLKit
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

@Suite("The audit trail's hash chain")
struct AuditTrailTests {
    /// Ten entries of a reader, in the chain.
    private func written(_ database: RegistryDatabase) async throws {
        let log = AccessLog(database: database)
        for index in 0..<10 {
            try await log.record([AuditEntry(actor: "staff:ana", role: "verifier", channel: "api", action: "read", entity: "individual",
                                             entityID: UUID(), purpose: "person_record", requestPath: "/api/v1/individuals/{id}",
                                             outcome: "allowed", address: "10.0.0.\(index)")])
        }
    }

    /// Lets the test act as someone who holds the database: the guards come off.
    private func unguard(_ database: RegistryDatabase) async throws {
        switch database.dialect {
        case .sqlite:
            try await database.execute("DROP TRIGGER access_log_no_update")
            try await database.execute("DROP TRIGGER access_log_no_delete")
        case .postgres:
            try await database.execute("ALTER TABLE access_log DISABLE TRIGGER USER")
        }
    }

    @Test("readers append side by side, and the chain holds every entry once, in order", arguments: TestDatabaseKind.allCases)
    func concurrentAppends(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let log = AccessLog(database: database)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for reader in 0..<40 {
                    group.addTask {
                        try await log.recordReads([PersonalDataRead(.household, UUID()), PersonalDataRead(.individual, UUID())],
                                                  actor: "client:reader\(reader)", channel: "api", purpose: "household_record",
                                                  requestPath: "/api/v1/households/{id}")
                    }
                }
                try await group.waitForAll()
            }
            let finding = try await AuditChain.verify(database)
            guard case .intact(let entries, let last, _) = finding else { Issue.record("\(finding)"); return }
            #expect(entries == 80 && last == 80)
            // The database refuses to rewrite, remove or empty it.
            for statement in ["UPDATE access_log SET actor = 'nobody'", "DELETE FROM access_log"]
                + (kind == .postgres ? ["TRUNCATE access_log"] : []) {
                await #expect(throws: (any Error).self, "\(statement)") {
                    try await database.transaction { db in try await db.raw(SQLQueryString(statement)).run() }
                }
            }
        }
    }

    @Test("verify names the first entry changed, removed, inserted, reordered, or put outside the chain", arguments: TestDatabaseKind.allCases)
    func tampering(kind: TestDatabaseKind) async throws {
        let cases: [(String, [String], (AuditChain.Finding) -> Bool)] = [
            ("changed", ["UPDATE access_log SET actor = 'staff:mallory' WHERE seq = 4"], { $0 == .changed(seq: 4) }),
            ("removed", ["DELETE FROM access_log WHERE seq = 4"], { $0 == .missing(seq: 4) }),
            ("inserted", [
                "UPDATE access_log SET seq = seq + 1000 WHERE seq >= 5",
                "UPDATE access_log SET seq = seq - 999 WHERE seq >= 1005",
                """
                INSERT INTO access_log (seq, occurred_at, actor, channel, action, entity, entity_id, purpose, request_path, outcome, entry_hash)
                SELECT 5, occurred_at, 'staff:mallory', channel, action, entity, entity_id, purpose, request_path, outcome, entry_hash
                FROM access_log WHERE seq = 4
                """,
            ], { $0 == .changed(seq: 5) }),
            ("reordered", [
                "UPDATE access_log SET seq = 1004 WHERE seq = 4", "UPDATE access_log SET seq = 4 WHERE seq = 5",
                "UPDATE access_log SET seq = 5 WHERE seq = 1004",
            ], { $0 == .changed(seq: 4) || $0 == .outOfOrder(seq: 4) }),
            ("outside the chain", [
                """
                INSERT INTO access_log (occurred_at, actor, channel, action, entity, entity_id, purpose, request_path)
                SELECT occurred_at, 'staff:mallory', channel, action, entity, entity_id, purpose, request_path FROM access_log WHERE seq = 9
                """,
            ], { if case .unchained = $0 { true } else { false } }),
        ]
        for (name, statements, expected) in cases {
            try await TestDatabase.with(kind) { database in
                try await written(database)
                #expect(try await AuditChain.verify(database).isIntact, "\(name): intact before")
                try await unguard(database)
                for statement in statements { try await database.execute(statement) }
                let finding = try await AuditChain.verify(database)
                #expect(expected(finding), "\(name): \(finding)")
            }
        }
    }

    @Test("a chain cut short passes the walk alone, and fails against an anchor kept elsewhere", arguments: TestDatabaseKind.allCases)
    func anchors(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await written(database)
            guard case .intact(_, let seq, let hash) = try await AuditChain.verify(database) else { Issue.record("not intact"); return }
            let anchor = AuditChain.Anchor(seq: seq, hash: hash)
            #expect(AuditChain.Anchor(anchor.text) == anchor)
            #expect(try await AuditChain.verify(database, anchors: [anchor]).isIntact)
            try await unguard(database)
            try await database.execute("DELETE FROM access_log WHERE seq = 10")
            #expect(try await AuditChain.verify(database).isIntact, "the walk alone cannot see a cut end")
            #expect(try await AuditChain.verify(database, anchors: [anchor]) == .anchorNotFound(seq: 10))
        }
    }

    @Test("amparo audit verify exits 0 on an intact trail, 1 naming the entry on a changed one")
    func command() async throws {
        guard FileManager.default.isExecutableFile(atPath: KilledImportTests.program.path) else {
            Issue.record("build the amparo program first (swift build)")
            return
        }
        let folder = try TestDatabase.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/audit.sqlite"
        let database = try await RegistryDatabase.open(.sqlite(path: path))
        try await database.run(migrating: true) { database in
            try await written(database)
        }
        #expect(try run(["audit", "verify", "--database", path]) == (0, true))
        let again = try await RegistryDatabase.open(.sqlite(path: path))
        try await again.run(migrating: false) { database in
            try await unguard(database)
            try await database.execute("UPDATE access_log SET purpose = 'nothing' WHERE seq = 7")
        }
        let (status, named) = try run(["audit", "verify", "--database", path], expecting: "entry 7 was changed")
        #expect(status == 1 && named)
    }

    private func run(_ arguments: [String], expecting text: String = "intact") throws -> (Int32, Bool) {
        let process = Process()
        process.executableURL = KilledImportTests.program
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out.contains(text))
    }
}

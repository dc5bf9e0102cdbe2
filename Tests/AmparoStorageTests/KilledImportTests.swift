import Foundation
import SQLKit
import Testing
import AmparoDomain
@testable import AmparoStorage
import AmparoTestSupport

/// What a registry holds, without the ids and times that differ from run to run. A household
/// registered on an unknown day gives its members the day of the import as their start, which
/// differs between two imports run either side of midnight.
struct RegistryContent: Equatable {
    var households: [String]
    var people: [String]
    var history: [String]

    static func read(_ database: RegistryDatabase) async throws -> RegistryContent {
        var households: [String] = []
        var cursor: Int64?
        repeat {
            let page = try await HouseholdRepository(database: database).list(within: nil, after: cursor, limit: 500)
            households += page.households.map { household in
                "\(household.registryNumber) \(household.sourceRef) \(household.area.code) "
                    + household.answers.values.map { $0?.exchangeText ?? "" }.joined(separator: ",")
            }
            cursor = page.nextCursor
        } while cursor != nil
        let people = try await database.read { db in
            try await db.raw("""
                SELECT i.source_ref || ' ' || i.name_key || ' ' || h.source_ref || ' ' || m.relationship || ' '
                       || CASE WHEN h.registered_on IS NULL THEN 'the day of the import' ELSE m.start_date END AS line
                FROM individuals i JOIN memberships m ON m.individual_id = i.id JOIN households h ON h.id = m.household_id
                ORDER BY i.source_ref
                """).all().map { try $0.decode(column: "line", as: String.self) }
        }
        let history = try await database.read { db in
            try await db.raw("""
                SELECT entity || ' ' || COALESCE(new_value, '') || ' ' || COALESCE(reason, '') AS line
                FROM change_history ORDER BY entity, new_value
                """).all().map { try $0.decode(column: "line", as: String.self) }
        }
        return RegistryContent(households: households, people: people, history: history)
    }
}

@Suite("Import killed with SIGKILL")
struct KilledImportTests {
    /// The `amparo` program that `swift build --build-tests` builds beside the tests.
    static var program: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/amparo")
    }

    @Test("killed at random moments and run again, it ends as one uninterrupted run", arguments: TestDatabaseKind.allCases)
    func killedAndResumed(kind: TestDatabaseKind) async throws {
        // setup: the same demo files imported twice, once in peace, once under fire
        guard FileManager.default.isExecutableFile(atPath: Self.program.path) else {
            throw TestSetupError("\(Self.program.path) is missing: build with swift build --build-tests first")
        }
        let folder = try TestDatabase.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try DemoFiles.write(DemoRegistry(households: 3_000, seed: 11), to: folder)

        let reference = try await TestDatabase.with(kind) { database in
            _ = try await RegistryImport(database: database).run(directory: folder, options: ImportOptions(actor: "import"),
                                                                 problems: { _ in })
            return try await RegistryContent.read(database)
        }

        try await TestDatabase.with(kind) { database in
            let url = try await databaseArgument(database)
            // act: kill it several times at random points, then let it finish
            var generator = SystemRandomNumberGenerator()
            var kills = 0
            for _ in 0..<6 {
                let process = try launchImport(folder: folder, database: url)
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...1_500, using: &generator)))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    kills += 1
                }
                process.waitUntilExit()
            }
            let last = try launchImport(folder: folder, database: url)
            last.waitUntilExit()
            // check
            #expect(last.terminationStatus == 0)
            #expect(kills > 0, "no run was killed; the import was faster than the waits")
            let content = try await RegistryContent.read(database)
            #expect(content.households.count == reference.households.count)
            #expect(content == reference)
            // The runs dropped the read indexes to build them after the load; however they were killed, they are back.
            let definitions = try await readIndexDefinitions(database)
            #expect(definitions.count == setAsideCount(database))
        }
    }

    private func databaseArgument(_ database: RegistryDatabase) async throws -> String {
        switch database.location {
        case .sqlite(let path): return path
        case .postgres(let url): return url
        }
    }

    private func launchImport(folder: String, database: String) throws -> Process {
        let process = Process()
        process.executableURL = Self.program
        process.arguments = ["import", folder, "--database", database, "--actor", "import", "--chunk-lines", "500",
                             "--indexes-after-load-from", "1000"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

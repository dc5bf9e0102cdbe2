import Testing
import SQLKit
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

@Suite("Migrations")
struct MigrationTests {
    @Test("migrate applies everything once, then nothing", arguments: TestDatabaseKind.allCases)
    func idempotent(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind, migrate: false) { database in
            let migrator = Migrator(database: database)
            let pendingBefore = try await migrator.pending()
            let first = try await migrator.migrate()
            let second = try await migrator.migrate()
            let pendingAfter = try await migrator.pending()
            #expect(pendingBefore == ["CreateRegistry", "CreateTargeting", "CreateIdentity", "CreateAreaBoundaries", "CreateAccessLog", "CreateHazardLayers"])
            #expect(first == ["CreateRegistry", "CreateTargeting", "CreateIdentity", "CreateAreaBoundaries", "CreateAccessLog", "CreateHazardLayers"])
            #expect(second == [])
            #expect(pendingAfter == [])
        }
    }

    @Test("every questionnaire field has its column", arguments: TestDatabaseKind.allCases)
    func questionnaireColumns(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            // Selecting every field fails if a field was added to the questionnaire without a migration.
            for (table, fields) in [("households", Questionnaire.standard.householdFields),
                                    ("individuals", Questionnaire.standard.individualFields)] {
                let columns = fields.map(\.name).joined(separator: ", ")
                let sql: String = "SELECT \(columns) FROM \(table) WHERE 1 = 0"
                try await database.read { db in try await db.raw(SQLQueryString(sql)).run() }
            }
        }
    }
}

import Testing
import SQLKit
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

@Suite("Migrations")
struct MigrationTests {
    @Test("a statement PostgreSQL refuses is reported in the server's words, not the driver's blank description")
    func refusalsSayWhy() async throws {
        do {
            try await TestDatabase.with(.postgres, migrate: false) { database in
                try await database.execute("SELECT no_column FROM no_such_table")
            }
            Issue.record("the statement was not refused")
        } catch let error as StorageError {
            guard case .refused(let text) = error else { throw error }
            #expect(text.contains("relation \"no_such_table\" does not exist"), "\(text)")
            #expect(text.contains("SQLSTATE 42P01"), "\(text)")
        }
    }

    @Test("a new SQLite registry is made with pages of 8 KiB, in WAL mode")
    func sqlitePages() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let settings = try await database.read { db in
                try await db.raw("SELECT (SELECT page_size FROM pragma_page_size) AS size, (SELECT journal_mode FROM pragma_journal_mode) AS mode")
                    .first().map { (try $0.decode(column: "size", as: Int.self), try $0.decode(column: "mode", as: String.self)) }
            }
            #expect(settings?.0 == 8192)
            #expect(settings?.1 == "wal")
        }
    }

    @Test("migrate applies everything once, then nothing", arguments: TestDatabaseKind.allCases)
    func idempotent(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind, migrate: false) { database in
            let migrator = Migrator(database: database)
            let pendingBefore = try await migrator.pending()
            let first = try await migrator.migrate()
            let second = try await migrator.migrate()
            let pendingAfter = try await migrator.pending()
            let all = ["CreateRegistry", "CreateTargeting", "CreateIdentity", "CreateAreaBoundaries", "CreateAccessLog",
                       "CreateHazardLayers", "DropResultsByHousehold", "ResultsWithoutKeyChecks", "CreatePortal",
                       "CreateHouseholdSnapshots", "CodesInByteOrder", "SnapshotsWrittenByImports", "CreateStaffAccess", "ChainAccessLog", "CountPortalRequests",
                       "CreateOpenIDRequests"]
            #expect(pendingBefore == all)
            #expect(first == all)
            #expect(second == [])
            #expect(pendingAfter == [])
            // Results are read by run: the household-led index that only grew is gone, the key stays.
            let indexes = kind == .sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'targeting_results'"
                : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'targeting_results'"
            let names = try await database.read { db in
                try await db.raw(SQLQueryString(indexes)).all().map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(!names.contains("targeting_results_household"))
            #expect(names.count == 1, "\(names)")
            // PostgreSQL no longer checks the keys of results row by row; SQLite, which cannot drop them, keeps them.
            let keys = kind == .sqlite
                ? "SELECT \"table\" AS name FROM pragma_foreign_key_list('targeting_results')"
                : "SELECT conname AS name FROM pg_constraint WHERE conrelid = 'targeting_results'::regclass AND contype = 'f'"
            let keyNames = try await database.read { db in
                try await db.raw(SQLQueryString(keys)).all().map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(keyNames.count == (kind == .sqlite ? 2 : 0), "\(keyNames)")
            // Refs, documents and birth dates compare byte by byte on PostgreSQL, as SQLite compares all text.
            if kind == .postgres {
                let collations = try await database.read { db in
                    try await db.raw("""
                        SELECT table_name || '.' || column_name AS name, COALESCE(collation_name, 'default') AS collation
                          FROM information_schema.columns
                         WHERE table_name IN ('households', 'individuals') AND column_name IN ('source_ref', 'id_number', 'birth_date')
                        """).all().map { "\(try $0.decode(column: "name", as: String.self)) \(try $0.decode(column: "collation", as: String.self))" }
                }
                #expect(collations.sorted() == ["households.source_ref C", "individuals.birth_date C", "individuals.id_number C",
                                                "individuals.source_ref C"])
            }
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

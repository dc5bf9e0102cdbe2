import Foundation
import SQLKit
import Testing
import AmparoDomain
@testable import AmparoStorage
import AmparoTestSupport

/// Collects the refused rows an import reports.
final class ProblemLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [RowProblem] = []

    var problems: [RowProblem] { lock.withLock { stored } }
    func take(_ problem: RowProblem) { lock.withLock { stored.append(problem) } }

    func has(file: String, line: Int, column: String) -> Bool {
        problems.contains { $0.file == file && $0.line == line && $0.column == column }
    }
}

/// Chunks of two rows by default, so that every import test writes several chunks, one
/// landing while the next is read.
func runImport(_ database: RegistryDatabase, _ folder: ExchangeFolder, mode: ImportMode = .allOrNothing,
               chunkLines: Int = 2) async throws -> (ImportSummary, ProblemLog) {
    let log = ProblemLog()
    let summary = try await RegistryImport(database: database).run(
        directory: folder.path, options: ImportOptions(mode: mode, actor: "tester", chunkLines: chunkLines),
        problems: log.take)
    return (summary, log)
}

func fixtureFolder() throws -> ExchangeFolder {
    let folder = try ExchangeFolder()
    try folder.write("areas.csv", Fixtures.areas)
    try folder.write("households.csv", Fixtures.households)
    try folder.write("individuals.csv", Fixtures.individuals)
    return folder
}

@Suite("Import of the exchange format")
struct ImportTests {
    @Test("a good batch lands whole, Unicode names intact", arguments: TestDatabaseKind.allCases)
    func goodBatch(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            // setup
            let folder = try fixtureFolder()
            defer { folder.delete() }
            // act
            let (summary, log) = try await runImport(database, folder)
            // check
            #expect(log.problems.isEmpty)
            #expect(summary.areas.added == 7)
            #expect(summary.households.added == 3)
            #expect(summary.individuals.added == 5)
            let counts = try await RegistryStatistics(database: database).counts()
            #expect(counts == RegistryCounts(areas: 7, households: 3, individuals: 5, memberships: 5, changeHistoryEntries: 15))

            let people = try await IndividualRepository(database: database).search(name: "nguyen jose", limit: 10)
            #expect(people.map { $0.answers.text("first_surname") } == ["Nguyễn"])
            let joao = try await IndividualRepository(database: database).search(document: "12345678909", type: "cpf", limit: 5)
            #expect(joao.first?.answers.text("given_names") == "João")
            #expect(joao.first?.answers.text("second_surname") == "Gonçalves")
            let maria = try await IndividualRepository(database: database).search(name: "MUÑOZ zuniga", limit: 5)
            #expect(maria.count == 1)
            #expect(maria.first?.answers["birth_date"] == .date(CalendarDate(year: 1984, month: 2, day: 29)!))
        }
    }

    @Test("households come back with members, money exact, extra attributes kept", arguments: TestDatabaseKind.allCases)
    func householdRoundTrip(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            _ = try await runImport(database, folder)

            let page = try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 10)
            #expect(page.households.map(\.sourceRef) == ["H1", "H2", "H3"])
            #expect(page.households.map(\.registryNumber) == (1...3).map { RegistryNumber(sequence: $0).description })
            let first = try #require(try await HouseholdRepository(database: database).find(id: page.households[0].id))
            #expect(first.answers["monthly_income"] == .money(hundredths: 125_000_050))
            #expect(first.answers["sleeping_rooms"] == .integer(2))
            #expect(first.answers["latitude"] == .real(6.25184))
            #expect(first.answers.text("address") == "Calle 45 # 12-30, apto 2")
            #expect(first.extra == ["program_code": "PX-1"])
            #expect(first.area == AreaSummary(code: "05001001", name: "San Javier", level: "locality"))
            #expect(first.members?.map(\.relationship) == ["head", "child"])
            #expect(first.members?.first?.startDate == "2025-03-14")
            let second = try #require(try await HouseholdRepository(database: database).find(id: page.households[1].id))
            #expect(second.answers["sleeping_rooms"] == .integer(0))
            #expect(second.answers["asset_fridge"] == nil)  // not in the file: not known, not zero
        }
    }

    @Test("areas filter their whole subtree", arguments: TestDatabaseKind.allCases)
    func areaSubtree(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            _ = try await runImport(database, folder)
            let repository = HouseholdRepository(database: database)
            let region = try #require(try await AreaRepository(database: database).find(code: "05"))
            #expect(region.path == "/AM/05/")
            let inRegion = try await repository.list(within: [region.path], after: nil, limit: 10)
            #expect(inRegion.households.map(\.sourceRef) == ["H1", "H2"])
            let firstPage = try await repository.list(within: nil, after: nil, limit: 2)
            #expect(firstPage.households.count == 2)
            let nextPage = try await repository.list(within: nil, after: firstPage.nextCursor, limit: 2)
            #expect(nextPage.households.map(\.sourceRef) == ["H3"])
            #expect(nextPage.nextCursor == nil)
        }
    }

    @Test("importing the same files again changes nothing", arguments: TestDatabaseKind.allCases)
    func idempotent(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            _ = try await runImport(database, folder)
            let before = try await RegistryStatistics(database: database).counts()
            let (again, log) = try await runImport(database, folder)
            #expect(log.problems.isEmpty)
            #expect(again.households.added == 0 && again.households.alreadyPresent == 3)
            #expect(again.individuals.added == 0 && again.individuals.alreadyPresent == 5)
            #expect(again.areas.added == 0 && again.areas.alreadyPresent == 7)
            #expect(try await RegistryStatistics(database: database).counts() == before)
        }
    }

    @Test("a second import waits its turn: refused while another holds the registry, accepted after", arguments: TestDatabaseKind.allCases)
    func oneImportAtATime(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            // Another process's import, as far as this one can tell: a second handle on the same registry.
            let other = try await RegistryDatabase.open(database.location)
            let refusal = try await other.withImportConnection { _ in
                do {
                    _ = try await runImport(database, folder)
                    return "imported while another import held the registry"
                } catch ImportError.busy {
                    return "busy"
                }
            }
            try await other.close()
            #expect(refusal == "busy")
            #expect(try await RegistryStatistics(database: database).counts().households == 0)
            // On PostgreSQL a lock held for a moment, as a targeting run holds it to look at the
            // change history, only delays an import.
            if kind == .postgres {
                let holder = try await RegistryDatabase.open(database.location)
                let held = Task { try await holder.withImportConnection { _ in try await Task.sleep(for: .milliseconds(600)) } }
                try await Task.sleep(for: .milliseconds(200))
                let (summary, _) = try await runImport(database, folder)
                try await held.value
                try await holder.close()
                #expect(summary.households.added == 3)
                return
            }
            let (summary, _) = try await runImport(database, folder)
            #expect(summary.households.added == 3)
        }
    }

    @Test("an import stopped while it holds the registry gives it back: its connection goes back to the pool without the lock")
    func stoppedImportGivesTheLockBack() async throws {
        try await TestDatabase.with(.postgres) { database in
            let stopped = Task { try await database.withImportConnection { _ in try await Task.sleep(for: .seconds(30)) } }
            // Until the lock is seen held, the task has not reached its body.
            var held = 0
            for _ in 0..<100 where held == 0 {
                try await Task.sleep(for: .milliseconds(20))
                held = try await advisoryLocksHeld(database)
            }
            #expect(held == 1)
            stopped.cancel()
            await #expect(throws: CancellationError.self) { try await stopped.value }
            #expect(try await advisoryLocksHeld(database) == 0)
        }
    }

    /// How many sessions hold an advisory lock on this registry's database (tests run side by
    /// side, each on a database of its own), seen from a connection of the pool.
    private func advisoryLocksHeld(_ database: RegistryDatabase) async throws -> Int {
        try await database.read { db in
            try await db.raw("""
                SELECT CAST(COUNT(*) AS BIGINT) AS held FROM pg_locks
                 WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """)
                .first()?.decode(column: "held", as: Int.self) ?? -1
        }
    }

    @Test("a large load sets the read indexes (and on PostgreSQL its foreign and unique keys) aside and builds them after, as the migrations made them",
          arguments: TestDatabaseKind.allCases)
    func indexesBuiltAfterALargeLoad(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            let before = try await readIndexDefinitions(database)
            #expect(before.count == setAsideCount(database))
            let summary = try await RegistryImport(database: database).run(
                directory: folder.path, options: ImportOptions(actor: "tester", chunkLines: 2, indexesAfterLoadFrom: 1),
                problems: { _ in })
            #expect(summary.individuals.added == 5)
            #expect(try await readIndexDefinitions(database) == before)
            // A registry larger than the load keeps its indexes while the next one writes.
            let again = try await RegistryImport(database: database).run(
                directory: folder.path, options: ImportOptions(actor: "tester", indexesAfterLoadFrom: 1), problems: { _ in })
            #expect(again.individuals.alreadyPresent == 5)
            #expect(try await readIndexDefinitions(database) == before)
        }
    }

    @Test("on SQLite a large load writes without checking keys, then checks them all once, beside the index builds; a broken one is reported")
    func sqliteKeysCheckedAfterALargeLoad() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            let summary = try await RegistryImport(database: database).run(
                directory: folder.path, options: ImportOptions(actor: "tester", chunkLines: 2, indexesAfterLoadFrom: 1),
                problems: { _ in })
            #expect(summary.individuals.added == 5)
            // What a load killed after writing a membership that points nowhere would leave:
            // keys unchecked, and its indexes not yet built.
            try await database.session { db in
                try await db.raw("PRAGMA foreign_keys = OFF").run()
                try await db.raw("""
                    INSERT INTO memberships (id, household_id, individual_id, relationship, start_date, created_at)
                    SELECT '00000000-0000-7000-8000-000000000001', 'no-such-household', individual_id, relationship, start_date, created_at
                    FROM memberships LIMIT 1
                    """).run()
                try await db.raw("PRAGMA foreign_keys = ON").run()
                try await db.raw("DROP INDEX individuals_document").run()
            }
            let broken = "1 rows of households or memberships point to a record that is not there"
            // As an import checks them: on a connection of its own, beside the builds.
            await #expect {
                try await SetAsideForLoad.putBack(.sqlite, count: { try await database.countBeside($0) }, runners: [{ statement in
                    try await database.session { try await $0.raw(SQLQueryString(statement)).run() }
                }])
            } throws: { "\($0)".contains(broken) }
            #expect(try await readIndexDefinitions(database).count == ReadIndexes.all.count)
            // As `migrate` checks them after a killed import.
            try await database.execute("DROP INDEX individuals_birth_date")
            await #expect { try await Migrator(database: database).migrate() } throws: { "\($0)".contains(broken) }
            // The indexes were built all the same; with every index there, no check is due.
            #expect(try await readIndexDefinitions(database).count == ReadIndexes.all.count)
            _ = try await Migrator(database: database).migrate()
        }
    }

    @Test("on PostgreSQL the keys a load set aside come back unchecked, then are checked among the index builds; a broken one is reported, the rest built all the same")
    func postgresKeysCheckedAmongIndexBuilds() async throws {
        try await TestDatabase.with(.postgres) { database in
            // What a load killed after writing a membership that points nowhere would leave.
            _ = try await largeLoadKilledBeforePuttingBack(database)
            try await database.execute("""
                INSERT INTO memberships (id, household_id, individual_id, relationship, start_date, created_at)
                SELECT '00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', individual_id, relationship, start_date, created_at
                FROM memberships LIMIT 1
                """)
            await #expect { try await Migrator(database: database).migrate() } throws: { error in
                // As `amparo migrate` reports it.
                (StorageError.refusal(error)?.description ?? "").contains("memberships_household_id_fkey")
            }
            // The key stays, unchecked: rows written from now on are held to it.
            #expect(try await readIndexDefinitions(database)["memberships_household_id_fkey"]?.hasSuffix("NOT VALID") == true)
            // The unique keys, built beside the checks, are back all the same.
            #expect(try await readIndexDefinitions(database)["memberships_pkey"]?.hasPrefix("PRIMARY KEY (id) CREATE UNIQUE INDEX") == true)
            try await database.execute("DELETE FROM memberships WHERE id = '00000000-0000-7000-8000-000000000001'")
            _ = try await Migrator(database: database).migrate()
            #expect(try await readIndexDefinitions(database).count == setAsideCount(database))
            #expect(try await readIndexDefinitions(database).values.allSatisfy { !$0.contains("NOT VALID") })
        }
    }

    @Test("on PostgreSQL a unique key a load set aside comes back as it was; a value found twice then is named, and keeps that key out")
    func postgresUniqueKeysBuiltAfterALoad() async throws {
        try await TestDatabase.with(.postgres) { database in
            let before = try await largeLoadKilledBeforePuttingBack(database)
            #expect(before["individuals_source_ref_key"] == "UNIQUE (source_ref) CREATE UNIQUE INDEX individuals_source_ref_key ON public.individuals USING btree (source_ref)")
            // What only a broken import could leave: a second person under a ref already used.
            try await database.execute("""
                INSERT INTO individuals
                SELECT (jsonb_populate_record(NULL::individuals, to_jsonb(person) || '{"id": "00000000-0000-7000-8000-000000000003"}')).*
                FROM individuals AS person WHERE source_ref = 'P1'
                """)
            await #expect { try await Migrator(database: database).migrate() } throws: { error in
                let text = StorageError.refusal(error)?.description ?? ""
                return text.contains("individuals_source_ref_key") && text.contains("(source_ref)=(P1)")
            }
            // Every other key and index is back; this one stays out until the rows are put right.
            var expected = before
            expected["individuals_source_ref_key"] = nil
            #expect(try await readIndexDefinitions(database) == expected)
            try await database.execute("DELETE FROM individuals WHERE id = '00000000-0000-7000-8000-000000000003'")
            _ = try await Migrator(database: database).migrate()
            #expect(try await readIndexDefinitions(database) == before)
        }
    }

    /// Imports the fixtures as a large load, then sets aside what such a load sets aside, as a
    /// load killed before it put them back leaves the registry. Returns what the load had built.
    private func largeLoadKilledBeforePuttingBack(_ database: RegistryDatabase) async throws -> [String: String] {
        let folder = try fixtureFolder()
        defer { folder.delete() }
        _ = try await RegistryImport(database: database).run(
            directory: folder.path, options: ImportOptions(actor: "tester", indexesAfterLoadFrom: 1), problems: { _ in })
        let built = try await readIndexDefinitions(database)
        for statement in SetAsideForLoad.drops(database.dialect) { try await database.execute(statement) }
        return built
    }

    @Test("a person whose household the write pass cannot find by its text is refused then, and nothing of them written",
          arguments: TestDatabaseKind.allCases)
    func householdMissingAtWriteTime(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            folder.remove("individuals.csv")
            _ = try await runImport(database, folder)
            try folder.write("individuals.csv", """
                person_ref,household_ref,relationship,given_names,first_surname
                P1,H1,head,Ana,Pérez
                P9,H-ghost,head,Eva,Ruiz

                """)
            // What a fingerprint clash would do: a check pass that let H-ghost through.
            let log = ProblemLog()
            let path = folder.path + "/individuals.csv"
            let outcome = try await database.withImportConnection { connection in
                try await ImportWrite(connection: connection, reader: ExchangeRowReader(), plan: ImportPlan(),
                                      options: ImportOptions(actor: "tester"), problems: log.take, progress: { _ in })
                    .individuals(path: path)
            }
            #expect(outcome.added == 1 && outcome.refused == 1)
            #expect(log.has(file: "individuals.csv", line: 3, column: "household_ref"))
            let counts = try await RegistryStatistics(database: database).counts()
            #expect(counts.individuals == 1 && counts.memberships == 1)
        }
    }

    @Test("an import stopped between chunks, run again, ends as an uninterrupted one", arguments: TestDatabaseKind.allCases)
    func resumed(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            // A first run that imports only areas and households, as if killed before the people landed.
            folder.remove("individuals.csv")
            _ = try await runImport(database, folder, chunkLines: 1)
            try folder.write("individuals.csv", Fixtures.individuals)
            let (summary, log) = try await runImport(database, folder, chunkLines: 1)
            #expect(log.problems.isEmpty)
            #expect(summary.households.alreadyPresent == 3)
            #expect(summary.individuals.added == 5)
            let numbers = try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 10)
                .households.map(\.registryNumber)
            #expect(numbers == (1...3).map { RegistryNumber(sequence: $0).description })
            #expect(try await RegistryStatistics(database: database).counts().memberships == 5)
        }
    }

    @Test("the change history refuses to be rewritten", arguments: TestDatabaseKind.allCases)
    func appendOnlyHistory(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try fixtureFolder()
            defer { folder.delete() }
            _ = try await runImport(database, folder)
            await #expect(throws: (any Error).self) { try await database.execute("UPDATE change_history SET actor = 'someone else'") }
            await #expect(throws: (any Error).self) { try await database.execute("DELETE FROM change_history") }
            #expect(try await RegistryStatistics(database: database).counts().changeHistoryEntries == 15)
        }
    }
}

/// How the database defines each read index, and on PostgreSQL each foreign key a large
/// load sets aside, by name, as it reports them.
func readIndexDefinitions(_ database: RegistryDatabase) async throws -> [String: String] {
    // A unique key is its constraint and its index; an index left without its constraint reads differently.
    let sql = database.dialect == .sqlite
        ? "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index'"
        : """
          SELECT indexname AS name, indexdef AS definition FROM pg_indexes
           WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))
          UNION ALL SELECT conname AS name,
                 pg_get_constraintdef(oid) || CASE WHEN contype = 'f' THEN '' ELSE ' ' || pg_get_indexdef(conindid) END AS definition
            FROM pg_constraint WHERE contype IN ('f', 'p', 'u')
          """
    let names = Set(ReadIndexes.all.map(\.name)
        + (database.dialect == .postgres ? LoadedForeignKeys.all.map(\.name) + LoadedUniqueKeys.all.map(\.name) : []))
    return try await database.read { db in
        var found: [String: String] = [:]
        for row in try await db.raw(SQLQueryString(sql)).all() {
            let name = try row.decode(column: "name", as: String.self)
            if names.contains(name) { found[name] = try row.decode(column: "definition", as: String?.self) ?? "" }
        }
        return found
    }
}

/// How many of what `readIndexDefinitions` reads a large load sets aside on the database.
func setAsideCount(_ database: RegistryDatabase) -> Int {
    ReadIndexes.all.count + (database.dialect == .postgres ? LoadedForeignKeys.all.count + LoadedUniqueKeys.all.count : 0)
}

@Suite("The fingerprints of refs an import keeps")
struct RefIndexTests {
    @Test("every ref is found with its line, through many growths; refs never given are not")
    func findsWhatWasGiven() {
        var index = RefIndex()
        for number in 1...100_000 { index["H-\(number)"] = Int32(number % 7 == 0 ? -number : number) }
        #expect(index.count == 100_000)
        var wrong = 0
        for number in 1...100_000 where index["H-\(number)"] != Int32(number % 7 == 0 ? -number : number) { wrong += 1 }
        #expect(wrong == 0)
        #expect(index.accepts("H-1") && !index.accepts("H-7") && index.contains("H-7"))
        var strangers = 0
        for number in 100_001...200_000 where index.contains("H-\(number)") { strangers += 1 }
        #expect(strangers == 0)
        // A ref given again keeps one entry and takes the newer line.
        index["H-5"] = 99
        #expect(index.count == 100_000 && index["H-5"] == 99)
        // Text is compared by its bytes: a precomposed and a decomposed é are two refs.
        index["Jos\u{E9}"] = 1
        #expect(!index.contains("Jose\u{301}"))
    }
}

/// The registry's indexes that only reads need: no constraint rests on them, so a large
/// load may drop them and build each once at the end, from sorted keys, rather than insert
/// into it row by row (DESIGN.md: "indexes that only reads need can be built after a large
/// load").
///
/// Each is made by a migration first; the definitions here must stay those of the
/// migrations, which a test checks. An import killed between the drop and the build leaves
/// them missing until the next import or `migrate` (which `serve` runs) builds them again.
enum ReadIndexes {
    /// `loadOrder` says whether a load's rows arrive in the order of the index's keys. Ids
    /// are UUID version 7 (`RecordIdentifiers`), made in file order, so an index led by an
    /// id only grows at its right edge, which costs a load little; keys in no particular
    /// order (a birth date, a document number, an area) land all over their index, which
    /// is what makes building it once at the end pay on any database.
    static let all: [(name: String, table: String, columns: String, loadOrder: Bool)] = [
        ("households_area", "households", "area_id, registry_sequence", false),
        ("individuals_document", "individuals", "id_number", false),
        ("individuals_birth_date", "individuals", "birth_date", false),
        ("memberships_household", "memberships", "household_id", true),
        ("memberships_individual", "memberships", "individual_id", true),
        ("change_history_household", "change_history", "household_id, id", true),
        ("change_history_entity", "change_history", "entity_id, id", true),
    ]

    /// What a large load drops. SQLite keeps the indexes its rows append to: at a million
    /// households, building them again took 20 s longer than keeping them. PostgreSQL builds
    /// an index faster than it maintains one under COPY, so there all go (100,000
    /// households: 16 s dropping all, 20 s keeping those).
    static func drops(_ dialect: RegistryDatabase.Dialect) -> [String] {
        all.filter { dialect == .postgres || !$0.loadOrder }.map { "DROP INDEX IF EXISTS \($0.name)" }
    }

    /// Builds those that are missing; does nothing where all are there.
    static var builds: [String] { all.map(build) }

    static func build(_ index: (name: String, table: String, columns: String, loadOrder: Bool)) -> String {
        "CREATE INDEX IF NOT EXISTS \(index.name) ON \(index.table) (\(index.columns))"
    }
}

/// What a large load sets aside on each database, and puts back (or finds already there).
enum SetAsideForLoad {
    static func drops(_ dialect: RegistryDatabase.Dialect) -> [String] {
        ReadIndexes.drops(dialect)
            + (dialect == .postgres ? LoadedForeignKeys.drops + LoadedUniqueKeys.drops : [LoadedForeignKeys.sqliteUnchecked])
    }

    /// Builds what a load set aside, through the `runners` (each runs statements on a
    /// connection of its own); on SQLite, where the load wrote without checking its keys,
    /// checks them then, over the whole tables, through `count`. Only a load sets indexes
    /// aside, so one missing (this import's, or a killed one's) is what says a check is due.
    ///
    /// On SQLite the check goes on beside the builds when `count` has a connection of its
    /// own, which the write-ahead log lets read the loaded rows while the builds write: at a
    /// million households the two took 9.3 s side by side against 13.4 s one after the
    /// other. The builds finish all the same when a key is found broken.
    ///
    /// PostgreSQL builds several indexes at once, each under a share lock that lets the
    /// others build: with one at a time, one core idled through most of that last stage of
    /// a large load. Its foreign keys go back unchecked first, in a moment, and are checked
    /// among the index builds (see `LoadedForeignKeys.checks`); its unique keys' indexes
    /// build among the others, and become constraints again once all are built.
    static func putBack(_ dialect: RegistryDatabase.Dialect, count: @escaping @Sendable (String) async throws -> Int64,
                        runners: [@Sendable (String) async throws -> Void]) async throws {
        var checkKeys = false
        if dialect == .sqlite {
            let names = ReadIndexes.all.map { "'\($0.name)'" }.joined(separator: ", ")
            let present = try await count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN (\(names))")
            checkKeys = present < ReadIndexes.all.count
        }
        if dialect == .postgres {
            for statement in LoadedForeignKeys.adds { try await runners[0](statement) }
        }
        async let broken = checkKeys ? count(LoadedForeignKeys.sqliteCheck) : 0
        let work = dialect == .postgres ? LoadedForeignKeys.checksAmongBuilds : ReadIndexes.builds
        let taken = Collected(0)
        // A statement that fails (a key found broken) does not stop the others: what can be
        // built is, and the first failure is thrown once all have run.
        let failure = Collected<(any Error)?>(nil)
        await withTaskGroup(of: Void.self) { group in
            for run in dialect == .postgres ? runners : Array(runners.prefix(1)) {
                group.addTask {
                    while true {
                        let next = taken.update { next in
                            defer { next += 1 }
                            return next
                        }
                        guard next < work.count else { return }
                        do {
                            try await run(work[next])
                        } catch {
                            failure.update { $0 = $0 ?? error }
                        }
                    }
                }
            }
        }
        if dialect == .postgres {
            for statement in LoadedUniqueKeys.attaches { try await runners[0](statement) }
        }
        if let failure = failure.value { throw failure }
        let brokenRows = try await broken
        if brokenRows > 0 {
            throw StorageError.inconsistent("\(brokenRows) rows of households or memberships point to a record that is not there")
        }
    }
}

/// The foreign keys a bulk load writes through, which PostgreSQL checks with a query and a
/// row lock on the parent for every row inserted: half of what a large load costs it. The
/// import has checked every reference itself, so on PostgreSQL a large load drops these
/// and adds them back at the end, where each is checked in one join over the table, as
/// PostgreSQL's documentation advises for populating a database. (SQLite checks a key by
/// one cheap lookup, and cannot drop a constraint without rebuilding its table.)
///
/// Like the read indexes: an import killed before adding them back leaves them missing
/// until the next import or `migrate` adds them.
enum LoadedForeignKeys {
    /// Longest to check first (3.6 s at a million households, against 1.4 s and 0.3 s).
    static let all: [(name: String, table: String, column: String, references: String)] = [
        ("memberships_individual_id_fkey", "memberships", "individual_id", "individuals (id)"),
        ("memberships_household_id_fkey", "memberships", "household_id", "households (id)"),
        ("households_area_id_fkey", "households", "area_id", "areas (id)"),
    ]

    static var drops: [String] { all.map { "ALTER TABLE \($0.table) DROP CONSTRAINT IF EXISTS \($0.name)" } }

    /// SQLite cannot drop a key, but a connection may stop checking them: a large load on
    /// SQLite looked each key up as it wrote, a tenth of a million-household import (67 s
    /// against 60 s). The whole tables are checked once after the load instead (about 4 s
    /// at a million households), beside the index builds.
    static let sqliteUnchecked = "PRAGMA foreign_keys = OFF"

    /// How many rows of the tables a load writes point to a row that is not there.
    static let sqliteCheck = """
        SELECT (SELECT COUNT(*) FROM pragma_foreign_key_check('households'))
             + (SELECT COUNT(*) FROM pragma_foreign_key_check('memberships'))
        """

    /// Adds back those that are missing, unchecked: a moment's work under a lock that would
    /// hold up the index builds, were it taken among them.
    static var adds: [String] {
        all.map { key in
            """
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '\(key.name)') THEN
                    ALTER TABLE \(key.table) ADD CONSTRAINT \(key.name) FOREIGN KEY (\(key.column)) REFERENCES \(key.references) NOT VALID;
                END IF;
            END $$
            """
        }
    }

    /// Checks each key not yet checked over its whole table. A check locks out index builds
    /// on the table that holds the key, not on the table it points to.
    static var checks: [String] {
        all.map { key in
            """
            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '\(key.name)' AND NOT convalidated) THEN
                    ALTER TABLE \(key.table) VALIDATE CONSTRAINT \(key.name);
                END IF;
            END $$
            """
        }
    }

    /// The index builds (the unique keys' first) with the checks among them, so that a core
    /// is not left idle: a check runs in one process, where an index build takes both cores.
    /// The longest check goes first, the others after two builds on tables no check locks,
    /// and the builds on the tables that hold the keys last, when the checks are likely done.
    static var checksAmongBuilds: [String] {
        let holders = Set(all.map(\.table))
        let builds = LoadedUniqueKeys.all.map { (table: $0.table, statement: LoadedUniqueKeys.build($0)) }
            + ReadIndexes.all.map { (table: $0.table, statement: ReadIndexes.build($0)) }
        let free = builds.filter { !holders.contains($0.table) }.map(\.statement)
        let held = builds.filter { holders.contains($0.table) }.map(\.statement)
        return checks.prefix(1) + free.prefix(2) + checks.dropFirst() + free.dropFirst(2) + held
    }
}

/// What `amparo bench import --repeat` does between two imports into a PostgreSQL database
/// it was given empty: empties the tables an import fills, so that the next import starts
/// as the first did. Nothing else calls it: on a registry in use it would remove every
/// household. (On SQLite each repetition imports into a new file instead: there the change
/// history's triggers refuse a DELETE, as they should.)
public enum BenchmarkRegistry {
    public static func emptyAfterImport(_ database: RegistryDatabase) async throws {
        guard database.dialect == .postgres else {
            throw StorageError.badLocation("only a PostgreSQL benchmark database is emptied between repetitions")
        }
        try await database.transaction { db in
            try await db.raw("TRUNCATE change_history, memberships, individuals, households, areas RESTART IDENTITY CASCADE").run()
            try await db.raw("UPDATE registry_counters SET value = 0 WHERE name = 'household'").run()
        }
    }
}

/// Where PostgreSQL keeps each household's facts for targeting, packed in one row (see
/// `HouseholdSnapshots`), and how far through the change history they are current. A run
/// reads a row per household from it instead of joining every membership to its person.
/// SQLite reads its own tables faster than it would this copy, and has the table unused.
///
/// Both tables are unlogged on PostgreSQL: the snapshot is rebuilt from the registry at
/// will, so it is not worth the write-ahead log, and after a crash the server empties both
/// together, which leaves the snapshot taken for not current.
struct CreateHouseholdSnapshots: Migration {
    let version = 10
    let name = "CreateHouseholdSnapshots"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        let table = dialect == .postgres ? "CREATE UNLOGGED TABLE" : "CREATE TABLE"
        return [
            """
            \(table) household_snapshots (
                household_id \(t.id) PRIMARY KEY,
                area_path TEXT NOT NULL,
                facts TEXT NOT NULL
            )
            """,
            """
            \(table) household_snapshot_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                current_through BIGINT
            )
            """,
        ]
    }
}

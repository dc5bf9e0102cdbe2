/// Splits targeting's snapshot (see `HouseholdSnapshots`) so that an import can write it
/// as it adds households and people: `household_snapshots` keeps a row a household, now
/// with the household's own answers alone, and `member_snapshots` holds its members' rows,
/// a row for the members that came together (one import chunk, or one rebuilding). The
/// first targeting run after an import then reads the snapshot as it stands instead of
/// rebuilding it.
///
/// The snapshot starts empty and not current: the next whole-registry run, or `amparo
/// target snapshot`, builds it. Unlogged on PostgreSQL, as `household_snapshots` is;
/// SQLite has the table unused.
struct SnapshotsWrittenByImports: Migration {
    let version = 12
    let name = "SnapshotsWrittenByImports"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        let table = dialect == .postgres ? "CREATE UNLOGGED TABLE" : "CREATE TABLE"
        return [
            "DELETE FROM household_snapshots",
            // Led by the household: a run reads the members of a range of households. The second
            // part of the key is the first membership of the row, or the household for a rebuilt row.
            """
            \(table) member_snapshots (
                household_id \(t.id) NOT NULL,
                first_id \(t.id) NOT NULL,
                facts TEXT NOT NULL,
                PRIMARY KEY (household_id, first_id)
            )
            """,
            "UPDATE household_snapshot_state SET current_through = NULL",
        ]
    }
}

/// Compares the registry's refs, document numbers and birth dates byte by byte on
/// PostgreSQL (`COLLATE "C"`), as SQLite always has. They are codes, not words: no
/// language's order means anything for them, and an ISO date sorts right by its bytes.
/// Under the database's language collation every comparison went through `strcoll`, and
/// sorting could not use abbreviated keys: at a million households the unique index on
/// people's refs, kept up row by row through an import, and the document and birth-date
/// indexes built after it took half as long again (birth dates 5.2 s against 3.3 s,
/// documents 4.8 s against 2.0 s).
///
/// Only the collation changes, so PostgreSQL rebuilds the columns' indexes and leaves the
/// rows where they are.
struct CodesInByteOrder: Migration {
    let version = 11
    let name = "CodesInByteOrder"

    static let columns = [
        ("households", "source_ref"), ("individuals", "source_ref"), ("individuals", "id_number"), ("individuals", "birth_date"),
    ]

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        guard dialect == .postgres else { return [] }
        return Self.columns.map { table, column in "ALTER TABLE \(table) ALTER COLUMN \(column) TYPE TEXT COLLATE \"C\"" }
    }
}

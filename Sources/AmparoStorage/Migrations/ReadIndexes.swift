/// The registry's indexes that only reads need: no constraint rests on them, so a large
/// load may drop them and build each once at the end, from sorted keys, rather than insert
/// into it row by row (DESIGN.md: "indexes that only reads need can be built after a large
/// load").
///
/// Each is made by a migration first; the definitions here must stay those of the
/// migrations, which a test checks. An import killed between the drop and the build leaves
/// them missing until the next import or `migrate` (which `serve` runs) builds them again.
enum ReadIndexes {
    static let all: [(name: String, table: String, columns: String)] = [
        ("households_area", "households", "area_id, registry_sequence"),
        ("individuals_document", "individuals", "id_number"),
        ("individuals_birth_date", "individuals", "birth_date"),
        ("memberships_household", "memberships", "household_id"),
        ("memberships_individual", "memberships", "individual_id"),
        ("change_history_household", "change_history", "household_id, id"),
        ("change_history_entity", "change_history", "entity_id, id"),
    ]

    static var drops: [String] { all.map { "DROP INDEX IF EXISTS \($0.name)" } }

    /// Builds those that are missing; does nothing where all are there.
    static var builds: [String] { all.map { "CREATE INDEX IF NOT EXISTS \($0.name) ON \($0.table) (\($0.columns))" } }
}

/// Drops, on PostgreSQL, the foreign keys of targeting results. PostgreSQL checks each key
/// with a query and a row lock on the parent for every row a run writes: a lock on every
/// household of the registry, logged, on every run. That was a third of a whole-registry
/// run's time. A run writes the results of households it has just read, the registry
/// never deletes a household or a run, and results are only ever read by their run.
///
/// SQLite checks a key by one lookup and cannot drop a constraint without rebuilding its
/// table, so there the keys stay.
struct ResultsWithoutKeyChecks: Migration {
    let version = 8
    let name = "ResultsWithoutKeyChecks"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        guard dialect == .postgres else { return [] }
        return [
            "ALTER TABLE targeting_results DROP CONSTRAINT IF EXISTS targeting_results_household_id_fkey",
            "ALTER TABLE targeting_results DROP CONSTRAINT IF EXISTS targeting_results_run_id_fkey",
        ]
    }
}

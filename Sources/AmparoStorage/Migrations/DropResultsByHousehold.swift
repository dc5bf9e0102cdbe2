/// Drops the index of targeting results led by household. Every query of results names
/// the run, which the primary key (run, household) serves; the household-led index only
/// grew, by a million entries scattered through it for every run of a million households,
/// and made each run slower than the one before.
struct DropResultsByHousehold: Migration {
    let version = 7
    let name = "DropResultsByHousehold"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        ["DROP INDEX IF EXISTS targeting_results_household"]
    }
}

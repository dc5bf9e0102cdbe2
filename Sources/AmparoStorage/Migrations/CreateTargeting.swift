/// Targeting: published policies (never changed once published), runs over the registry,
/// each household's result in a run, and each run's figures by area and group.
struct CreateTargeting: Migration {
    let version = 2
    let name = "CreateTargeting"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        var statements = [
            """
            CREATE TABLE targeting_policies (
                name TEXT NOT NULL,
                version INTEGER NOT NULL,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                is_example INTEGER NOT NULL,
                definition TEXT NOT NULL,
                published_at TEXT NOT NULL,
                published_by TEXT NOT NULL,
                PRIMARY KEY (name, version)
            )
            """,
            """
            CREATE TABLE targeting_runs (
                id \(t.serial),
                policy_name TEXT NOT NULL,
                policy_version INTEGER NOT NULL,
                purpose TEXT NOT NULL,
                definition TEXT,
                reference_date TEXT NOT NULL,
                area_code TEXT,
                area_path TEXT,
                status TEXT NOT NULL,
                cursor_id \(t.id),
                households_done \(t.bigint) NOT NULL DEFAULT 0,
                score_denominator \(t.bigint) NOT NULL,
                started_by TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT
            )
            """,
            """
            CREATE TABLE targeting_results (
                run_id \(t.bigint) NOT NULL REFERENCES targeting_runs (id),
                household_id \(t.id) NOT NULL REFERENCES households (id),
                area_id \(t.id) NOT NULL,
                zone TEXT,
                head_sex TEXT,
                head_ethnicity TEXT,
                members INTEGER NOT NULL,
                class TEXT NOT NULL,
                score_units \(t.bigint) NOT NULL,
                value \(t.real),
                deprived \(t.bigint) NOT NULL,
                missing \(t.bigint) NOT NULL,
                PRIMARY KEY (run_id, household_id)
            )
            """,
            "CREATE INDEX targeting_results_household ON targeting_results (household_id, run_id)",
            """
            CREATE TABLE targeting_aggregates (
                run_id \(t.bigint) NOT NULL REFERENCES targeting_runs (id),
                scope TEXT NOT NULL,
                key TEXT NOT NULL,
                weighting TEXT NOT NULL,
                tally TEXT NOT NULL,
                PRIMARY KEY (run_id, scope, key, weighting)
            )
            """,
        ]
        // A published policy is never changed or removed: a new version is a new policy.
        statements += t.refusingChanges(
            to: "targeting_policies", guardName: "immutable", message: "a published policy cannot change; publish a new version")
        return statements
    }
}

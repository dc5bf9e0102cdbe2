/// Identity resolution: deduplication runs over the registry, the pairs each found (linked
/// at once or sent to clerical review, with the reviewer's decision), and merges, which
/// point one record to another without removing either and can be undone.
struct CreateIdentity: Migration {
    let version = 3
    let name = "CreateIdentity"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        return [
            """
            CREATE TABLE identity_runs (
                id \(t.serial),
                status TEXT NOT NULL,
                model TEXT NOT NULL,
                link_threshold \(t.real) NOT NULL,
                review_threshold \(t.real) NOT NULL,
                records \(t.bigint) NOT NULL,
                cursor_rule INTEGER NOT NULL DEFAULT 0,
                cursor_block \(t.bigint) NOT NULL DEFAULT 0,
                pairs \(t.bigint) NOT NULL DEFAULT 0,
                started_by TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT
            )
            """,
            """
            CREATE TABLE identity_pairs (
                run_id \(t.bigint) NOT NULL REFERENCES identity_runs (id),
                left_id \(t.id) NOT NULL REFERENCES individuals (id),
                right_id \(t.id) NOT NULL REFERENCES individuals (id),
                probability \(t.real) NOT NULL,
                weight \(t.real) NOT NULL,
                pattern \(t.bigint) NOT NULL,
                status TEXT NOT NULL,
                decision TEXT,
                decided_by TEXT,
                decided_at TEXT,
                PRIMARY KEY (run_id, left_id, right_id)
            )
            """,
            "CREATE INDEX identity_pairs_queue ON identity_pairs (run_id, status, probability)",
            """
            CREATE TABLE identity_merges (
                id \(t.serial),
                individual_id \(t.id) NOT NULL REFERENCES individuals (id),
                into_id \(t.id) NOT NULL REFERENCES individuals (id),
                run_id \(t.bigint) REFERENCES identity_runs (id),
                merged_by TEXT NOT NULL,
                merged_at TEXT NOT NULL,
                reason TEXT,
                undone_by TEXT,
                undone_at TEXT
            )
            """,
            // The registration-time check looks persons up by birth date as well as by ID number.
            "CREATE INDEX individuals_birth_date ON individuals (birth_date)",
            // A record is merged into at most one other at a time.
            "CREATE UNIQUE INDEX identity_merges_active ON identity_merges (individual_id) WHERE undone_at IS NULL",
        ]
    }
}

/// Makes the access log an audit trail that can be handed to a court: each entry gets its
/// place in a hash chain (`seq`, `entry_hash`, covering the entry before it), the role and
/// area it was done under, its outcome (a refusal is logged too), the address it came
/// from, and a keyed hash of search terms in place of the terms. PostgreSQL also refuses
/// TRUNCATE. Entries written before this migration stay as they were, outside the chain.
struct ChainAccessLog: Migration {
    let version = 14
    let name = "ChainAccessLog"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        var statements = [
            "ALTER TABLE access_log ADD COLUMN seq \(t.bigint)",
            "ALTER TABLE access_log ADD COLUMN actor_role TEXT",
            "ALTER TABLE access_log ADD COLUMN area_path TEXT",
            "ALTER TABLE access_log ADD COLUMN outcome TEXT",
            "ALTER TABLE access_log ADD COLUMN address TEXT",
            "ALTER TABLE access_log ADD COLUMN terms_hash TEXT",
            "ALTER TABLE access_log ADD COLUMN entry_hash TEXT",
            "CREATE UNIQUE INDEX access_log_seq ON access_log (seq)",
            "CREATE INDEX access_log_actor ON access_log (actor, id)",
        ]
        if dialect == .postgres {
            statements.append("""
                CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
                FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()
                """)
        }
        return statements
    }
}

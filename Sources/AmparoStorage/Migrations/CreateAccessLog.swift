/// The log of who read which personal data, when, through which channel and for what:
/// a citizen may ask who looked at their record, and an auditor what an officer consulted.
/// Append-only: the database itself refuses to change or remove an entry.
struct CreateAccessLog: Migration {
    let version = 5
    let name = "CreateAccessLog"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        return [
            """
            CREATE TABLE access_log (
                id \(t.serial),
                occurred_at TEXT NOT NULL,
                actor TEXT NOT NULL,
                channel TEXT NOT NULL,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id \(t.id) NOT NULL,
                purpose TEXT NOT NULL,
                request_path TEXT NOT NULL
            )
            """,
            "CREATE INDEX access_log_entity ON access_log (entity_id, occurred_at)",
        ] + t.refusingChanges(to: "access_log", guardName: "append_only",
                              message: "the access log is append-only: entries cannot be changed or removed")
    }
}

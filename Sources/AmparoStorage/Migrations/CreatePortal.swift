/// What the citizen portal keeps: the one-time codes citizens sign in with, their sessions,
/// and the outbox through which codes (and, later, every notice) leave for a phone or an
/// e-mail address. Codes and session tokens are kept only as hashes, so a copy of the
/// database signs nobody in.
struct CreatePortal: Migration {
    let version = 9
    let name = "CreatePortal"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        return [
            """
            CREATE TABLE outbox (
                id \(t.serial),
                channel TEXT NOT NULL,
                destination TEXT NOT NULL,
                body TEXT NOT NULL,
                purpose TEXT NOT NULL,
                created_at TEXT NOT NULL,
                sent_at TEXT,
                claimed_until TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT
            )
            """,
            "CREATE INDEX outbox_waiting ON outbox (sent_at, id)",
            """
            CREATE TABLE portal_codes (
                id \(t.serial),
                individual_id \(t.id) NOT NULL REFERENCES individuals (id),
                household_id \(t.id) NOT NULL REFERENCES households (id),
                salt TEXT NOT NULL,
                code_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                used_at TEXT
            )
            """,
            "CREATE INDEX portal_codes_individual ON portal_codes (individual_id, created_at)",
            """
            CREATE TABLE portal_sessions (
                token_hash TEXT PRIMARY KEY,
                individual_id \(t.id) NOT NULL REFERENCES individuals (id),
                household_id \(t.id) NOT NULL REFERENCES households (id),
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                ended_at TEXT
            )
            """,
        ]
    }
}

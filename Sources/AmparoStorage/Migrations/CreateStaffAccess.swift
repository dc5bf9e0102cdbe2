/// Who may sign in, and with what: staff accounts with their roles in areas, their second
/// factor and sessions; the failed sign-ins that lock an account or an address out for a
/// while; and the system clients that take tokens with the OAuth2 client-credentials grant.
///
/// Accounts and clients are disabled, never deleted, so that the audit trail keeps its
/// actors. Passwords are kept as bcrypt hashes, session tokens, recovery codes and client
/// secrets as SHA-256 hashes (they are long and random: a slow hash adds nothing).
///
/// A role's area is kept as its code and path, `*` and `/` for the whole country, so that
/// the first administrator can be made before any area is loaded.
struct CreateStaffAccess: Migration {
    let version = 13
    let name = "CreateStaffAccess"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        return [
            """
            CREATE TABLE staff_accounts (
                id \(t.id) PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                totp_secret TEXT,
                totp_confirmed_at TEXT,
                totp_last_step \(t.bigint),
                oidc_issuer TEXT,
                oidc_subject TEXT,
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                created_at TEXT NOT NULL,
                disabled_at TEXT
            )
            """,
            "CREATE UNIQUE INDEX staff_accounts_oidc ON staff_accounts (oidc_issuer, oidc_subject)",
            """
            CREATE TABLE staff_roles (
                account_id \(t.id) NOT NULL REFERENCES staff_accounts (id),
                role TEXT NOT NULL,
                area_code TEXT NOT NULL,
                area_path TEXT NOT NULL,
                PRIMARY KEY (account_id, role, area_path)
            )
            """,
            """
            CREATE TABLE staff_recovery_codes (
                account_id \(t.id) NOT NULL REFERENCES staff_accounts (id),
                code_hash TEXT NOT NULL,
                used_at TEXT,
                PRIMARY KEY (account_id, code_hash)
            )
            """,
            """
            CREATE TABLE staff_sessions (
                token_hash TEXT PRIMARY KEY,
                account_id \(t.id) NOT NULL REFERENCES staff_accounts (id),
                stage TEXT NOT NULL,
                csrf TEXT NOT NULL,
                address TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                ended_at TEXT
            )
            """,
            "CREATE INDEX staff_sessions_account ON staff_sessions (account_id)",
            """
            CREATE TABLE sign_in_failures (
                id \(t.serial),
                address TEXT NOT NULL,
                occurred_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX sign_in_failures_address ON sign_in_failures (address, occurred_at)",
            """
            CREATE TABLE api_clients (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                secret_hash TEXT NOT NULL,
                scopes TEXT NOT NULL,
                created_at TEXT NOT NULL,
                disabled_at TEXT
            )
            """,
            """
            CREATE TABLE api_client_areas (
                client_id TEXT NOT NULL REFERENCES api_clients (id),
                area_code TEXT NOT NULL,
                area_path TEXT NOT NULL,
                PRIMARY KEY (client_id, area_path)
            )
            """,
        ]
    }
}

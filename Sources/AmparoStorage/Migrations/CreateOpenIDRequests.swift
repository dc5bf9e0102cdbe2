/// The sign-ins through the country's digital identity (OpenID Connect) under way: what the
/// server must remember between sending a browser to the provider and its coming back — the
/// state (as a hash: it travels in the address), the nonce the ID token must repeat, PKCE's
/// code verifier, the browser the sign-in began in (as a hash of its cookie) and whether it
/// is for the back office or the portal. Each is good for ten minutes and used once.
struct CreateOpenIDRequests: Migration {
    let version = 16
    let name = "CreateOpenIDRequests"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        [
            """
            CREATE TABLE oidc_requests (
                state_hash TEXT PRIMARY KEY,
                browser_hash TEXT NOT NULL,
                nonce TEXT NOT NULL,
                code_verifier TEXT NOT NULL,
                purpose TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                used_at TEXT
            )
            """,
            "CREATE INDEX oidc_requests_expiry ON oidc_requests (expires_at)",
        ]
    }
}

/// Counts the portal's requests for codes and its wrong codes by address, beside the staff's
/// failed sign-ins, so that one address cannot send a flood of messages or of guesses.
struct CountPortalRequests: Migration {
    let version = 15
    let name = "CountPortalRequests"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        [
            "ALTER TABLE sign_in_failures ADD COLUMN kind TEXT NOT NULL DEFAULT 'staff'",
            "CREATE INDEX sign_in_failures_kind ON sign_in_failures (kind, address, occurred_at)",
            "CREATE INDEX sign_in_failures_moment ON sign_in_failures (kind, occurred_at)",
        ]
    }
}

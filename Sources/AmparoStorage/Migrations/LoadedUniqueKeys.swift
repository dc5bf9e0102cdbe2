/// The unique keys of the rows a large load writes that nothing but an import writes
/// against, and that nothing looks up while it loads, which a large load on PostgreSQL
/// drops and builds again once the rows are in: PostgreSQL maintains a unique index row by
/// row under COPY at several times what it costs to build it from sorted keys at the end.
/// At 100,000 households, one COPY each of the people, memberships and history took the
/// server 4.3–5.1 s with these keys in place against 1.8–2.5 s without them, and 0.5–0.6 s
/// to build them after.
///
/// Nothing can break them while they are aside:
/// - only an import adds people and memberships, and one at a time (`ImportLock`); it has
///   checked every ref against the registry and the file, and gives ids that are new;
/// - every writer of the change history takes its ids from the table's identity.
///
/// The households' keys stay: the people stage finds households by their refs, and at a
/// million households building them again cost more than it saved. A key whose rebuilt
/// index finds two equal values stops the import with PostgreSQL's own message naming the
/// key and the value, and stays missing until the rows are put right. A primary key that
/// another table's foreign key points to cannot be dropped this way, so none is listed here.
///
/// Like the read indexes: an import killed with them aside leaves them missing until the
/// next import or `migrate` builds them.
enum LoadedUniqueKeys {
    struct Key: Sendable {
        /// The constraint's name, which its index shares, as the migrations named them.
        var name: String
        var table: String
        var columns: String
        var isPrimary: Bool
    }

    /// Longest to build first.
    static let all: [Key] = [
        Key(name: "individuals_source_ref_key", table: "individuals", columns: "source_ref", isPrimary: false),
        Key(name: "change_history_pkey", table: "change_history", columns: "id", isPrimary: true),
        Key(name: "memberships_pkey", table: "memberships", columns: "id", isPrimary: true),
    ]

    static var drops: [String] { all.map { "ALTER TABLE \($0.table) DROP CONSTRAINT IF EXISTS \($0.name)" } }

    /// Builds the key's index if it is missing. A build takes a share lock, under which the
    /// other indexes of its table may build at the same time.
    static func build(_ key: Key) -> String {
        "CREATE UNIQUE INDEX IF NOT EXISTS \(key.name) ON \(key.table) (\(key.columns))"
    }

    /// Makes each key's index its constraint again, where the index is built and the
    /// constraint missing: a moment's work under a lock that would hold up any index build
    /// on its table, so done after them.
    static var attaches: [String] {
        all.map { key in
            """
            DO $$ BEGIN
                IF to_regclass('\(key.name)') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '\(key.name)') THEN
                    ALTER TABLE \(key.table) ADD CONSTRAINT \(key.name) \(key.isPrimary ? "PRIMARY KEY" : "UNIQUE") USING INDEX \(key.name);
                END IF;
            END $$
            """
        }
    }
}

import AmparoDomain

/// The registry's core: areas, households, individuals, their memberships over time, and
/// the append-only history of every change.
struct CreateRegistry: Migration {
    let version = 1
    let name = "CreateRegistry"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        let questionnaire = Questionnaire.standard
        // In PostgreSQL a prefix LIKE uses a b-tree only with pattern operators.
        let pathIndex = dialect == .postgres ? "areas (path text_pattern_ops)" : "areas (path)"
        var statements = [
            """
            CREATE TABLE areas (
                id \(t.id) PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                level TEXT NOT NULL,
                parent_id \(t.id) REFERENCES areas (id),
                path TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX areas_path ON \(pathIndex)",
            "CREATE INDEX areas_parent ON areas (parent_id)",
            """
            CREATE TABLE households (
                id \(t.id) PRIMARY KEY,
                registry_sequence \(t.bigint) NOT NULL UNIQUE,
                source_ref TEXT NOT NULL UNIQUE,
                area_id \(t.id) NOT NULL REFERENCES areas (id),
                \(t.columns(questionnaire.householdFields)),
                extra TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX households_area ON households (area_id, registry_sequence)",
            """
            CREATE TABLE individuals (
                id \(t.id) PRIMARY KEY,
                source_ref TEXT NOT NULL UNIQUE,
                \(t.columns(questionnaire.individualFields)),
                name_key TEXT NOT NULL DEFAULT '',
                extra TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX individuals_document ON individuals (id_number)",
            """
            CREATE TABLE memberships (
                id \(t.id) PRIMARY KEY,
                household_id \(t.id) NOT NULL REFERENCES households (id),
                individual_id \(t.id) NOT NULL REFERENCES individuals (id),
                relationship TEXT NOT NULL,
                start_date TEXT NOT NULL,
                end_date TEXT,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX memberships_household ON memberships (household_id)",
            "CREATE INDEX memberships_individual ON memberships (individual_id)",
            """
            CREATE TABLE change_history (
                id \(t.serial),
                entity TEXT NOT NULL,
                entity_id \(t.id) NOT NULL,
                household_id \(t.id),
                field TEXT NOT NULL,
                old_value TEXT,
                new_value TEXT,
                actor TEXT NOT NULL,
                channel TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                reason TEXT
            )
            """,
            "CREATE INDEX change_history_household ON change_history (household_id, id)",
            "CREATE INDEX change_history_entity ON change_history (entity_id, id)",
            "CREATE TABLE registry_counters (name TEXT PRIMARY KEY, value \(t.bigint) NOT NULL)",
            "INSERT INTO registry_counters (name, value) VALUES ('household', 0)",
        ]
        // The history is append-only: the database itself refuses to change or remove an entry.
        statements += ColumnTypes(dialect: dialect).refusingChanges(
            to: "change_history", guardName: "append_only", message: "the change history is append-only")
        return statements
    }
}

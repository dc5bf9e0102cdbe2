/// The outlines of areas, loaded from GeoJSON, for the maps of the back office. One per
/// area, kept as a GeoJSON geometry: maps read them whole, nothing queries inside them.
struct CreateAreaBoundaries: Migration {
    let version = 4
    let name = "CreateAreaBoundaries"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        let t = ColumnTypes(dialect: dialect)
        return [
            """
            CREATE TABLE area_boundaries (
                area_id \(t.id) PRIMARY KEY REFERENCES areas (id),
                geometry TEXT NOT NULL,
                loaded_by TEXT NOT NULL,
                loaded_at TEXT NOT NULL
            )
            """,
        ]
    }
}

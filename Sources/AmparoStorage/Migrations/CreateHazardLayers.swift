/// Hazard layers (flood zones, rivers, coast, landslide zones) as GeoJSON, by name: a
/// climate vulnerability index measures each household's distance to them.
struct CreateHazardLayers: Migration {
    let version = 6
    let name = "CreateHazardLayers"

    func statements(for dialect: RegistryDatabase.Dialect) -> [String] {
        [
            """
            CREATE TABLE hazard_layers (
                name TEXT PRIMARY KEY,
                geojson TEXT NOT NULL,
                loaded_by TEXT NOT NULL,
                loaded_at TEXT NOT NULL
            )
            """,
        ]
    }
}

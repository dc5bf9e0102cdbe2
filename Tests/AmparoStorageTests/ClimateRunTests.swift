import Foundation
import Testing
import SQLKit
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

@Suite("Climate vulnerability over the registry")
struct ClimateRunTests {
    @Test("the demo's hazard layers are loaded; a run scores every household from 0 to 1 and needs its layers",
          arguments: TestDatabaseKind.allCases)
    func climateRun(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 120, seed: 9))
            let layers = HazardLayers(database: database)
            let loaded = try await layers.all()
            #expect(Set(loaded.keys) == ["flood_zones", "rivers"])
            #expect(loaded["rivers"]?.lines.count == 6 && (loaded["flood_zones"]?.polygons.count ?? 0) > 10)

            let date = CalendarDate(year: 2026, month: 11, day: 24)!
            let run = try await TargetingRun(database: database).start(.published("example-climate"), referenceDate: date,
                                                                         areaCode: nil, actor: "tester")
            let rows = try await database.read { db in
                try await db.raw("SELECT class, value, missing FROM targeting_results WHERE run_id = \(bind: run)").all()
            }
            #expect(rows.count == 120)
            var classes: [String: Int] = [:]
            for row in rows {
                let name = try row.decode(column: "class", as: String.self)
                classes[name, default: 0] += 1
                if name != "missing" {
                    let value = try #require(try row.decode(column: "value", as: Double?.self))
                    #expect(value >= 0 && value <= 1)
                    #expect(name != "high" || value >= 0.6)
                    #expect(name != "low" || value < 0.35)
                } else {
                    #expect(try row.decode(column: "missing", as: Int64.self) != 0)
                }
            }
            #expect(classes.count >= 3, "\(classes)")

            // A malformed layer is refused and the stored one is kept; without a layer, no run.
            await #expect(throws: HazardLayerError.self) {
                try await layers.load("rivers", geojson: Array(#"{"type":"FeatureCollection","features":[{"geometry":{"type":"Point","coordinates":[1,2]}}]}"#.utf8), actor: "tester")
            }
            await #expect(throws: HazardLayerError.badName("Rivers!")) {
                try await layers.load("Rivers!", geojson: [], actor: "tester")
            }
            #expect(try await layers.all()["rivers"]?.lines.count == 6)
            try await database.transaction { db in try await db.raw("DELETE FROM hazard_layers WHERE name = 'rivers'").run() }
            await #expect(throws: PolicyError.self) {
                try await TargetingRun(database: database).start(.published("example-climate"), referenceDate: date, areaCode: nil, actor: "tester")
            }
        }
    }
}

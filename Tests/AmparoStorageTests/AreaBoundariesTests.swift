import Foundation
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

@Suite("Area outlines in the registry")
struct AreaBoundariesTests {
    @Test("the demo loads its outlines; a file naming an unknown area loads nothing; a new outline replaces the old",
          arguments: TestDatabaseKind.allCases)
    func loadAndReplace(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let demo = DemoRegistry(households: 10, seed: 3)
            _ = try await DemoLoader(database: database).load(demo)
            let outlines = AreaBoundaries(database: database)
            let regions = demo.areaRows().filter { $0[2] == "region" }.map { $0[0] }
            let stored = try await outlines.outlines(codes: regions + ["nowhere"])
            #expect(Set(stored.keys) == Set(regions))
            let first = try #require(demo.boundaries.first { $0.code == regions[0] })
            #expect(stored[regions[0]] == first.polygons)

            let square = [[GeoPoint(longitude: -75, latitude: 5), GeoPoint(longitude: -74, latitude: 5),
                           GeoPoint(longitude: -74, latitude: 4), GeoPoint(longitude: -75, latitude: 5)]]
            await #expect(throws: AreaBoundaryError.unknownAreas(["XX9"])) {
                try await outlines.load([AreaBoundary(code: regions[0], polygons: [square]), AreaBoundary(code: "XX9", polygons: [square])],
                                        actor: "tester")
            }
            #expect(try await outlines.outlines(codes: [regions[0]])[regions[0]] == first.polygons, "nothing changed")
            #expect(try await outlines.load([AreaBoundary(code: regions[0], polygons: [square])], actor: "tester") == 1)
            #expect(try await outlines.outlines(codes: [regions[0]])[regions[0]] == [square])
        }
    }
}

import Foundation
import Testing
@testable import AmparoDomain

@Suite("Area outlines in GeoJSON, and maps drawn from them")
struct MapTests {
    static let collection = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"area_code": "11", "name": "Norte"},
           "geometry": {"type": "Polygon", "coordinates": [[[-75, 5], [-74, 5], [-74, 4], [-75, 4], [-75, 5]]]}},
          {"type": "Feature", "properties": {"area_code": 27},
           "geometry": {"type": "MultiPolygon", "coordinates": [
             [[[-77, 4], [-76, 4], [-76, 3], [-77, 3], [-77, 4]]],
             [[[-78, 2], [-77.5, 2], [-77.5, 1.5], [-78, 2]]]]}}
        ]}
        """

    @Test("polygons and multipolygons are read with their codes, and written back the same")
    func readAndWrite() throws {
        let boundaries = try GeoJSON.boundaries(Array(Self.collection.utf8), codeProperty: "area_code")
        #expect(boundaries.map(\.code) == ["11", "27"])
        #expect(boundaries[0].polygons.count == 1 && boundaries[0].polygons[0][0].count == 5)
        #expect(boundaries[1].polygons.count == 2)
        #expect(boundaries[0].polygons[0][0][1] == GeoPoint(longitude: -74, latitude: 5))
        let written = GeoJSON.featureCollection(boundaries, names: ["11": "Norte"])
        #expect(try GeoJSON.boundaries(Array(written.utf8), codeProperty: "area_code") == boundaries)
        #expect(try GeoJSON.polygons(geometry: GeoJSON.geometry(boundaries[1].polygons)) == boundaries[1].polygons)
    }

    @Test("a malformed file is refused with the place of the fault", arguments: [
        ("{\"type\": \"FeatureCollection\", \"features\": [", "line 1"),
        ("{\"type\": \"Feature\"}", "FeatureCollection"),
        (#"{"type":"FeatureCollection","features":[{"properties":{"code":"1"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
         "features[0]: no area code in the property area_code"),
        (#"{"type":"FeatureCollection","features":[{"properties":{"area_code":"1"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#,
         "features[0].geometry: a Point is not an area's outline"),
        (#"{"type":"FeatureCollection","features":[{"properties":{"area_code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,95],[1,0],[0,0]]]}}]}"#,
         "features[0].geometry.coordinates[0][1]: a position is [longitude, latitude]"),
        (#"{"type":"FeatureCollection","features":[{"properties":{"area_code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1]]]}}]}"#,
         "features[0].geometry.coordinates[0]: a ring must end where it starts"),
        (#"{"type":"FeatureCollection","features":[{"properties":{"area_code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}}]}"#,
         "at least 4 positions"),
        (#"{"type":"FeatureCollection","features":[{"properties":{"area_code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,0]]]}},{"properties":{"area_code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,0]]]}}]}"#,
         "features[1]: the area 1 has an outline already, in features[0]"),
    ])
    func malformed(text: String, expected: String) {
        #expect(throws: GeoJSONProblem.self) { try GeoJSON.boundaries(Array(text.utf8), codeProperty: "area_code") }
        do {
            _ = try GeoJSON.boundaries(Array(text.utf8), codeProperty: "area_code")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("the demo's municipalities tile their province, and its provinces their region")
    func demoOutlinesTile() throws {
        let boundaries = DemoRegistry(households: 1, seed: 1).boundaries
        let byCode = Dictionary(uniqueKeysWithValues: boundaries.map { ($0.code, $0) })
        let areas = DemoRegistry(households: 1, seed: 1).areaRows()
        func surface(_ code: String) -> Double {
            byCode[code]?.polygons.reduce(0) { total, polygon in
                let ring = polygon[0]
                var twice = 0.0
                for index in 0..<(ring.count - 1) {
                    twice += ring[index].longitude * ring[index + 1].latitude - ring[index + 1].longitude * ring[index].latitude
                }
                // RFC 7946: outer rings turn counterclockwise, so their signed area is positive.
                #expect(twice > 0, "\(code) turns clockwise")
                return total + twice / 2
            } ?? 0
        }
        for level in ["region", "province", "municipality"] {
            for row in areas where row[2] == level { #expect(byCode[row[0]] != nil, "\(row[0]) has no outline") }
        }
        for parent in areas where parent[2] == "region" || parent[2] == "province" {
            let children = areas.filter { $0[3] == parent[0] && $0[2] != "locality" }
            let sum = children.map { surface($0[0]) }.reduce(0, +)
            #expect(abs(sum - surface(parent[0])) < 1e-9 * max(1, surface(parent[0])), "\(parent[0])")
        }
    }

    @Test("a map colours each area by its share's fifth, names it, and escapes what it shows")
    func choropleth() {
        #expect(ChoroplethMap.bin(0) == 0 && ChoroplethMap.bin(0.1999) == 0 && ChoroplethMap.bin(0.2) == 1)
        #expect(ChoroplethMap.bin(0.8) == 4 && ChoroplethMap.bin(1) == 4)
        let square = [[GeoPoint(longitude: 0, latitude: 1), GeoPoint(longitude: 1, latitude: 1), GeoPoint(longitude: 1, latitude: 0),
                       GeoPoint(longitude: 0, latitude: 0), GeoPoint(longitude: 0, latitude: 1)]]
        let shifted = [square[0].map { GeoPoint(longitude: $0.longitude + 1, latitude: $0.latitude) }]
        let svg = ChoroplethMap(width: 200).svg([
            .init(code: "A", name: "Río <Alto>", polygons: [square], share: 0.55, shareText: "55 %"),
            .init(code: "B", name: "Bajo", polygons: [shifted], share: nil, shareText: "no data"),
        ], title: "H & M0")
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.contains("viewBox=\"0 0 200.0 100.0\""))
        #expect(svg.components(separatedBy: "<path").count == 3)
        #expect(svg.contains("fill=\"\(ChoroplethMap.colours[2])\"") && svg.contains("fill=\"\(ChoroplethMap.noData)\""))
        #expect(svg.contains("<title>Río &lt;Alto&gt; (A): 55 %</title>") && svg.contains("H &amp; M0"))
        #expect(svg.contains("M0.0,0.0L100.0,0.0L100.0,100.0L0.0,100.0Z"))
        #expect(ChoroplethMap().svg([], title: "none").isEmpty)
    }
}

import Foundation
import Testing
@testable import AmparoDomain

/// The grid must give exactly the metres a scan of every segment gives, wherever the household
/// is: inside an area, in a hole, near a line, at the edge of the map or far beyond it.
@Suite struct HazardIndexTests {
    /// A long winding river of 3,000 segments, a lake with an island (a hole), and the demo's own layers.
    static let layers: [HazardLayer] = {
        var random = SplitMix(seed: 7)
        var river: [GeoPoint] = [GeoPoint(longitude: -75, latitude: 2)]
        for _ in 0..<3_000 {
            let last = river[river.count - 1]
            river.append(GeoPoint(longitude: last.longitude + Double.random(in: -0.002...0.006, using: &random),
                                  latitude: last.latitude + Double.random(in: -0.004...0.004, using: &random)))
        }
        func square(_ west: Double, _ south: Double, _ side: Double) -> [GeoPoint] {
            [GeoPoint(longitude: west, latitude: south), GeoPoint(longitude: west + side, latitude: south),
             GeoPoint(longitude: west + side, latitude: south + side), GeoPoint(longitude: west, latitude: south + side),
             GeoPoint(longitude: west, latitude: south)]
        }
        let lake = HazardLayer(name: "lake", polygons: [[square(-74.5, 2.5, 0.2), square(-74.45, 2.55, 0.05)]], lines: [river])
        // A straight river due north, whose box has no width, and a single point-like segment.
        let straight = HazardLayer(name: "straight", lines: [[GeoPoint(longitude: -73.95, latitude: 3.9), GeoPoint(longitude: -73.95, latitude: 4.1)]])
        return [lake, straight] + DemoRegistry(households: 0, seed: 3).hazardLayers
    }()

    @Test func everyPlaceIsAsFarAsAScanSays() {
        var random = SplitMix(seed: 11)
        for layer in Self.layers {
            let index = HazardIndex(layer)
            let points = layer.polygons.flatMap { $0.flatMap { $0 } } + layer.lines.flatMap { $0 }
            let west = points.map(\.longitude).min()!, east = points.map(\.longitude).max()!
            let south = points.map(\.latitude).min()!, north = points.map(\.latitude).max()!
            var inside = 0, compared = 0
            // Places across the layer's box and a margin as wide again around it, and its vertices themselves.
            var places = (0..<1_000).map { _ in
                GeoPoint(longitude: Double.random(in: (2 * west - east)...(2 * east - west), using: &random),
                         latitude: Double.random(in: (2 * south - north)...(2 * north - south), using: &random))
            }
            places += points.prefix(200)
            places.append(GeoPoint(longitude: east + 3, latitude: north + 3))
            places.append(GeoPoint(longitude: west - 40, latitude: south))
            for place in places {
                let scanned = layer.distance(from: place)
                #expect(index.distance(from: place) == scanned, "\(layer.name) at \(place.longitude), \(place.latitude)")
                if scanned == 0 { inside += 1 }
                compared += 1
            }
            #expect(compared > 1_000)
            if !layer.polygons.isEmpty { #expect(inside > 0, "\(layer.name): some places fall inside its areas") }
        }
    }

    @Test func aPlaceInAHoleIsOutsideTheArea() throws {
        let index = HazardIndex(try #require(Self.layers.first))
        let island = index.distance(from: GeoPoint(longitude: -74.425, latitude: 2.575))
        #expect(island > 2_000 && island < 3_000)
        #expect(index.distance(from: GeoPoint(longitude: -74.49, latitude: 2.51)) == 0)
    }

    @Test func anEmptyLayerIsInfinitelyFar() {
        #expect(HazardIndex(HazardLayer(name: "none")).distance(from: GeoPoint(longitude: 0, latitude: 0)) == .infinity)
    }
}

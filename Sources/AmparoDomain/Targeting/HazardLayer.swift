import Foundation

/// A layer of hazards on the map — flood zones, rivers, the coast, landslide zones — read
/// from GeoJSON: areas (polygons) and lines. A climate vulnerability index measures how far
/// each household's point lies from it.
public struct HazardLayer: Sendable, Equatable {
    public var name: String
    public var polygons: [[[GeoPoint]]]
    public var lines: [[GeoPoint]]

    public init(name: String, polygons: [[[GeoPoint]]] = [], lines: [[GeoPoint]] = []) {
        self.name = name
        self.polygons = polygons
        self.lines = lines
    }

    /// Metres from the point to the nearest part of the layer: 0 inside one of its areas.
    /// Distances are measured on a plane tangent at the point, close enough at the scale of
    /// a few kilometres that distance bands use.
    public func distance(from point: GeoPoint) -> Double {
        let plane = LocalPlane(around: point)
        let local = plane.position
        var nearest = Double.infinity
        func segments(_ points: [GeoPoint]) {
            guard var previous = points.first.map(local) else { return }
            for p in points.dropFirst() {
                let next = local(p)
                nearest = min(nearest, Self.distanceToOrigin(from: previous, to: next))
                previous = next
            }
        }
        for polygon in polygons {
            if Self.contains(polygon, point) { return 0 }
            for ring in polygon { segments(ring) }
        }
        for line in lines { segments(line) }
        return nearest
    }

    /// Metres east and north of a point, on the plane tangent there.
    struct LocalPlane {
        let origin: GeoPoint
        let metresPerDegreeLatitude = 110_574.0
        let metresPerDegreeLongitude: Double

        init(around origin: GeoPoint) {
            self.origin = origin
            metresPerDegreeLongitude = 111_320.0 * cos(origin.latitude * .pi / 180)
        }

        func position(_ p: GeoPoint) -> (x: Double, y: Double) {
            ((p.longitude - origin.longitude) * metresPerDegreeLongitude, (p.latitude - origin.latitude) * metresPerDegreeLatitude)
        }
    }

    /// Distance from (0, 0) to the segment a–b.
    static func distanceToOrigin(from a: (x: Double, y: Double), to b: (x: Double, y: Double)) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = dx * dx + dy * dy
        let t = length > 0 ? max(0, min(1, -(a.x * dx + a.y * dy) / length)) : 0
        let x = a.x + t * dx, y = a.y + t * dy
        return (x * x + y * y).squareRoot()
    }

    /// Even–odd rule over every ring, so that holes are left out.
    static func contains(_ polygon: [[GeoPoint]], _ point: GeoPoint) -> Bool {
        var inside = false
        for ring in polygon {
            var j = ring.count - 1
            for i in ring.indices {
                let a = ring[i], b = ring[j]
                if (a.latitude > point.latitude) != (b.latitude > point.latitude),
                   point.longitude < (b.longitude - a.longitude) * (point.latitude - a.latitude) / (b.latitude - a.latitude) + a.longitude {
                    inside.toggle()
                }
                j = i
            }
        }
        return inside
    }
}

extension GeoJSON {
    /// A hazard layer from a FeatureCollection of Polygons, MultiPolygons, LineStrings and
    /// MultiLineStrings (other geometries are refused, naming the feature).
    public static func hazardLayer(_ bytes: some Collection<UInt8>, name: String) throws(GeoJSONProblem) -> HazardLayer {
        let features = try features(bytes)
        var layer = HazardLayer(name: name)
        for (index, feature) in features.enumerated() {
            let place = "features[\(index)].geometry"
            guard let geometry = feature["geometry"], case .string(let type)? = geometry["type"] else {
                throw GeoJSONProblem(place: place, reason: "no geometry type")
            }
            switch type {
            case "Polygon", "MultiPolygon":
                layer.polygons += try polygons(geometry, place: place)
            case "LineString":
                guard case .array(let positions)? = geometry["coordinates"] else { throw GeoJSONProblem(place: place, reason: "no coordinates") }
                layer.lines.append(try line(positions, place: place + ".coordinates"))
            case "MultiLineString":
                guard case .array(let lines)? = geometry["coordinates"] else { throw GeoJSONProblem(place: place, reason: "no coordinates") }
                for (lineIndex, member) in lines.enumerated() {
                    guard case .array(let positions) = member else {
                        throw GeoJSONProblem(place: "\(place).coordinates[\(lineIndex)]", reason: "a line is a list of positions")
                    }
                    layer.lines.append(try line(positions, place: "\(place).coordinates[\(lineIndex)]"))
                }
            default:
                throw GeoJSONProblem(place: place, reason: "a \(type) is not a hazard's shape (Polygon, MultiPolygon, LineString or MultiLineString)")
            }
        }
        return layer
    }

    private static func line(_ positions: [JSONValue], place: String) throws(GeoJSONProblem) -> [GeoPoint] {
        guard positions.count >= 2 else { throw GeoJSONProblem(place: place, reason: "a line needs at least 2 positions") }
        var points: [GeoPoint] = []
        for (index, value) in positions.enumerated() { points.append(try position(value, place: "\(place)[\(index)]")) }
        return points
    }

    /// A layer as a FeatureCollection, for the demo's files.
    public static func featureCollection(_ layer: HazardLayer) -> String {
        var features = layer.polygons.map { #"{"type":"Feature","properties":{},"geometry":"# + geometry([$0]) + "}" }
        for line in layer.lines {
            let coordinates = line.map { "[\(number($0.longitude)),\(number($0.latitude))]" }.joined(separator: ",")
            features.append(#"{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":["# + coordinates + "]}}")
        }
        return #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}\n"
    }
}

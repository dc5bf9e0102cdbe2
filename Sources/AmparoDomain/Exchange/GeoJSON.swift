import Foundation

/// A point on the map: longitude and latitude in degrees (WGS 84, as GeoJSON has them).
public struct GeoPoint: Sendable, Hashable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}

/// An area's outline: polygons, each a list of rings (the outer one first, then its holes).
public struct AreaBoundary: Sendable, Equatable {
    public var code: String
    public var polygons: [[[GeoPoint]]]

    public init(code: String, polygons: [[[GeoPoint]]]) {
        self.code = code
        self.polygons = polygons
    }
}

/// What is wrong in a GeoJSON file, and where (`features[3].geometry.coordinates[0][5]`).
public struct GeoJSONProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let place: String
    public let reason: String

    public var description: String { place.isEmpty ? reason : "\(place): \(reason)" }
}

/// Reads and writes the outlines of areas as GeoJSON (RFC 7946): a FeatureCollection whose
/// features are Polygons or MultiPolygons, each carrying its area's official code in a property.
public enum GeoJSON {
    public static func boundaries(_ bytes: some Collection<UInt8>, codeProperty: String) throws(GeoJSONProblem) -> [AreaBoundary] {
        let features = try features(bytes)
        var boundaries: [AreaBoundary] = []
        var seen: [String: Int] = [:]
        for (index, feature) in features.enumerated() {
            let place = "features[\(index)]"
            let code: String
            switch feature["properties"]?[codeProperty] {
            case .string(let text)? where !text.trimmingCharacters(in: .whitespaces).isEmpty:
                code = text.trimmingCharacters(in: .whitespaces)
            case .number(let digits)?:
                code = digits
            default:
                throw GeoJSONProblem(place: place, reason: "no area code in the property \(codeProperty)")
            }
            if let earlier = seen[code] {
                throw GeoJSONProblem(place: place, reason: "the area \(code) has an outline already, in features[\(earlier)]")
            }
            seen[code] = index
            guard let geometry = feature["geometry"] else {
                throw GeoJSONProblem(place: place, reason: "no geometry")
            }
            boundaries.append(AreaBoundary(code: code, polygons: try polygons(geometry, place: place + ".geometry")))
        }
        return boundaries
    }

    /// The features of a FeatureCollection.
    static func features(_ bytes: some Collection<UInt8>) throws(GeoJSONProblem) -> [JSONValue] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw GeoJSONProblem(place: "line \(error.line), column \(error.column)", reason: "not JSON: \(error.reason)")
        }
        guard document["type"] == .string("FeatureCollection"), case .array(let features)? = document["features"] else {
            throw GeoJSONProblem(place: "", reason: "a GeoJSON FeatureCollection with a list of features was expected")
        }
        return features
    }

    /// A position, `[longitude, latitude]` in degrees.
    static func position(_ value: JSONValue, place: String) throws(GeoJSONProblem) -> GeoPoint {
        guard case .array(let numbers) = value, numbers.count >= 2,
              case .number(let x) = numbers[0], case .number(let y) = numbers[1],
              let longitude = Double(x), let latitude = Double(y),
              (-180...180).contains(longitude), (-90...90).contains(latitude) else {
            throw GeoJSONProblem(place: place, reason: "a position is [longitude, latitude] in degrees")
        }
        return GeoPoint(longitude: longitude, latitude: latitude)
    }

    /// The polygons of a stored geometry.
    public static func polygons(geometry text: String) throws(GeoJSONProblem) -> [[[GeoPoint]]] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(text.utf8))
        } catch {
            throw GeoJSONProblem(place: "geometry", reason: "not JSON: \(error.reason)")
        }
        return try polygons(value, place: "geometry")
    }

    static func polygons(_ geometry: JSONValue, place: String) throws(GeoJSONProblem) -> [[[GeoPoint]]] {
        guard case .array(let coordinates)? = geometry["coordinates"] else {
            throw GeoJSONProblem(place: place, reason: "no coordinates")
        }
        switch geometry["type"] {
        case .string("Polygon")?:
            return [try polygon(coordinates, place: place + ".coordinates")]
        case .string("MultiPolygon")?:
            var polygons: [[[GeoPoint]]] = []
            for (index, member) in coordinates.enumerated() {
                guard case .array(let rings) = member else {
                    throw GeoJSONProblem(place: "\(place).coordinates[\(index)]", reason: "a polygon is a list of rings")
                }
                polygons.append(try polygon(rings, place: "\(place).coordinates[\(index)]"))
            }
            return polygons
        case .string(let other)?:
            throw GeoJSONProblem(place: place, reason: "a \(other) is not an area's outline (Polygon or MultiPolygon)")
        default:
            throw GeoJSONProblem(place: place, reason: "no geometry type")
        }
    }

    private static func polygon(_ rings: [JSONValue], place: String) throws(GeoJSONProblem) -> [[GeoPoint]] {
        guard !rings.isEmpty else { throw GeoJSONProblem(place: place, reason: "a polygon needs at least its outer ring") }
        var result: [[GeoPoint]] = []
        for (ringIndex, ring) in rings.enumerated() {
            guard case .array(let positions) = ring, positions.count >= 4 else {
                throw GeoJSONProblem(place: "\(place)[\(ringIndex)]", reason: "a ring is a closed list of at least 4 positions")
            }
            var points: [GeoPoint] = []
            points.reserveCapacity(positions.count)
            for (index, value) in positions.enumerated() {
                points.append(try position(value, place: "\(place)[\(ringIndex)][\(index)]"))
            }
            guard points.first == points.last else {
                throw GeoJSONProblem(place: "\(place)[\(ringIndex)]", reason: "a ring must end where it starts")
            }
            result.append(points)
        }
        return result
    }

    /// A geometry as GeoJSON text: a Polygon, or a MultiPolygon for more than one.
    public static func geometry(_ polygons: [[[GeoPoint]]]) -> String {
        func ring(_ points: [GeoPoint]) -> String {
            "[" + points.map { "[\(number($0.longitude)),\(number($0.latitude))]" }.joined(separator: ",") + "]"
        }
        func polygon(_ rings: [[GeoPoint]]) -> String { "[" + rings.map(ring).joined(separator: ",") + "]" }
        if polygons.count == 1 { return #"{"type":"Polygon","coordinates":"# + polygon(polygons[0]) + "}" }
        return #"{"type":"MultiPolygon","coordinates":["# + polygons.map(polygon).joined(separator: ",") + "]}"
    }

    /// A FeatureCollection of outlines, with each area's code and name as properties.
    public static func featureCollection(_ boundaries: [AreaBoundary], names: [String: String], codeProperty: String = "area_code") -> String {
        let features = boundaries.map { boundary in
            let properties = JSONValue.object([(codeProperty, .string(boundary.code)), ("name", .string(names[boundary.code] ?? ""))])
            return #"{"type":"Feature","properties":"# + properties.text + #","geometry":"# + geometry(boundary.polygons) + "}"
        }
        return #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}\n"
    }

    /// Six decimals, about 10 cm: more than any outline needs.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.6f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

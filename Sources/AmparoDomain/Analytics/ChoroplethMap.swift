import Foundation

/// A map of areas coloured by a share (such as the poverty headcount H), drawn as SVG on
/// the server so that it needs no script, prints, and weighs little.
///
/// The projection is equirectangular, with longitudes shrunk by the cosine of the middle
/// latitude: true enough for one country.
public struct ChoroplethMap: Sendable {
    /// One area on the map: its outline, its share (nil without data) and how the share
    /// reads in the reader's language, for the tooltip.
    public struct Area: Sendable {
        public var code: String
        public var name: String
        public var polygons: [[[GeoPoint]]]
        public var share: Double?
        public var shareText: String

        public init(code: String, name: String, polygons: [[[GeoPoint]]], share: Double?, shareText: String) {
            self.code = code
            self.name = name
            self.polygons = polygons
            self.share = share
            self.shareText = shareText
        }
    }

    /// Five classes of a fifth each, light to dark (ColorBrewer's YlOrRd, safe for the
    /// colour-blind and in grey print).
    public static let colours = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
    public static let noData = "#d9d9d9"

    public var width: Double

    public init(width: Double = 600) {
        self.width = width
    }

    /// The class of a share from 0 to 1: 0 for under 20 %, … 4 for 80 % and over.
    public static func bin(_ share: Double) -> Int {
        max(0, min(4, Int((share * 5).rounded(.down))))
    }

    /// The SVG element; `title` names it for screen readers. Empty when no area has an outline.
    public func svg(_ areas: [Area], title: String) -> String {
        let points = areas.flatMap { $0.polygons.flatMap { $0.flatMap { $0 } } }
        guard let first = points.first else { return "" }
        var west = first.longitude, east = first.longitude, south = first.latitude, north = first.latitude
        for point in points {
            west = min(west, point.longitude); east = max(east, point.longitude)
            south = min(south, point.latitude); north = max(north, point.latitude)
        }
        let shrink = cos((north + south) / 2 * .pi / 180)
        let spanX = max((east - west) * shrink, 1e-9), spanY = max(north - south, 1e-9)
        let scale = width / spanX
        let height = (spanY * scale * 10).rounded() / 10
        func x(_ point: GeoPoint) -> String { Self.coordinate((point.longitude - west) * shrink * scale) }
        func y(_ point: GeoPoint) -> String { Self.coordinate((north - point.latitude) * scale) }

        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Self.coordinate(width)) \#(Self.coordinate(height))" role="img" aria-labelledby="map-title">"#
        svg += #"<title id="map-title">\#(Self.escape(title))</title>"#
        for area in areas where !area.polygons.isEmpty {
            var path = ""
            for polygon in area.polygons {
                for ring in polygon {
                    var last = ""
                    // `Z` closes the ring: its repeated last position is left out.
                    let open = ring.count > 1 && ring.first == ring.last ? ring.dropLast() : ring[...]
                    for (index, point) in open.enumerated() {
                        let here = x(point) + "," + y(point)
                        if here == last { continue }
                        path += (index == 0 ? "M" : "L") + here
                        last = here
                    }
                    path += "Z"
                }
            }
            let fill = area.share.map { Self.colours[Self.bin($0)] } ?? Self.noData
            svg += #"<path d="\#(path)" fill="\#(fill)" fill-rule="evenodd" data-area="\#(Self.escape(area.code))">"#
            svg += "<title>\(Self.escape(area.name)) (\(Self.escape(area.code))): \(Self.escape(area.shareText))</title></path>"
        }
        return svg + "</svg>"
    }

    private static func coordinate(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

import Foundation

/// A hazard layer on a grid, so that the distance from a household to the layer looks at the
/// segments near it and not at every segment of a national map.
///
/// Each cell lists the segments and the areas whose bounding boxes overlap it. A query looks
/// at the cells in rings around the household's cell, nearest first, and stops when no
/// segment outside the rings looked at could be nearer than the nearest found. It measures
/// each segment exactly as `HazardLayer.distance(from:)` does, so it gives the same metres.
public struct HazardIndex: Sendable {
    public let layer: HazardLayer
    private let segments: [(a: GeoPoint, b: GeoPoint)]
    private let west: Double, south: Double
    /// The side of a cell, in degrees of longitude and of latitude.
    private let cellWidth: Double, cellHeight: Double
    private let columns: Int, rows: Int
    /// Per cell (row-major), the segments whose bounding box overlaps it.
    private let segmentCells: [[Int32]]
    /// Per cell, the areas (positions in `layer.polygons`) whose bounding box overlaps it.
    private let polygonCells: [[Int32]]

    public init(_ layer: HazardLayer) {
        self.layer = layer
        var pieces: [(a: GeoPoint, b: GeoPoint)] = []
        for path in layer.polygons.flatMap({ $0 }) + layer.lines {
            for index in path.indices.dropFirst() { pieces.append((path[index - 1], path[index])) }
        }
        let segments = pieces
        self.segments = pieces
        let all = layer.polygons.flatMap { $0.flatMap { $0 } } + layer.lines.flatMap { $0 }
        let west = all.map(\.longitude).min() ?? 0, east = all.map(\.longitude).max() ?? 0
        let south = all.map(\.latitude).min() ?? 0, north = all.map(\.latitude).max() ?? 0
        // About one segment a cell, between 1 and 1,000,000 cells.
        let cells = Double(max(1, min(segments.count, 1_000_000)))
        // Square cells, at most 1,000 a side: a layer that is a single straight line has a box
        // of no width, and cells as thin as that box would take forever to ring.
        let side = max(((east - west) * (north - south) / cells).squareRoot(), max(east - west, north - south) / 1_000, 1e-4)
        let columns = max(1, Int(((east - west) / side).rounded(.up)))
        let rows = max(1, Int(((north - south) / side).rounded(.up)))
        let width = side, height = side
        var cellSegments = Array(repeating: [Int32](), count: columns * rows)
        var cellPolygons = Array(repeating: [Int32](), count: columns * rows)
        func cellRange(_ points: [GeoPoint]) -> (columns: ClosedRange<Int>, rows: ClosedRange<Int>) {
            let longitudes = points.map(\.longitude), latitudes = points.map(\.latitude)
            let first = Self.cell(longitudes.min()!, west, width, columns), last = Self.cell(longitudes.max()!, west, width, columns)
            let low = Self.cell(latitudes.min()!, south, height, rows), high = Self.cell(latitudes.max()!, south, height, rows)
            return (first...last, low...high)
        }
        for (index, segment) in segments.enumerated() {
            let range = cellRange([segment.a, segment.b])
            for y in range.rows { for x in range.columns { cellSegments[y * columns + x].append(Int32(index)) } }
        }
        for (index, polygon) in layer.polygons.enumerated() {
            let points = polygon.flatMap { $0 }
            guard !points.isEmpty else { continue }
            let range = cellRange(points)
            for y in range.rows { for x in range.columns { cellPolygons[y * columns + x].append(Int32(index)) } }
        }
        self.west = west
        self.south = south
        cellWidth = width
        cellHeight = height
        self.columns = columns
        self.rows = rows
        segmentCells = cellSegments
        polygonCells = cellPolygons
    }

    private static func cell(_ value: Double, _ origin: Double, _ side: Double, _ count: Int) -> Int {
        min(count - 1, max(0, Int(((value - origin) / side).rounded(.down))))
    }

    /// Metres from the point to the nearest part of the layer: 0 inside one of its areas.
    public func distance(from point: GeoPoint) -> Double {
        guard !segments.isEmpty else { return .infinity }
        let plane = HazardLayer.LocalPlane(around: point)
        let local = plane.position
        // Areas are looked up in the grid cell nearest the household; only a household within
        // an area's bounding box can be inside it, and that box is in the cells it overlaps.
        let onGrid = (column: Self.cell(point.longitude, west, cellWidth, columns), row: Self.cell(point.latitude, south, cellHeight, rows))
        for polygon in polygonCells[onGrid.row * columns + onGrid.column] where HazardLayer.contains(layer.polygons[Int(polygon)], point) {
            return 0
        }
        // The household's own cell, which may lie off the grid: then the first rings are empty.
        let column = Int(((point.longitude - west) / cellWidth).rounded(.down))
        let row = Int(((point.latitude - south) / cellHeight).rounded(.down))
        // Whatever lies outside the first `r` rings is at least `r` cells away in one direction.
        let ringMetres = min(cellWidth * plane.metresPerDegreeLongitude, cellHeight * plane.metresPerDegreeLatitude)
        let farthest = max(abs(column), abs(columns - 1 - column), abs(row), abs(rows - 1 - row))
        var nearest = Double.infinity
        func look(_ x: Int, _ y: Int) {
            guard x >= 0 && x < columns else { return }
            for segment in segmentCells[y * columns + x] {
                let (a, b) = segments[Int(segment)]
                nearest = min(nearest, HazardLayer.distanceToOrigin(from: local(a), to: local(b)))
            }
        }
        // Rings that miss the grid altogether hold nothing: start at the first that reaches it.
        let offColumns = column < 0 ? -column : max(0, column - (columns - 1))
        let offRows = row < 0 ? -row : max(0, row - (rows - 1))
        for ring in max(offColumns, offRows)...farthest {
            let low = max(0, row - ring), high = min(rows - 1, row + ring)
            if low <= high {
                for y in low...high {
                    if abs(y - row) == ring {
                        // The ring's top and bottom rows, whole (as far as the grid goes).
                        let first = max(0, column - ring), last = min(columns - 1, column + ring)
                        if first <= last { for x in first...last { look(x, y) } }
                    } else {
                        look(column - ring, y)
                        look(column + ring, y)
                    }
                }
            }
            // A millimetre of slack for the rounding of the household's cell.
            if nearest <= Double(ring) * ringMetres - 0.001 { break }
        }
        return nearest
    }
}

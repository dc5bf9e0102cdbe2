import Foundation
import SQLKit
import AmparoDomain

/// Why outlines were refused: nothing is stored then.
public enum AreaBoundaryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownAreas([String])

    public var description: String {
        switch self {
        case .unknownAreas(let codes):
            let shown = codes.prefix(10).joined(separator: ", ")
            return "no area has the code\(codes.count == 1 ? "" : "s") \(shown)\(codes.count > 10 ? " and \(codes.count - 10) more" : ""); load the areas first"
        }
    }
}

/// The outlines of the areas, for maps.
public struct AreaBoundaries: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// Stores the outlines, replacing those the areas had, in one transaction. Refuses the
    /// whole file if any code is not an area of the registry.
    @discardableResult
    public func load(_ boundaries: [AreaBoundary], actor: String) async throws -> Int {
        let ids = try await database.read { db in
            try await db.raw("SELECT id, code FROM areas").all().reduce(into: [String: UUID]()) { ids, row in
                ids[try row.decode(column: "code", as: String.self)] = try row.decode(column: "id", as: UUID.self)
            }
        }
        let unknown = boundaries.map(\.code).filter { ids[$0] == nil }
        guard unknown.isEmpty else { throw AreaBoundaryError.unknownAreas(unknown) }
        let now = Timestamp.now()
        try await database.transaction { db in
            for boundary in boundaries {
                let id = ids[boundary.code]!
                try await db.raw("DELETE FROM area_boundaries WHERE area_id = \(bind: id)").run()
                try await db.raw("""
                    INSERT INTO area_boundaries (area_id, geometry, loaded_by, loaded_at)
                    VALUES (\(bind: id), \(bind: GeoJSON.geometry(boundary.polygons)), \(bind: actor), \(bind: now))
                    """).run()
            }
        }
        return boundaries.count
    }

    /// The outlines of the areas with these codes that have one.
    public func outlines(codes: [String]) async throws -> [String: [[[GeoPoint]]]] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT a.code, b.geometry FROM area_boundaries b JOIN areas a ON a.id = b.area_id
                WHERE a.code IN (\(binds: codes))
                """).all()
        }
        var outlines: [String: [[[GeoPoint]]]] = [:]
        for row in rows {
            outlines[try row.decode(column: "code", as: String.self)] = try GeoJSON.polygons(geometry: try row.decode(column: "geometry", as: String.self))
        }
        return outlines
    }
}

import Foundation
import SQLKit
import AmparoDomain

/// An administrative area as stored, with its place in the hierarchy.
public struct StoredArea: Sendable, Encodable, Equatable {
    public var id: UUID
    public var code: String
    public var name: String
    public var level: String
    /// The codes from the country down to this area, as `/AM/05/0501/`: every area below
    /// this one has a path that starts with it.
    public var path: String
}

/// Reads the administrative hierarchy.
public struct AreaRepository: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    public func find(code: String) async throws -> StoredArea? {
        let row = try await database.read { db in
            try await db.raw("SELECT id, code, name, level, path FROM areas WHERE code = \(bind: code)").first()
        }
        return try row.map(Self.area)
    }

    /// Every area, from the top down: a country has thousands, never millions.
    public func all() async throws -> [StoredArea] {
        let rows = try await database.read { db in
            try await db.raw("SELECT id, code, name, level, path FROM areas ORDER BY path").all()
        }
        return try rows.map(Self.area)
    }

    private static func area(_ row: any SQLRow) throws -> StoredArea {
        StoredArea(id: try row.decode(column: "id", as: UUID.self),
                          code: try row.decode(column: "code", as: String.self),
                          name: try row.decode(column: "name", as: String.self),
                          level: try row.decode(column: "level", as: String.self),
                          path: try row.decode(column: "path", as: String.self))
    }
}

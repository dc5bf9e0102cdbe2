import Foundation
import SQLKit
import AmparoDomain

/// A record of personal data that was shown to someone.
public struct PersonalDataRead: Sendable, Hashable {
    public enum Entity: String, Sendable { case household, individual }

    public var entity: Entity
    public var id: UUID

    public init(_ entity: Entity, _ id: UUID) {
        self.entity = entity
        self.id = id
    }
}

/// The append-only log of reads of personal data.
public struct AccessLog: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// One entry as kept.
    public struct Entry: Sendable, Equatable {
        public var occurredAt: String
        public var actor: String
        public var channel: String
        public var action: String
        public var entity: String
        public var entityID: UUID
        public var purpose: String
        public var requestPath: String
    }

    /// Notes that `actor` was shown these records, once each, in one statement.
    public func recordReads(_ reads: [PersonalDataRead], actor: String, channel: String, purpose: String,
                            requestPath: String) async throws {
        var seen = Set<PersonalDataRead>()
        let unique = reads.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return }
        let now = Timestamp.now()
        // Paths are bounded so that a long query string cannot bloat the log.
        let path = String(requestPath.prefix(300))
        try await database.transaction { db in
            for chunk in stride(from: 0, to: unique.count, by: 500).map({ unique[$0..<min($0 + 500, unique.count)] }) {
                var query = SQLQueryString("""
                    INSERT INTO access_log (occurred_at, actor, channel, action, entity, entity_id, purpose, request_path) VALUES
                    """)
                for (index, read) in chunk.enumerated() {
                    query += index == 0 ? " " : ", "
                    query += "(\(bind: now), \(bind: actor), \(bind: channel), 'read', \(bind: read.entity.rawValue), \(bind: read.id), \(bind: purpose), \(bind: path))"
                }
                try await db.raw(query).run()
            }
        }
    }

    /// Who read a record, oldest first.
    /// The latest reads of any of these records, newest first: what a citizen is shown of
    /// who looked at their household.
    public func latest(of ids: [UUID], limit: Int) async throws -> [Entry] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            try await db.raw("""
                SELECT occurred_at, actor, channel, action, entity, entity_id, purpose, request_path
                FROM access_log WHERE entity_id IN (\(binds: ids)) ORDER BY id DESC LIMIT \(unsafeRaw: String(max(1, limit)))
                """).all().map(Self.entry)
        }
    }

    private static func entry(_ row: any SQLRow) throws -> Entry {
        Entry(occurredAt: try row.decode(column: "occurred_at", as: String.self),
              actor: try row.decode(column: "actor", as: String.self),
              channel: try row.decode(column: "channel", as: String.self),
              action: try row.decode(column: "action", as: String.self),
              entity: try row.decode(column: "entity", as: String.self),
              entityID: try row.decode(column: "entity_id", as: UUID.self),
              purpose: try row.decode(column: "purpose", as: String.self),
              requestPath: try row.decode(column: "request_path", as: String.self))
    }

    public func entries(for id: UUID) async throws -> [Entry] {
        try await database.read { db in
            try await db.raw("""
                SELECT occurred_at, actor, channel, action, entity, entity_id, purpose, request_path
                FROM access_log WHERE entity_id = \(bind: id) ORDER BY id
                """).all().map(Self.entry)
        }
    }
}

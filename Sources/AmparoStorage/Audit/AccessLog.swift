import Crypto
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

/// One entry of the audit trail as it is to be written: who did what to which record,
/// under which role and in which area, through which channel, for what, and how it ended.
public struct AuditEntry: Sendable, Equatable {
    /// `staff:NAME`, `client:NAME`, `citizen:ID`, `anonymous`.
    public var actor: String
    public var role: String?
    public var channel: String
    /// `read`, `write`, `sign_in`, `refused`…
    public var action: String
    /// `household`, `individual`, or `none` for an entry about no record.
    public var entity: String
    public var entityID: UUID
    public var purpose: String
    /// The route's template (`/api/v1/individuals`), never the query's terms.
    public var requestPath: String
    /// A keyed hash of the request's search terms, so that an auditor holding the key can
    /// tell whether a given number was searched, and nobody else can read them.
    public var termsHash: String?
    public var areaPath: String?
    /// `allowed`, `refused`, `failed`.
    public var outcome: String
    public var address: String?

    /// The id of entries about no record.
    public static let noRecord = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    public init(actor: String, role: String? = nil, channel: String, action: String, entity: String = "none",
                entityID: UUID = AuditEntry.noRecord, purpose: String, requestPath: String, termsHash: String? = nil,
                areaPath: String? = nil, outcome: String = "allowed", address: String? = nil) {
        self.actor = actor
        self.role = role
        self.channel = channel
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.purpose = purpose
        self.requestPath = String(requestPath.prefix(300))
        self.termsHash = termsHash
        self.areaPath = areaPath
        self.outcome = outcome
        self.address = address.map { String($0.prefix(64)) }
    }
}

/// The audit trail: the append-only log of every read and write of personal data and every
/// refusal, each entry chained to the one before by its hash.
public struct AccessLog: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// One entry as kept.
    public struct Entry: Sendable, Equatable {
        public var seq: Int64?
        public var occurredAt: String
        public var actor: String
        public var role: String?
        public var channel: String
        public var action: String
        public var entity: String
        public var entityID: UUID
        public var purpose: String
        public var requestPath: String
        public var outcome: String?
    }

    /// Writes entries into the chain; returns once they are stored.
    public func record(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await database.auditTrail.append(entries, to: database)
    }

    /// Notes that `actor` was shown these records, once each.
    public func recordReads(_ reads: [PersonalDataRead], actor: String, role: String? = nil, channel: String, purpose: String,
                            requestPath: String, termsHash: String? = nil, address: String? = nil) async throws {
        var seen = Set<PersonalDataRead>()
        try await record(reads.filter { seen.insert($0).inserted }.map { read in
            AuditEntry(actor: actor, role: role, channel: channel, action: "read", entity: read.entity.rawValue, entityID: read.id,
                       purpose: purpose, requestPath: requestPath, termsHash: termsHash, address: address)
        })
    }

    private static let columns = "seq, occurred_at, actor, actor_role, channel, action, entity, entity_id, purpose, request_path, outcome"

    /// The latest reads of any of these records, newest first: what a citizen is shown of
    /// who looked at their household.
    public func latest(of ids: [UUID], limit: Int) async throws -> [Entry] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM access_log
                WHERE entity_id IN (\(binds: ids)) AND action = 'read' AND (outcome IS NULL OR outcome = 'allowed')
                ORDER BY id DESC LIMIT \(unsafeRaw: String(max(1, limit)))
                """).all().map(Self.entry)
        }
    }

    /// Every entry about one record, oldest first.
    public func entries(for id: UUID) async throws -> [Entry] {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM access_log WHERE entity_id = \(bind: id) ORDER BY id").all().map(Self.entry)
        }
    }

    /// Entries by actor and/or record, newest first, for an auditor.
    public func search(actor: String?, entityID: UUID?, limit: Int) async throws -> [Entry] {
        try await database.read { db in
            var query = SQLQueryString("SELECT \(unsafeRaw: Self.columns) FROM access_log WHERE 1 = 1")
            if let actor { query += " AND actor = \(bind: actor)" }
            if let entityID { query += " AND entity_id = \(bind: entityID)" }
            query += " ORDER BY id DESC LIMIT \(unsafeRaw: String(max(1, min(limit, 10_000))))"
            return try await db.raw(query).all().map(Self.entry)
        }
    }

    private static func entry(_ row: any SQLRow) throws -> Entry {
        Entry(seq: try row.decode(column: "seq", as: Int64?.self),
              occurredAt: try row.decode(column: "occurred_at", as: String.self),
              actor: try row.decode(column: "actor", as: String.self),
              role: try row.decode(column: "actor_role", as: String?.self),
              channel: try row.decode(column: "channel", as: String.self),
              action: try row.decode(column: "action", as: String.self),
              entity: try row.decode(column: "entity", as: String.self),
              entityID: try row.decode(column: "entity_id", as: UUID.self),
              purpose: try row.decode(column: "purpose", as: String.self),
              requestPath: try row.decode(column: "request_path", as: String.self),
              outcome: try row.decode(column: "outcome", as: String?.self))
    }
}

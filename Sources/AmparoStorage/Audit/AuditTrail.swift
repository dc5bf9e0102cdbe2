import Crypto
import Foundation
import SQLKit
import AmparoDomain

/// Writes entries into the audit trail's hash chain, many requests' entries at a time.
///
/// A chain has one end, so appends cannot run side by side; instead a request's entries
/// wait in a queue while one batch is written, and the next batch takes all that came
/// meanwhile: one transaction, one look at the chain's end and one insert for tens of
/// requests. Each request still returns only once its entries are stored. Between
/// processes sharing a PostgreSQL database, the batch holds an advisory lock while it
/// reads the end and appends; SQLite runs one write transaction at a time already.
public actor AuditTrail {
    private var waiting: [(entries: [AuditEntry], done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    public init() {}

    func append(_ entries: [AuditEntry], to database: RegistryDatabase) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            waiting.append((entries, done))
            if !writing {
                writing = true
                Task { await self.drain(database) }
            }
        }
    }

    private func drain(_ database: RegistryDatabase) async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            do {
                try await Self.write(batch.flatMap(\.entries), to: database)
                for request in batch { request.done.resume() }
            } catch {
                for request in batch { request.done.resume(throwing: error) }
            }
        }
        writing = false
    }

    /// The advisory lock's key: "amparo audit" in ASCII, so other users of the server's locks keep clear.
    static let lockKey: Int64 = 0x616D_7061_7564_6974

    private static func write(_ entries: [AuditEntry], to database: RegistryDatabase) async throws {
        let now = Timestamp.now()
        let dialect = database.dialect
        try await database.transaction { db in
            if dialect == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(\(bind: lockKey))").run()
            }
            let end = try await db.raw("SELECT seq, entry_hash FROM access_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1").first()
            var seq = try end?.decode(column: "seq", as: Int64.self) ?? 0
            var previous = try end?.decode(column: "entry_hash", as: String.self) ?? AuditChain.origin
            for chunk in stride(from: 0, to: entries.count, by: 200).map({ entries[$0..<min($0 + 200, entries.count)] }) {
                var query = SQLQueryString("""
                    INSERT INTO access_log (seq, occurred_at, actor, actor_role, channel, action, entity, entity_id, purpose,
                        request_path, terms_hash, area_path, outcome, address, entry_hash) VALUES
                    """)
                for (index, entry) in chunk.enumerated() {
                    seq += 1
                    let stored = AuditChain.Stored(seq: seq, occurredAt: now, entry: entry)
                    previous = AuditChain.hash(stored, after: previous)
                    query += index == 0 ? " " : ", "
                    query += """
                        (\(bind: seq), \(bind: now), \(bind: entry.actor), \(bind: entry.role), \(bind: entry.channel), \(bind: entry.action),
                         \(bind: entry.entity), \(bind: entry.entityID), \(bind: entry.purpose), \(bind: entry.requestPath),
                         \(bind: entry.termsHash), \(bind: entry.areaPath), \(bind: entry.outcome), \(bind: entry.address), \(bind: previous))
                        """
                }
                try await db.raw(query).run()
            }
        }
    }
}

/// The hash chain of the audit trail: each entry's hash is SHA-256 over the hash before it
/// and every field of the entry, each field written with its length so that no two entries
/// read alike.
public enum AuditChain {
    /// The hash "before" the first entry.
    public static let origin = String(repeating: "0", count: 64)

    /// An entry as stored, with its place and time.
    struct Stored {
        var seq: Int64
        var occurredAt: String
        var entry: AuditEntry
    }

    static func hash(_ stored: Stored, after previous: String) -> String {
        let e = stored.entry
        let fields: [String?] = [previous, String(stored.seq), stored.occurredAt, e.actor, e.role, e.channel, e.action, e.entity,
                                 e.entityID.uuidString.lowercased(), e.purpose, e.requestPath, e.termsHash, e.areaPath, e.outcome, e.address]
        var hasher = SHA256()
        for field in fields {
            guard let field else { hasher.update(data: Data("-;".utf8)); continue }
            let bytes = Data(field.utf8)
            hasher.update(data: Data("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return hasher.finalize().hexadecimal
    }

    /// What `verify` found: nothing wrong, or the first entry that is not as it was written.
    public enum Finding: Sendable, Equatable, CustomStringConvertible {
        case intact(entries: Int64, lastSeq: Int64, lastHash: String)
        case changed(seq: Int64)
        case missing(seq: Int64)
        case outOfOrder(seq: Int64)
        case unchained(id: Int64)
        case anchorNotFound(seq: Int64)

        public var description: String {
            switch self {
            case .intact(let count, let seq, let hash): "intact: \(count) entries in the chain, the last \(seq) with hash \(hash)"
            case .changed(let seq): "entry \(seq) was changed: its hash does not match its contents and the entry before it"
            case .missing(let seq): "entry \(seq) is missing: the chain jumps over it"
            case .outOfOrder(let seq): "entry \(seq) is out of place: the entries around it were reordered or one was inserted"
            case .unchained(let id): "row \(id) was inserted outside the chain"
            case .anchorNotFound(let seq): "the anchor at entry \(seq) does not match: the chain was rewritten up to it or cut short"
            }
        }

        public var isIntact: Bool { if case .intact = self { true } else { false } }
    }

    /// An exported point of the chain: an auditor keeps these elsewhere and checks later that
    /// the chain still passes through them.
    public struct Anchor: Sendable, Equatable {
        public var seq: Int64
        public var hash: String

        public init(seq: Int64, hash: String) {
            self.seq = seq
            self.hash = hash
        }

        /// `seq:hash`, as `amparo audit anchor` prints it.
        public init?(_ text: String) {
            let parts = text.split(separator: ":")
            guard parts.count == 2, let seq = Int64(parts[0]), parts[1].count == 64 else { return nil }
            self.init(seq: seq, hash: String(parts[1]))
        }

        public var text: String { "\(seq):\(hash)" }
    }

    /// Walks the whole chain in order, a page at a time, recomputing every hash.
    public static func verify(_ database: RegistryDatabase, anchors: [Anchor] = []) async throws -> Finding {
        var previous = origin, expected: Int64 = 1, lastID: Int64 = 0
        var firstChainedID: Int64?
        let anchorsBySeq = Dictionary(anchors.map { ($0.seq, $0.hash) }, uniquingKeysWith: { first, _ in first })
        var anchorsSeen = 0
        while true {
            let after = expected - 1
            let rows = try await database.read { db in
                try await db.raw("""
                    SELECT id, seq, occurred_at, actor, actor_role, channel, action, entity, entity_id, purpose, request_path,
                           terms_hash, area_path, outcome, address, entry_hash
                    FROM access_log WHERE seq > \(bind: after) ORDER BY seq LIMIT 5000
                    """).all()
            }
            if rows.isEmpty { break }
            for row in rows {
                let seq = try row.decode(column: "seq", as: Int64.self)
                let id = try row.decode(column: "id", as: Int64.self)
                if seq != expected { return seq > expected ? .missing(seq: expected) : .outOfOrder(seq: seq) }
                if id <= lastID { return .outOfOrder(seq: seq) }
                firstChainedID = firstChainedID ?? id
                lastID = id
                let entry = AuditEntry(
                    actor: try row.decode(column: "actor", as: String.self), role: try row.decode(column: "actor_role", as: String?.self),
                    channel: try row.decode(column: "channel", as: String.self), action: try row.decode(column: "action", as: String.self),
                    entity: try row.decode(column: "entity", as: String.self), entityID: try row.decode(column: "entity_id", as: UUID.self),
                    purpose: try row.decode(column: "purpose", as: String.self),
                    requestPath: try row.decode(column: "request_path", as: String.self),
                    termsHash: try row.decode(column: "terms_hash", as: String?.self),
                    areaPath: try row.decode(column: "area_path", as: String?.self),
                    outcome: try row.decode(column: "outcome", as: String?.self) ?? "",
                    address: try row.decode(column: "address", as: String?.self))
                let stored = Stored(seq: seq, occurredAt: try row.decode(column: "occurred_at", as: String.self), entry: entry)
                let hash = self.hash(stored, after: previous)
                guard hash == (try row.decode(column: "entry_hash", as: String?.self)) else { return .changed(seq: seq) }
                if let anchored = anchorsBySeq[seq] {
                    guard anchored == hash else { return .anchorNotFound(seq: seq) }
                    anchorsSeen += 1
                }
                previous = hash
                expected += 1
            }
        }
        if let missingAnchor = anchors.first(where: { $0.seq >= expected }) { return .anchorNotFound(seq: missingAnchor.seq) }
        // Rows the chain does not hold may come only before it began (entries older than the chain).
        if let firstChainedID {
            let stray = try await database.read { db in
                try await db.raw("SELECT MIN(id) AS id FROM access_log WHERE seq IS NULL AND id > \(bind: firstChainedID)").first()?
                    .decode(column: "id", as: Int64?.self)
            }
            if let stray { return .unchained(id: stray) }
        }
        return .intact(entries: expected - 1, lastSeq: expected - 1, lastHash: previous)
    }
}

import Foundation
import SQLKit
import AmparoDomain

/// Deduplication runs, their pairs, clerical review and merges.
public struct IdentityRepository: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// A deduplication run as stored.
    public struct StoredRun: Sendable, Codable, Equatable {
        public var id: Int64
        public var status: String
        public var records: Int
        public var pairs: Int64
        public var linkThreshold: Double
        public var reviewThreshold: Double
        public var startedBy: String
        public var startedAt: String
        public var finishedAt: String?
        var model: String
        var cursorRule: Int
        var cursorBlock: Int

        var cursor: CandidatePairs.Position { .init(rule: cursorRule, block: cursorBlock) }

        /// The names of the run's comparisons, in the order of a pair's pattern.
        public var comparisons: [String] {
            (try? JSONDecoder().decode(StoredLinkageModel.self, from: Data(model.utf8)).comparisons) ?? []
        }

        /// The comparisons the run used, rebuilt from their names.
        public var linkageComparisons: [Comparison] {
            let names = comparisons
            let fields = Set(names.compactMap { name in LinkageField.allCases.first { $0.description == name } })
            return PersonLinkage.comparisons(for: fields, points: names.contains("place"))
        }

        enum CodingKeys: String, CodingKey {
            case id, status, records, pairs, linkThreshold = "link_threshold", reviewThreshold = "review_threshold"
            case startedBy = "started_by", startedAt = "started_at", finishedAt = "finished_at", model
            case cursorRule = "cursor_rule", cursorBlock = "cursor_block"
        }
    }

    public func run(_ id: Int64) async throws -> StoredRun? {
        try await database.read { db in
            try await db.raw("SELECT * FROM identity_runs WHERE id = \(bind: id)").first(decoding: StoredRun.self)
        }
    }

    public func runs() async throws -> [StoredRun] {
        try await database.read { db in
            try await db.raw("SELECT * FROM identity_runs ORDER BY id").all(decoding: StoredRun.self)
        }
    }

    /// The run started last, if any: what the back office's home counts from.
    public func latestRun() async throws -> StoredRun? {
        try await database.read { db in
            try await db.raw("SELECT * FROM identity_runs ORDER BY id DESC LIMIT 1").first(decoding: StoredRun.self)
        }
    }

    /// One pair of a run, with both persons' refs and what the reviewer decided.
    public struct Pair: Sendable, Equatable {
        public var runID: Int64
        public var left: UUID
        public var right: UUID
        public var leftRef: String
        public var rightRef: String
        public var probability: Double
        public var weight: Double
        public var pattern: ComparisonPattern
        public var status: String
        public var decision: String?
        public var decidedBy: String?
        public var decidedAt: String?
    }

    static let pairColumns = """
        p.run_id, p.left_id, p.right_id, l.source_ref AS left_ref, r.source_ref AS right_ref, p.probability, p.weight,
        p.pattern, p.status, p.decision, p.decided_by, p.decided_at
        """

    static func pair(_ row: any SQLRow) throws -> Pair {
        Pair(
            runID: try row.decode(column: "run_id", as: Int64.self),
            left: try row.decode(column: "left_id", as: UUID.self), right: try row.decode(column: "right_id", as: UUID.self),
            leftRef: try row.decode(column: "left_ref", as: String.self), rightRef: try row.decode(column: "right_ref", as: String.self),
            probability: try row.decode(column: "probability", as: Double.self),
            weight: try row.decode(column: "weight", as: Double.self),
            pattern: ComparisonPattern(bits: UInt64(bitPattern: try row.decode(column: "pattern", as: Int64.self))),
            status: try row.decode(column: "status", as: String.self),
            decision: try row.decode(column: "decision", as: String?.self),
            decidedBy: try row.decode(column: "decided_by", as: String?.self),
            decidedAt: try row.decode(column: "decided_at", as: String?.self))
    }

    /// A run's pairs in a stable order, a page at a time after `cursor`; `status` narrows
    /// them to the linked ones or those for review.
    public func pairs(run: Int64, status: String? = nil, undecidedOnly: Bool = false,
                      after cursor: (UUID, UUID)? = nil, limit: Int = 10_000) async throws -> [Pair] {
        try await database.read { db in
            var query = SQLQueryString("""
                SELECT \(unsafeRaw: Self.pairColumns)
                FROM identity_pairs p JOIN individuals l ON l.id = p.left_id JOIN individuals r ON r.id = p.right_id
                WHERE p.run_id = \(bind: run)
                """)
            if let status { query += " AND p.status = \(bind: status)" }
            // A skipped pair is still to decide: the reviewer only moved on.
            if undecidedOnly { query += " AND (p.decision IS NULL OR p.decision = 'skip')" }
            if let (left, right) = cursor {
                query += " AND (p.left_id > \(bind: left) OR (p.left_id = \(bind: left) AND p.right_id > \(bind: right)))"
            }
            query += " ORDER BY p.left_id, p.right_id LIMIT \(unsafeRaw: String(limit))"
            return try await db.raw(query).all().map(Self.pair)
        }
    }

    /// How many pairs of a run are linked, how many went to review, and how many of these
    /// still wait for a decision (none yet, or skipped).
    public func counts(run: Int64) async throws -> (linked: Int64, review: Int64, waiting: Int64) {
        try await database.read { db in
            let rows = try await db.raw("""
                SELECT status, COUNT(*) AS n,
                       SUM(CASE WHEN decision IS NULL OR decision = 'skip' THEN 1 ELSE 0 END) AS waiting
                FROM identity_pairs WHERE run_id = \(bind: run) GROUP BY status
                """).all()
            var counts: [String: (Int64, Int64)] = [:]
            for row in rows {
                counts[try row.decode(column: "status", as: String.self)] =
                    (try row.decode(column: "n", as: Int64.self), try row.decode(column: "waiting", as: Int64.self))
            }
            return (counts["linked"]?.0 ?? 0, counts["review"]?.0 ?? 0, counts["review"]?.1 ?? 0)
        }
    }

    /// A reviewer's decision on a pair. "same" merges the right record into the left one;
    /// "skip" leaves the pair in the queue for later, noting who passed over it.
    public enum Decision: String, Sendable, CaseIterable { case same, different, skip }

    /// Records the decision; for "same", merges the pair in the same transaction.
    /// Returns the merge's id when there is one.
    @discardableResult
    public func decide(run: Int64, left: UUID, right: UUID, _ decision: Decision, actor: String) async throws -> Int64? {
        try await database.transaction { db in
            let now = Timestamp.now()
            let found = try await db.raw("""
                UPDATE identity_pairs SET decision = \(bind: decision.rawValue), decided_by = \(bind: actor), decided_at = \(bind: now)
                WHERE run_id = \(bind: run) AND left_id = \(bind: left) AND right_id = \(bind: right)
                RETURNING run_id
                """).first()
            guard found != nil else { throw IdentityError.unknownPair }
            guard decision == .same else { return nil }
            return try await Self.merge(right, into: left, run: run, actor: actor,
                                        reason: "clerical review of deduplication run \(run)", in: db, at: now)
        }
    }

    /// Points `individual` to `into`, keeping both records and their histories.
    public func merge(_ individual: UUID, into: UUID, actor: String, reason: String?) async throws -> Int64 {
        try await database.transaction { db in
            try await Self.merge(individual, into: into, run: nil, actor: actor, reason: reason, in: db, at: Timestamp.now())
        }
    }

    static func merge(
        _ individual: UUID, into: UUID, run: Int64?, actor: String, reason: String?, in db: any SQLDatabase, at now: String
    ) async throws -> Int64 {
        let active = try await db.raw("""
            SELECT id FROM identity_merges WHERE individual_id = \(bind: individual) AND undone_at IS NULL
            """).first()
        guard active == nil else { throw IdentityError.alreadyMerged(individual) }
        let id = try await db.raw("""
            INSERT INTO identity_merges (individual_id, into_id, run_id, merged_by, merged_at, reason)
            VALUES (\(bind: individual), \(bind: into), \(bind: run), \(bind: actor), \(bind: now), \(bind: reason))
            RETURNING id
            """).first()!.decode(column: "id", as: Int64.self)
        try await history(individual, old: nil, new: into.uuidString, actor: actor, reason: reason, in: db, at: now)
        return id
    }

    /// Undoes a merge: the record stands on its own again; the merge stays in the history.
    public func undo(merge id: Int64, actor: String, reason: String?) async throws {
        try await database.transaction { db in
            let now = Timestamp.now()
            guard let row = try await db.raw("""
                UPDATE identity_merges SET undone_by = \(bind: actor), undone_at = \(bind: now)
                WHERE id = \(bind: id) AND undone_at IS NULL
                RETURNING individual_id, into_id
                """).first() else { throw IdentityError.notAMerge(id) }
            let individual = try row.decode(column: "individual_id", as: UUID.self)
            let into = try row.decode(column: "into_id", as: UUID.self)
            try await Self.history(individual, old: into.uuidString, new: nil, actor: actor, reason: reason, in: db, at: now)
        }
    }

    /// The record a person is merged into now, if any.
    public func mergedInto(_ individual: UUID) async throws -> (merge: Int64, into: UUID)? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT id, into_id FROM identity_merges WHERE individual_id = \(bind: individual) AND undone_at IS NULL
                """).first() else { return nil }
            return (try row.decode(column: "id", as: Int64.self), try row.decode(column: "into_id", as: UUID.self))
        }
    }

    /// A merge: who was merged into whom, and whether it has been undone.
    public struct Merge: Sendable, Equatable {
        public var id: Int64
        public var individual: UUID
        public var into: UUID
        public var isUndone: Bool
    }

    public func findMerge(_ id: Int64) async throws -> Merge? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT individual_id, into_id, undone_at FROM identity_merges WHERE id = \(bind: id)
                """).first() else { return nil }
            return Merge(id: id, individual: try row.decode(column: "individual_id", as: UUID.self),
                         into: try row.decode(column: "into_id", as: UUID.self),
                         isUndone: try row.decode(column: "undone_at", as: String?.self) != nil)
        }
    }

    private static func history(
        _ individual: UUID, old: String?, new: String?, actor: String, reason: String?, in db: any SQLDatabase, at now: String
    ) async throws {
        try await db.raw("""
            INSERT INTO change_history (entity, entity_id, household_id, field, old_value, new_value, actor, channel, occurred_at, reason)
            VALUES ('individual', \(bind: individual),
                    (SELECT household_id FROM memberships WHERE individual_id = \(bind: individual) ORDER BY start_date DESC LIMIT 1),
                    'merged_into', \(bind: old), \(bind: new), \(bind: actor), 'identity', \(bind: now), \(bind: reason))
            """).run()
    }
}

import Foundation
import SQLKit
import AmparoDomain

/// Finds the persons registered more than once over the whole registry.
///
/// The model is estimated from the registry and stored with the run. Candidate pairs are
/// scored block by block; each batch of pairs and the run's cursor are written in one
/// transaction, so a stopped run resumes where it stopped and ends with what an
/// uninterrupted run gives, as long as the registry has not changed in between.
public struct DeduplicationRun: Sendable {
    public let database: RegistryDatabase
    /// Pairs at or above this probability are linked at once.
    public var linkThreshold = 0.99
    /// Pairs from this probability up to the link threshold go to clerical review.
    public var reviewThreshold = 0.8
    public var randomPairs = 1_000_000
    /// Blocks scored (on every core) and written per transaction.
    public var blocksPerBatch = 4_096
    /// Persons held in memory at once; a larger registry is compared a part at a time.
    public var recordsPerPart = 250_000
    public var progress: @Sendable (Progress) -> Void = { _ in }
    /// Stops, as if interrupted, after this many batches; for the tests of resumption.
    var stopAfterBatches: Int?

    public init(database: RegistryDatabase) {
        self.database = database
    }

    public struct Progress: Sendable {
        public var rule: Int
        public var rules: Int
        public var pairs: Int64
    }

    /// Trains a model on the registry, then runs it to the end; returns the run's id.
    public func start(actor: String) async throws -> Int64 {
        guard reviewThreshold > 0, reviewThreshold <= linkThreshold, linkThreshold < 1 else {
            throw IdentityError.thresholds(review: reviewThreshold, link: linkThreshold)
        }
        let records = try await RegistryPersons(database: database).records(recordsPerPart: recordsPerPart)
        let linkage = PersonLinkage(records: records, mode: .deduplicate)
        let (model, _) = try linkage.train(randomPairs: randomPairs)
        let stored = StoredLinkageModel(model)
        let id = try await database.transaction { [linkThreshold, reviewThreshold] db in
            try await db.raw("""
                INSERT INTO identity_runs (status, model, link_threshold, review_threshold, records, started_by, started_at)
                VALUES ('running', \(bind: stored.json), \(bind: linkThreshold), \(bind: reviewThreshold),
                        \(bind: Int64(records.count)), \(bind: actor), \(bind: Timestamp.now()))
                RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
        }
        try await carry(id, linkage: linkage, model: model, from: CandidatePairs.Position(rule: 0, block: 0))
        return id
    }

    /// Carries a stopped run to the end with the model it started with.
    public func resume(_ id: Int64) async throws {
        guard let run = try await IdentityRepository(database: database).run(id) else { throw IdentityError.unknownRun(id) }
        guard run.status != "completed" else { throw IdentityError.runAlreadyCompleted(id) }
        let records = try await RegistryPersons(database: database).records(recordsPerPart: recordsPerPart)
        let linkage = PersonLinkage(records: records, mode: .deduplicate)
        guard records.count == run.records, let model = try StoredLinkageModel.read(run.model, comparisons: linkage.comparisons) else {
            throw IdentityError.registryChanged(id)
        }
        try await carry(id, linkage: linkage, model: model, from: run.cursor)
    }

    private func carry(
        _ id: Int64, linkage: PersonLinkage, model: LinkageModel, from start: CandidatePairs.Position
    ) async throws {
        let rules = linkage.rules.count
        var rows = BulkRows(table: "identity_pairs", columns: [
            "run_id", "left_id", "right_id", "probability", "weight", "pattern", "status",
        ])
        var batches = 0
        var written: Int64 = 0
        var runs = linkage.blockRuns(model, from: start, blocksAtOnce: blocksPerBatch)
        while let run = try runs.next() {
            try Task.checkCancellation()
            if let stopAfterBatches, batches == stopAfterBatches { throw CancellationError() }
            for pair in linkage.score(run, floor: reviewThreshold) {
                let probability = pair.probability
                rows.append([
                    .integer(id), .text(pair.leftID), .text(pair.rightID),
                    .real(probability), .real(pair.weight), .integer(Int64(bitPattern: pair.pattern.bits)),
                    .text(probability >= linkThreshold ? "linked" : "review"),
                ])
            }
            let batch = rows, count = Int64(rows.rows), cursor = run.end
            rows = BulkRows(table: batch.table, columns: batch.columns)
            try await database.withBulkConnection { connection in
                var pending = batch
                try await connection.inTransaction {
                    try await pending.flush(to: connection)
                    // Blocks are numbered across the parts of a rule, which is what the cursor keeps.
                    try await connection.sql.raw("""
                        UPDATE identity_runs SET cursor_rule = \(bind: cursor.rule), cursor_block = \(bind: Int64(cursor.block)),
                               pairs = pairs + \(bind: count)
                        WHERE id = \(bind: id)
                        """).run()
                }
            }
            batches += 1
            written += count
            progress(Progress(rule: run.rule + 1, rules: rules, pairs: written))
        }
        try await database.transaction { db in
            try await db.raw("""
                UPDATE identity_runs SET status = 'completed', cursor_rule = \(bind: rules), cursor_block = 0,
                       finished_at = \(bind: Timestamp.now())
                WHERE id = \(bind: id)
                """).run()
        }
    }
}

/// A model as stored with its run: the comparisons by name, m, u and the prior.
struct StoredLinkageModel: Codable {
    var comparisons: [String]
    var m: [[Double]]
    var u: [[Double]]
    var priorMatch: Double

    init(_ model: LinkageModel) {
        comparisons = model.comparisons.map(\.name)
        m = model.m
        u = model.u
        priorMatch = model.priorMatch
    }

    var json: String {
        String(decoding: try! JSONEncoder().encode(self), as: UTF8.self)
    }

    /// The model, if it was made for these comparisons.
    static func read(_ json: String, comparisons: [Comparison]) throws -> LinkageModel? {
        let stored = try JSONDecoder().decode(StoredLinkageModel.self, from: Data(json.utf8))
        guard stored.comparisons == comparisons.map(\.name) else { return nil }
        return LinkageModel(comparisons: comparisons, m: stored.m, u: stored.u, priorMatch: stored.priorMatch)
    }
}

/// What identity resolution refuses to do, in words.
public enum IdentityError: Error, Sendable, CustomStringConvertible, Equatable {
    case thresholds(review: Double, link: Double)
    case unknownRun(Int64)
    case runAlreadyCompleted(Int64)
    case registryChanged(Int64)
    case unknownPair
    case notAMerge(Int64)
    case alreadyMerged(UUID)

    public var description: String {
        switch self {
        case .thresholds(let review, let link):
            "the review threshold (\(review)) must be above 0 and at most the link threshold (\(link)), which must be below 1"
        case .unknownRun(let id): "there is no deduplication run \(id)"
        case .runAlreadyCompleted(let id): "deduplication run \(id) is already completed"
        case .registryChanged(let id):
            "the registry changed since deduplication run \(id) started, so it cannot resume; start a new run"
        case .unknownPair: "there is no such pair in that run"
        case .notAMerge(let id): "there is no merge \(id) in force"
        case .alreadyMerged(let id): "person \(id) is already merged into another record"
        }
    }
}

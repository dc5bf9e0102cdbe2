import Foundation
import AmparoDomain

/// Every pair a deduplication run found, as CSV for audit: both persons' refs, the match
/// probability and weight, each field's level of agreement, and the reviewer's decision.
public struct DeduplicationExport: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// Writes the CSV a page at a time through `write`; returns the number of pairs.
    @discardableResult
    public func csv(run id: Int64, write: ([UInt8]) throws -> Void) async throws -> Int {
        let identity = IdentityRepository(database: database)
        guard let run = try await identity.run(id) else { throw IdentityError.unknownRun(id) }
        let comparisons = run.linkageComparisons
        var writer = CSVWriter()
        writer.writeRecord(["run", "left_person_ref", "right_person_ref", "match_probability", "match_weight", "status",
                            "decision", "decided_by", "decided_at"] + comparisons.map(\.name))
        var cursor: (UUID, UUID)?
        var count = 0
        while true {
            let page = try await identity.pairs(run: id, after: cursor)
            for pair in page {
                writer.writeRecord([
                    String(pair.runID), pair.leftRef, pair.rightRef, String(format: "%.6f", pair.probability),
                    String(format: "%.3f", pair.weight), pair.status, pair.decision ?? "", pair.decidedBy ?? "",
                    pair.decidedAt ?? "",
                ] + pair.pattern.agreement(comparisons))
            }
            try write(writer.take())
            count += page.count
            guard let last = page.last, page.count == 10_000 else { break }
            cursor = (last.left, last.right)
        }
        return count
    }
}

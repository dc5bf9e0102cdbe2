import Foundation
import Testing
import SQLKit
import AmparoDomain
@testable import AmparoStorage
import AmparoTestSupport

/// Every pair of a run, by refs, the earlier ref first.
func pairsOf(_ run: Int64, _ database: RegistryDatabase) async throws -> [[String]: IdentityRepository.Pair] {
    var found: [[String]: IdentityRepository.Pair] = [:]
    for pair in try await IdentityRepository(database: database).pairs(run: run) {
        found[[pair.leftRef, pair.rightRef].sorted()] = pair
    }
    return found
}

@Suite("Deduplication of the registry")
struct DeduplicationTests {
    func job(_ database: RegistryDatabase) -> DeduplicationRun {
        var job = DeduplicationRun(database: database)
        job.randomPairs = 20_000
        job.blocksPerBatch = 3
        return job
    }

    @Test("persons registered twice are found, the sure ones linked", arguments: TestDatabaseKind.allCases)
    func findsTheDuplicates(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database, households: 80)
            let injected = try await registerTwice(database, count: 10)
            let id = try await job(database).start(actor: "tester")
            let run = try #require(try await IdentityRepository(database: database).run(id))
            #expect(run.status == "completed")
            let found = try await pairsOf(id, database)
            for pair in injected {
                #expect(found[pair.sorted()] != nil, "\(pair) not found")
            }
            let linked = found.filter { $0.value.status == "linked" }
            #expect(linked.count >= 8)
            for (refs, pair) in linked {
                #expect(injected.contains(refs), "\(refs) linked at \(pair.probability)")
                #expect(pair.probability >= run.linkThreshold)
            }
            #expect(run.comparisons.contains("surnames") && run.comparisons.contains("birth_date"))
            let counts = try await IdentityRepository(database: database).counts(run: id)
            #expect(counts.linked == Int64(linked.count))
            #expect(counts.review == Int64(found.count - linked.count))
            #expect(counts.waiting == counts.review, "nothing is decided yet")
        }
    }

    @Test("a run stopped between batches resumes to what an uninterrupted run gives", arguments: TestDatabaseKind.allCases)
    func resumes(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database, households: 60)
            _ = try await registerTwice(database, count: 6)
            let whole = try await job(database).start(actor: "tester")
            // Stopped and resumed in parts of 60 persons, which must change nothing either.
            var stopping = job(database)
            stopping.recordsPerPart = 60
            stopping.stopAfterBatches = 1
            await #expect(throws: CancellationError.self) { try await stopping.start(actor: "tester") }
            let stopped = try #require(try await IdentityRepository(database: database).latestRun())
            #expect(stopped.id > whole)
            #expect(stopped.status == "running")
            let partial = try await pairsOf(stopped.id, database)
            var resuming = job(database)
            resuming.recordsPerPart = 60
            try await resuming.resume(stopped.id)
            let expected = try await pairsOf(whole, database)
            let resumed = try await pairsOf(stopped.id, database)
            #expect(partial.count < expected.count)
            #expect(resumed.keys.sorted { $0.joined() < $1.joined() } == expected.keys.sorted { $0.joined() < $1.joined() })
            for (refs, pair) in expected {
                #expect(resumed[refs]?.probability == pair.probability)
                #expect(resumed[refs]?.status == pair.status)
            }
            await #expect(throws: IdentityError.runAlreadyCompleted(stopped.id)) { try await job(database).resume(stopped.id) }
        }
    }

    @Test("a reviewer's 'same' merges without losing either record, and the merge can be undone",
          arguments: TestDatabaseKind.allCases)
    func mergeAndUndo(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database, households: 40)
            _ = try await registerTwice(database, count: 5)
            let run = try await job(database).start(actor: "tester")
            let identity = IdentityRepository(database: database)
            let pair = try #require(try await identity.pairs(run: run).first)
            let merge = try #require(try await identity.decide(run: run, left: pair.left, right: pair.right, .same, actor: "reviewer"))
            #expect(try await identity.mergedInto(pair.right)?.into == pair.left)
            #expect(try await identity.pairs(run: run, undecidedOnly: true).contains { $0.left == pair.left && $0.right == pair.right } == false)
            // Both records remain; the merged one leaves the next run's table.
            #expect(try await IndividualRepository(database: database).find(id: pair.right) != nil)
            var ids: [String] = []
            try await RegistryPersons(database: database).records(recordsPerPart: 100).forEachChunk { chunk in
                ids += (0..<chunk.count).map(chunk.id)
            }
            #expect(!ids.contains(pair.right.uuidString) && ids.contains(pair.left.uuidString))
            await #expect(throws: IdentityError.alreadyMerged(pair.right)) {
                try await identity.merge(pair.right, into: pair.left, actor: "reviewer", reason: nil)
            }

            try await identity.undo(merge: merge, actor: "supervisor", reason: "two brothers")
            #expect(try await identity.mergedInto(pair.right) == nil)
            await #expect(throws: IdentityError.notAMerge(merge)) { try await identity.undo(merge: merge, actor: "x", reason: nil) }
            let history = try await database.read { db in
                try await db.raw("""
                    SELECT old_value, new_value, actor FROM change_history
                    WHERE entity_id = \(bind: pair.right) AND field = 'merged_into' ORDER BY id
                    """).all().map { row in
                    [try row.decode(column: "old_value", as: String?.self), try row.decode(column: "new_value", as: String?.self),
                     try row.decode(column: "actor", as: String?.self)]
                }
            }
            #expect(history == [[nil, pair.left.uuidString, "reviewer"], [pair.left.uuidString, nil, "supervisor"]])
            await #expect(throws: IdentityError.unknownPair) {
                try await identity.decide(run: run, left: pair.right, right: pair.left, .different, actor: "reviewer")
            }
        }
    }
}

@Suite("The audit export of a deduplication run")
struct DeduplicationExportTests {
    @Test("every pair with both refs, probability, status and each field's agreement", arguments: TestDatabaseKind.allCases)
    func export(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database, households: 40)
            let injected = try await registerTwice(database, count: 4)
            var job = DeduplicationRun(database: database)
            job.randomPairs = 20_000
            let run = try await job.start(actor: "tester")
            var bytes: [UInt8] = []
            let count = try await DeduplicationExport(database: database).csv(run: run) { bytes += $0 }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(lines.count == count + 1)
            let header = try #require(lines.first).map(String.init)
            #expect(Array(header.prefix(6)) == ["run", "left_person_ref", "right_person_ref", "match_probability", "match_weight", "status"])
            #expect(header.contains("surnames") && header.contains("birth_date"))
            let refs = Set(lines.dropFirst().map { [String($0[1]), String($0[2])].sorted() })
            #expect(injected.isSubset(of: refs))
            for line in lines.dropFirst() {
                #expect(Double(line[3])! >= job.reviewThreshold)
                #expect(line[5] == "linked" || line[5] == "review")
            }
            await #expect(throws: IdentityError.unknownRun(99)) {
                try await DeduplicationExport(database: database).csv(run: 99) { _ in }
            }
        }
    }
}

import Foundation

/// Estimates a linkage model from the records themselves, without labelled pairs.
///
/// u comes from random pairs, nearly all of which are different persons. m comes from
/// expectation–maximisation over the candidate pairs of each blocking rule, leaving out
/// the comparisons of the fields that rule blocks on (its pairs agree on them by
/// construction). The prior comes from the expected number of matches among all
/// candidate pairs, over the number of pairs in the whole table.
public struct LinkageTraining: Sendable {
    public let linkage: PersonLinkage
    public var comparisons: [Comparison] { linkage.comparisons }
    /// How many random pairs estimate u.
    public var randomPairs = 1_000_000
    /// How many candidate pairs of one rule train m, at most.
    public var pairsPerRule = 5_000_000
    public var iterations = 40
    public var seed: UInt64 = 42

    public init(linkage: PersonLinkage) {
        self.linkage = linkage
    }

    /// What training saw, for the run's record and the note.
    public struct Summary: Sendable {
        public var candidatePairs = 0
        public var expectedMatches = 0.0
        public var skippedBlocks = 0
    }

    public func train() throws -> (model: LinkageModel, summary: Summary) {
        var model = LinkageModel.initial(comparisons)
        let rules = linkage.rules
        model.u = try estimateU(model)

        var summary = Summary()
        var estimates = comparisons.map { _ in [[Double]]() }
        var patternsOfAll: [ComparisonPattern: Double] = [:]
        for rule in rules.indices {
            var tally = RuleTally()
            for part in 0..<linkage.records.parts {
                let candidates = try linkage.candidates(rule: rule, part: part)
                // Patterns depend on the comparisons alone, not on m and u.
                let patterns = PairScorer(table: candidates.table, model: model, frequencies: .none(comparisons))
                tally.merge(count(candidates, rule: rule, patterns: patterns, share: pairsPerRule / linkage.records.parts))
            }
            let counted = tally.counted
            summary.skippedBlocks += tally.skippedBlocks
            // Pairs beyond the sample still count for the prior, in the sample's proportions.
            let scale = tally.sampled > 0 ? Double(tally.taken) / Double(tally.sampled) : 1
            for (pattern, count) in tally.firstFound { patternsOfAll[pattern, default: 0] += count * scale }
            summary.candidatePairs += Int((tally.firstFound.values.reduce(0, +) * scale).rounded())
            let blocked = Set(comparisons.indices.filter { index in
                comparisons[index].field.map { rules[rule].fields.contains($0) } ?? false
            })
            // A rule on the same fields as an earlier one (names in either order after names)
            // would train m on nearly the same pairs again and double their say.
            let repeatsEarlier = rules[..<rule].contains { $0.fields == rules[rule].fields }
            // A household's members are mostly kin, whom EM would learn as one person.
            let withinFamilies = rules[rule].fields.contains(.household)
            guard !counted.isEmpty, !repeatsEarlier, !withinFamilies else { continue }
            // Within a rule's candidates matches are common; start from there.
            var start = model
            start.priorMatch = 0.05
            let fitted = Self.maximise(start, patterns: counted, using: Set(comparisons.indices).subtracting(blocked),
                                       fitPrior: true, iterations: iterations)
            for index in comparisons.indices where !blocked.contains(index) {
                estimates[index].append(fitted.m[index])
            }
        }
        for index in comparisons.indices where !estimates[index].isEmpty {
            let levels = comparisons[index].levels.count
            model.m[index] = (0..<levels).map { level in
                estimates[index].map { $0[level] }.reduce(0, +) / Double(estimates[index].count)
            }
        }
        // The share of matches among the candidates, with m and u now fixed.
        model.priorMatch = 0.01
        let fitted = Self.maximise(model, patterns: patternsOfAll, using: Set(comparisons.indices),
                                   fitPrior: true, fitM: false, iterations: iterations)
        let candidatesCount = patternsOfAll.sorted { $0.key.bits < $1.key.bits }.reduce(0) { $0 + $1.value }
        summary.expectedMatches = fitted.priorMatch * candidatesCount
        model.priorMatch = min(0.5, max(1e-12, summary.expectedMatches / max(1, linkage.allPairs)))
        return (model, summary)
    }

    /// The patterns of a rule's candidate pairs, counted on every core: all of them for m,
    /// and those no earlier rule found for the prior. At most `pairsPerRule` are counted,
    /// each part of the list counting its share.
    struct RuleTally {
        var counted: [ComparisonPattern: Double] = [:]
        var firstFound: [ComparisonPattern: Double] = [:]
        var taken = 0
        var sampled = 0
        var skippedBlocks = 0

        mutating func merge(_ other: RuleTally) {
            counted.merge(other.counted, uniquingKeysWith: +)
            firstFound.merge(other.firstFound, uniquingKeysWith: +)
            taken += other.taken
            sampled += other.sampled
            skippedBlocks += other.skippedBlocks
        }
    }

    func count(_ candidates: CandidatePairs, rule: Int, patterns: PairScorer, share: Int) -> RuleTally {
        let blocks = candidates.blocks(rule: rule)
        let workers = max(1, min(blocks.count, ProcessInfo.processInfo.activeProcessorCount))
        let cap = share / workers
        // Each worker writes only its own slot.
        nonisolated(unsafe) let tallies = UnsafeMutableBufferPointer<RuleTally>.allocate(capacity: workers)
        defer { tallies.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var tally = RuleTally()
            patterns.withComparer { comparer in
                for index in (blocks.count * worker / workers)..<(blocks.count * (worker + 1) / workers) {
                    let compared = candidates.forEachPair(rule: rule, block: blocks[index], includingEarlier: true) { i, j in
                        tally.taken += 1
                        guard tally.sampled < cap else { return }
                        tally.sampled += 1
                        let pattern = comparer.pattern(i, j)
                        tally.counted[pattern, default: 0] += 1
                        if !candidates.foundEarlier(rule: rule, i, j) { tally.firstFound[pattern, default: 0] += 1 }
                    }
                    if !compared { tally.skippedBlocks += 1 }
                }
            }
            (tallies.baseAddress! + worker).initialize(to: tally)
        }
        defer { _ = tallies.baseAddress.map { $0.deinitialize(count: workers) } }
        var total = RuleTally()
        for tally in tallies { total.merge(tally) }
        return total
    }

    /// u: how often each level occurs between records drawn at random, from an even
    /// sample of the list.
    func estimateU(_ model: LinkageModel) throws -> [[Double]] {
        let table = try linkage.records.sample()
        let scorer = PairScorer(table: table, model: model, frequencies: .none(comparisons))
        var counts = comparisons.map { [Double](repeating: 0, count: $0.levels.count) }
        guard table.count > 1 else { return LinkageModel.initial(comparisons).u }
        let lefts = (0..<table.count).filter { table.sides[$0] == .left }
        let rights = linkage.mode == .link ? (0..<table.count).filter { table.sides[$0] == .right } : lefts
        guard !lefts.isEmpty, !rights.isEmpty else { return LinkageModel.initial(comparisons).u }
        let wanted = min(randomPairs, Int(min(linkage.allPairs, Double(Int.max / 2))))
        // Two halves drawn side by side, each from its own seed: the same counts every time.
        let halves = 2
        // Each half writes only its own slot.
        nonisolated(unsafe) let partial = UnsafeMutableBufferPointer<[[Double]]>.allocate(capacity: halves)
        defer { partial.deallocate() }
        DispatchQueue.concurrentPerform(iterations: halves) { half in
            var random = SplitMix(seed: seed &+ UInt64(half))
            var local = comparisons.map { [Double](repeating: 0, count: $0.levels.count) }
            var drawn = 0
            scorer.withComparer { comparer in
                while drawn < wanted / halves + (half < wanted % halves ? 1 : 0) {
                    let i = lefts[Int(random.next() % UInt64(lefts.count))]
                    let j = rights[Int(random.next() % UInt64(rights.count))]
                    if i == j { continue }
                    drawn += 1
                    let pattern = comparer.pattern(i, j)
                    for index in comparisons.indices where pattern[index] >= 0 {
                        local[index][pattern[index]] += 1
                    }
                }
            }
            (partial.baseAddress! + half).initialize(to: local)
        }
        for half in 0..<halves {
            for index in counts.indices {
                for level in counts[index].indices { counts[index][level] += partial[half][index][level] }
            }
        }
        _ = partial.baseAddress.map { $0.deinitialize(count: halves) }
        // Half a pair in each level, so that a level never seen at random is rare, not impossible.
        return counts.map { levels in
            let total = levels.reduce(0, +) + 0.5 * Double(levels.count)
            return levels.map { ($0 + 0.5) / total }
        }
    }

    /// Expectation–maximisation over counted patterns: `using` are the comparisons that
    /// enter the likelihood; m of those is refitted when `fitM`, and the prior when `fitPrior`.
    public static func maximise(
        _ start: LinkageModel, patterns: [ComparisonPattern: Double], using: Set<Int>,
        fitPrior: Bool, fitM: Bool = true, iterations: Int
    ) -> LinkageModel {
        var model = start
        let used = using.sorted()
        // In a fixed order, so that the sums, and the model, are the same to the last bit
        // however the patterns were counted: whole or in parts, on one core or two.
        let entries = patterns.sorted { $0.key.bits < $1.key.bits }
        for _ in 0..<iterations {
            let weights = model.levelWeights()
            let priorOdds = model.priorMatch / (1 - model.priorMatch)
            var matchTotal = 0.0, total = 0.0
            var mCounts = model.comparisons.map { [Double](repeating: 0, count: $0.levels.count) }
            for (pattern, count) in entries {
                var weight = 0.0
                for index in used where pattern[index] >= 0 { weight += weights[index][pattern[index]] }
                let odds = priorOdds * exp2(weight)
                let match = odds.isInfinite ? 1 : odds / (1 + odds)
                matchTotal += match * count
                total += count
                for index in used where pattern[index] >= 0 { mCounts[index][pattern[index]] += match * count }
            }
            let previous = model
            if fitPrior { model.priorMatch = min(0.999, max(1e-9, matchTotal / max(total, 1))) }
            if fitM {
                for index in used {
                    let sum = mCounts[index].reduce(0, +)
                    guard sum > 0 else { continue }
                    model.m[index] = mCounts[index].map { max($0 / sum, 1e-6) }
                }
            }
            if abs(previous.priorMatch - model.priorMatch) < 1e-9 && zip(previous.m, model.m).allSatisfy({ a, b in
                zip(a, b).allSatisfy { abs($0 - $1) < 1e-7 }
            }) { break }
        }
        return model
    }
}

/// A small fast generator for drawing random pairs, the same for the same seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

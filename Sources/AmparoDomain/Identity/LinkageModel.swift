import Foundation

/// The Fellegi–Sunter model of a linkage: for each comparison and level, the chance of
/// seeing that level when the two records are the same person (m) and when they are not
/// (u), and the chance that two records drawn at random are the same person.
///
/// A pair's match weight is the sum of log₂(m/u) over its comparisons plus the prior's
/// log-odds; its match probability is the weight turned back into a probability.
public struct LinkageModel: Sendable, Equatable {
    public var comparisons: [Comparison]
    public var m: [[Double]]
    public var u: [[Double]]
    /// λ: the probability that two records chosen at random are the same person.
    public var priorMatch: Double

    public init(comparisons: [Comparison], m: [[Double]], u: [[Double]], priorMatch: Double) {
        self.comparisons = comparisons
        self.m = m
        self.u = u
        self.priorMatch = priorMatch
    }

    /// A model to start expectation–maximisation from: exact agreement likely for the same
    /// person, the other levels sharing the rest; u even.
    public static func initial(_ comparisons: [Comparison]) -> LinkageModel {
        let m = comparisons.map { comparison -> [Double] in
            let count = comparison.levels.count
            var levels = [Double](repeating: 0.1 / Double(max(1, count - 2)), count: count)
            levels[0] = 0.88
            levels[count - 1] = 0.02
            if count == 2 { levels = [0.95, 0.05] }
            return levels
        }
        let u = comparisons.map { [Double](repeating: 1 / Double($0.levels.count), count: $0.levels.count) }
        return LinkageModel(comparisons: comparisons, m: m, u: u, priorMatch: 0.0001)
    }

    /// log₂(m/u) of each level: what agreeing at that level says for or against a match.
    public func levelWeights() -> [[Double]] {
        zip(m, u).map { m, u in zip(m, u).map { log2(max($0, 1e-12) / max($1, 1e-12)) } }
    }

    public var priorWeight: Double { log2(priorMatch / (1 - priorMatch)) }

    public static func probability(weight: Double) -> Double {
        1 / (1 + exp2(-weight))
    }

    public static func weight(probability: Double) -> Double {
        log2(probability / (1 - probability))
    }
}

/// The levels of every comparison of one pair, four bits each (0 for missing, level + 1
/// otherwise), so that patterns are counted and stored as one number.
public struct ComparisonPattern: Sendable, Hashable {
    public var bits: UInt64 = 0

    public init() {}

    public init(bits: UInt64) { self.bits = bits }

    /// Each comparison's level in words, "missing" where either side lacked the value.
    public func agreement(_ comparisons: [Comparison]) -> [String] {
        comparisons.indices.map { index in
            let level = self[index]
            return level < 0 ? "missing" : comparisons[index].levels[level]
        }
    }

    public subscript(comparison: Int) -> Int {
        get { Int((bits >> (4 * UInt64(comparison))) & 0xF) - 1 }
        set {
            let shift = 4 * UInt64(comparison)
            bits = (bits & ~(0xF << shift)) | (UInt64(newValue + 1) << shift)
        }
    }
}

/// How often each value of a field occurs, per record, for the exact level's weight.
public struct TermFrequencies: Sendable {
    /// For each comparison with a term-frequency adjustment, the share of records holding
    /// each record's own value; empty for comparisons without one.
    public let shares: [[Float]]

    private init(shares: [[Float]]) {
        self.shares = shares
    }

    /// No adjustment: exact agreement weighs m/u whatever the value.
    public static func none(_ comparisons: [Comparison]) -> TermFrequencies {
        TermFrequencies(shares: comparisons.map { _ in [] })
    }

    public init(_ table: LinkageTable, comparisons: [Comparison]) {
        self.init(table, comparisons: comparisons, counts: table.valueCounts)
    }

    /// The shares of the records of `table` among all the records `counts` counted: a
    /// part of a list is weighed by how common a value is in the whole.
    public init(_ table: LinkageTable, comparisons: [Comparison], counts: (LinkageField) -> ValueCounts) {
        shares = comparisons.map { comparison in
            guard comparison.termFrequency, let field = comparison.field else { return [] }
            let column = table[field], counts = counts(field)
            return (0..<table.count).map { counts.share(column, $0) }
        }
    }
}

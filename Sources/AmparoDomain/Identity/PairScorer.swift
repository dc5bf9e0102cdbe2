import Foundation

/// Scores pairs of records of one table against a model.
public struct PairScorer: Sendable {
    public let table: LinkageTable
    public let model: LinkageModel
    let weights: [[Double]]
    let frequencies: TermFrequencies

    public init(table: LinkageTable, model: LinkageModel, frequencies: TermFrequencies) {
        self.table = table
        self.model = model
        self.weights = model.levelWeights()
        self.frequencies = frequencies
    }

    public func pattern(_ i: Int, _ j: Int) -> ComparisonPattern {
        withComparer { $0.pattern(i, j) }
    }

    /// The match weight of a pair with this pattern, exact agreement on a common value
    /// weighing less than on a rare one.
    public func weight(_ pattern: ComparisonPattern, _ i: Int, _ j: Int) -> Double {
        withComparer { $0.weight(pattern, i, j) }
    }

    /// Calls `body` with a comparer that reads the table where it lies: the form for loops
    /// over many pairs. Read through arrays of arrays, every field of every pair cost a
    /// retain and a release, more than the comparison itself.
    public func withComparer<R>(_ body: (PairComparer) throws -> R) rethrows -> R {
        let columns = model.comparisons.map { $0.field.map { table[$0] } ?? TextColumn() }
        return try withBuffers(columns.map(\.bytes)) { bytes in
            try withBuffers(columns.map(\.ends)) { ends in
                try withBuffers(frequencies.shares) { shares in
                    try table.latitudes.withUnsafeBufferPointer { latitudes in
                        try table.longitudes.withUnsafeBufferPointer { longitudes in
                            try body(PairComparer(
                                comparisons: model.comparisons, bytes: bytes, ends: ends, shares: shares,
                                latitudes: latitudes, longitudes: longitudes, weights: weights,
                                exactM: model.m.map { max($0[0], 1e-12) }, priorWeight: model.priorWeight))
                        }
                    }
                }
            }
        }
    }
}

/// The pairs of one table compared and weighed in place, valid only inside
/// `PairScorer.withComparer`.
public struct PairComparer {
    let comparisons: [Comparison]
    let bytes: [UnsafeBufferPointer<UInt8>]
    let ends: [UnsafeBufferPointer<UInt32>]
    let shares: [UnsafeBufferPointer<Float>]
    let latitudes: UnsafeBufferPointer<Float>
    let longitudes: UnsafeBufferPointer<Float>
    let weights: [[Double]]
    let exactM: [Double]
    let priorWeight: Double

    public func pattern(_ i: Int, _ j: Int) -> ComparisonPattern {
        var pattern = ComparisonPattern()
        for index in comparisons.indices {
            pattern[index] = level(index, i, j)
        }
        return pattern
    }

    func level(_ index: Int, _ i: Int, _ j: Int) -> Int {
        let comparison = comparisons[index]
        guard comparison.field != nil else {
            return Comparison.placeLevel(latitudes[i], longitudes[i], latitudes[j], longitudes[j])
        }
        return comparison.level(value(index, i), value(index, j))
    }

    func value(_ index: Int, _ row: Int) -> UnsafeBufferPointer<UInt8> {
        let ends = ends[index]
        return UnsafeBufferPointer(rebasing: bytes[index][(row == 0 ? 0 : Int(ends[row - 1]))..<Int(ends[row])])
    }

    public func weight(_ pattern: ComparisonPattern, _ i: Int, _ j: Int) -> Double {
        var total = priorWeight
        for index in comparisons.indices {
            let level = pattern[index]
            guard level >= 0 else { continue }
            let shares = shares[index]
            if level == 0 && !shares.isEmpty {
                total += log2(exactM[index] / max(Double(max(shares[i], shares[j])), 1e-9))
            } else {
                total += weights[index][level]
            }
        }
        return total
    }
}

/// Calls `body` with the memory of every array, nested in the order given.
func withBuffers<T, R>(_ arrays: [[T]], _ body: ([UnsafeBufferPointer<T>]) throws -> R) rethrows -> R {
    func nest(_ index: Int, _ collected: [UnsafeBufferPointer<T>]) throws -> R {
        guard index < arrays.count else { return try body(collected) }
        return try arrays[index].withUnsafeBufferPointer { try nest(index + 1, collected + [$0]) }
    }
    return try nest(0, [])
}

import Foundation

/// A figure measured several times over, as a benchmark reports it: on a machine whose speed
/// drifts from one hour to the next, one run says little; the median and the range of a few
/// taken together say how far a difference between two builds can be trusted.
public struct RepeatedMeasurement: Sendable, Equatable {
    public private(set) var values: [Double]

    public init(_ values: [Double] = []) {
        self.values = values
    }

    public mutating func add(_ value: Double) {
        values.append(value)
    }

    /// The middle value, or the mean of the two middle ones; nil before the first.
    public var median: Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    public var lowest: Double? { values.min() }
    public var highest: Double? { values.max() }

    /// "52300 (median of 3: 48100–55000)", each value written by `format`; the value alone for one run.
    public func summary(_ format: (Double) -> String) -> String {
        guard let median, let lowest, let highest else { return "" }
        guard values.count > 1 else { return format(median) }
        return "\(format(median)) (median of \(values.count): \(format(lowest))–\(format(highest)))"
    }
}

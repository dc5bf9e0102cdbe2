/// Kleene's three-valued logic: a condition over data that may be missing is true, false,
/// or not known until the missing data are collected.
///
/// A household with a deprivation that is `unknown` is not silently counted as deprived
/// or not: it is left out of the aggregates and told which data to collect.
public enum Truth: UInt8, Sendable, Hashable, Codable {
    case no = 0
    case unknown = 1
    case yes = 2

    public init(_ value: Bool) { self = value ? .yes : .no }

    @inline(__always)
    public static func && (lhs: Truth, rhs: @autoclosure () -> Truth) -> Truth {
        if lhs == .no { return .no }
        let right = rhs()
        return lhs.rawValue < right.rawValue ? lhs : right
    }

    @inline(__always)
    public static func || (lhs: Truth, rhs: @autoclosure () -> Truth) -> Truth {
        if lhs == .yes { return .yes }
        let right = rhs()
        return lhs.rawValue > right.rawValue ? lhs : right
    }

    @inline(__always)
    public static prefix func ! (truth: Truth) -> Truth {
        Truth(rawValue: 2 - truth.rawValue)!
    }
}

/// A condition compiled against a `FactLayout`: field names resolved to slots, codes to
/// numbers, thresholds to exact fractions. It is laid out flat in a `CheckProgram` to be
/// evaluated.
indirect enum Check: Sendable, Hashable {
    case household(Int, Predicate)
    case member(Int, Predicate)
    case householdSum([SlotTerm], plus: Int64, Bound)
    case memberSum([SlotTerm], plus: Int64, Bound)
    case all([Check])
    case any([Check])
    case not(Check)
    case byZone(slot: Int, urban: Int64, whenUrban: Check, whenRural: Check)
    case anyMember(MemberFilter)
    case noMember(MemberFilter)
    case countMembers(MemberFilter, Bound)
    case meanOfMembers(MemberFilter, slot: Int, low: Int64, high: Int64, Bound)
    case countOf([Int], Bound)
    case membersPer(slot: Int, Bound, whenZero: Bool)
    case areaIn([String])
    case policyClass(Int, classes: UInt64)

    struct SlotTerm: Sendable, Hashable {
        var slot: Int
        var coefficient: Int64
        var low: Int64
        var high: Int64
    }

    /// Members by age (slot 0), and a check on each.
    struct MemberFilter: Sendable, Hashable {
        var minimumAge: Int64?
        var maximumAge: Int64?
        var check: Check?
    }

    enum Predicate: Sendable, Hashable {
        /// The code's number is one of these bits.
        case codes(UInt64)
        case notCodes(UInt64)
        /// A number; `low…high` is what a missing answer could be.
        case number(Bound, low: Int64, high: Int64)
    }
}

/// A comparison with an exact threshold.
struct Bound: Sendable, Hashable {
    var comparison: Condition.Comparison
    var value: Fraction

    /// Whether `x / per` meets the bound for every `x` in `low…high` (yes), for none (no), or
    /// for some (unknown). `per` is positive.
    @inline(__always)
    func test(low: Int64, high: Int64, per: Int64 = 1) -> Truth {
        // Most thresholds are whole numbers (a code, a count): those need no widening.
        if value.denominator == 1 && per == 1 { return compare(low, high, value.numerator) }
        return testWidened(low: low, high: high, per: per)
    }

    /// The whole numbers that meet the bound (`per` 1), as a range; empty (`low > high`) when
    /// none does, as for equals a fraction.
    var wholeNumbers: (low: Int64, high: Int64) {
        let n = Int128(value.numerator), d = Int128(value.denominator)
        // Rounded down and up: Swift's division rounds toward zero.
        let floor = n >= 0 ? n / d : -((-n + d - 1) / d)
        let ceiling = -(n <= 0 ? -n / d : -((n + d - 1) / d))
        func clamped(_ x: Int128) -> Int64 { Int64(max(Int128(Int64.min), min(Int128(Int64.max), x))) }
        switch comparison {
        case .atLeast: return (clamped(ceiling), .max)
        case .above: return (clamped(floor + 1), .max)
        case .atMost: return (.min, clamped(floor))
        case .below: return (.min, clamped(ceiling - 1))
        case .equals: return d == 1 ? (clamped(n), clamped(n)) : (1, 0)
        }
    }

    /// The rest, out of line so that the whole-number test above stays small enough to inline.
    @inline(never)
    private func testWidened(low: Int64, high: Int64, per: Int64) -> Truth {
        let d = Int128(value.denominator)
        return compare(Int128(low) * d, Int128(high) * d, Int128(value.numerator) * Int128(per))
    }

    @inline(__always)
    private func compare<Number: BinaryInteger>(_ low: Number, _ high: Number, _ target: Number) -> Truth {
        switch comparison {
        case .atLeast: return low >= target ? .yes : (high < target ? .no : .unknown)
        case .above: return low > target ? .yes : (high <= target ? .no : .unknown)
        case .atMost: return high <= target ? .yes : (low > target ? .no : .unknown)
        case .below: return high < target ? .yes : (low >= target ? .no : .unknown)
        case .equals:
            if low == high { return Truth(low == target) }
            return low <= target && target <= high ? .unknown : .no
        }
    }
}

/// A test of one answer, compiled so that it is answered without the predicate it came
/// from: the codes or small numbers it accepts as bits, larger numbers as a range, and its
/// answer when the value is missing. A sweep builds its lookups from these too.
struct AnswerTest: Sendable, Equatable {
    var slot: Int
    /// Bit `v` set when the value `v`, in `0..<64`, meets the test.
    var small: UInt64
    /// The values outside `0..<64` that meet it.
    var low: Int64
    var high: Int64
    var whenMissing: Truth

    init(_ predicate: Check.Predicate, slot: Int) {
        self.slot = slot
        switch predicate {
        case .codes(let bits):
            // Codes are numbered from 0: any other value is no code named.
            (small, low, high, whenMissing) = (bits, 1, 0, .unknown)
        case .notCodes(let bits):
            (small, low, high, whenMissing) = (~bits, .min, .max, .unknown)
        case .number(let bound, let missingLow, let missingHigh):
            small = 0
            for value in 0..<64 where bound.test(low: Int64(value), high: Int64(value)) == .yes { small |= 1 << UInt64(value) }
            (low, high) = bound.wholeNumbers
            whenMissing = bound.test(low: missingLow, high: missingHigh)
        }
    }

    @inline(__always)
    func answer(_ value: Int64) -> Truth {
        if value == HouseholdFacts.missing { return whenMissing }
        if UInt64(bitPattern: value) < 64 { return Truth(small >> UInt64(value) & 1 != 0) }
        return Truth(value >= low && value <= high)
    }
}

/// Sees what an evaluation reads, to explain a result; the run uses `NoTrace`, which the
/// compiler removes entirely.
protocol FactTracer {
    /// Whether it must hear about every member, or a member condition may stop at the first
    /// member that settles it.
    static var followsEveryMember: Bool { get }
    /// An answer read: of the household when `member` is nil.
    mutating func read(member: Int?, slot: Int, value: Int64)
    /// What a member condition found for one member.
    mutating func member(_ member: Int, found: Truth)
}

struct NoTrace: FactTracer {
    static var followsEveryMember: Bool { false }
    @inline(__always) mutating func read(member: Int?, slot: Int, value: Int64) {}
    @inline(__always) mutating func member(_ member: Int, found: Truth) {}
}

extension Check.SlotTerm {
    @inline(__always)
    func add(_ value: Int64, low: inout Int64, high: inout Int64) {
        if value == HouseholdFacts.missing {
            let a = coefficient * self.low, b = coefficient * self.high
            low += min(a, b)
            high += max(a, b)
        } else {
            low += coefficient * value
            high += coefficient * value
        }
    }
}

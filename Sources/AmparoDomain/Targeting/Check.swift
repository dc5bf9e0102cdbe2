/// A condition compiled against a `FactLayout`: field names resolved to slots, codes to
/// numbers, thresholds to exact fractions. Evaluating one reads integers and nothing else.
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
        let target = Int128(value.numerator) * Int128(per)
        let d = Int128(value.denominator)
        let lo = Int128(low) * d, hi = Int128(high) * d
        switch comparison {
        case .atLeast: return lo >= target ? .yes : (hi < target ? .no : .unknown)
        case .above: return lo > target ? .yes : (hi <= target ? .no : .unknown)
        case .atMost: return hi <= target ? .yes : (lo > target ? .no : .unknown)
        case .below: return hi < target ? .yes : (lo >= target ? .no : .unknown)
        case .equals:
            if lo == hi { return Truth(lo == target) }
            return lo <= target && target <= hi ? .unknown : .no
        }
    }
}

/// Sees what an evaluation reads, to explain a result; the run uses `NoTrace`, which the
/// compiler removes entirely.
protocol FactTracer {
    /// An answer read: of the household when `member` is nil.
    mutating func read(member: Int?, slot: Int, value: Int64)
    /// What a member condition found for one member.
    mutating func member(_ member: Int, found: Truth)
}

struct NoTrace: FactTracer {
    @inline(__always) mutating func read(member: Int?, slot: Int, value: Int64) {}
    @inline(__always) mutating func member(_ member: Int, found: Truth) {}
}

extension Check {
    /// Evaluates over one household; `member` is the person a member check is about.
    func evaluate<Tracer: FactTracer>(_ facts: HouseholdFacts, member: Int, _ tracer: inout Tracer) -> Truth {
        switch self {
        case .household(let slot, let predicate):
            let value = facts.household[slot]
            tracer.read(member: nil, slot: slot, value: value)
            return predicate.test(value)
        case .member(let slot, let predicate):
            let value = facts.member(member, slot)
            tracer.read(member: member, slot: slot, value: value)
            return predicate.test(value)
        case .householdSum(let terms, let plus, let bound):
            var low = plus, high = plus
            for term in terms {
                let value = facts.household[term.slot]
                tracer.read(member: nil, slot: term.slot, value: value)
                term.add(value, low: &low, high: &high)
            }
            return bound.test(low: low, high: high)
        case .memberSum(let terms, let plus, let bound):
            var low = plus, high = plus
            for term in terms {
                let value = facts.member(member, term.slot)
                tracer.read(member: member, slot: term.slot, value: value)
                term.add(value, low: &low, high: &high)
            }
            return bound.test(low: low, high: high)
        case .all(let checks):
            var result = Truth.yes
            for check in checks {
                result = result && check.evaluate(facts, member: member, &tracer)
                if result == .no { return .no }
            }
            return result
        case .any(let checks):
            var result = Truth.no
            for check in checks {
                result = result || check.evaluate(facts, member: member, &tracer)
                if result == .yes { return .yes }
            }
            return result
        case .not(let check):
            return !check.evaluate(facts, member: member, &tracer)
        case .byZone(let slot, let urban, let whenUrban, let whenRural):
            let zone = facts.household[slot]
            tracer.read(member: nil, slot: slot, value: zone)
            if zone == HouseholdFacts.missing { return .unknown }
            return (zone == urban ? whenUrban : whenRural).evaluate(facts, member: member, &tracer)
        case .anyMember(let filter):
            var result = Truth.no
            for person in 0..<facts.memberCount {
                let found = filter.matches(facts, person, &tracer)
                tracer.member(person, found: found)
                result = result || found
            }
            return result
        case .noMember(let filter):
            // A household with nobody the indicator is about is not deprived by it.
            var anyone = Truth.no, found = Truth.no
            for person in 0..<facts.memberCount {
                anyone = anyone || filter.eligible(facts, person, &tracer)
                let match = filter.matches(facts, person, &tracer)
                tracer.member(person, found: !match)
                found = found || match
            }
            return anyone && !found
        case .countMembers(let filter, let bound):
            var low: Int64 = 0, high: Int64 = 0
            for person in 0..<facts.memberCount {
                switch filter.matches(facts, person, &tracer) {
                case .yes: low += 1; high += 1
                case .unknown: high += 1
                case .no: break
                }
            }
            return bound.test(low: low, high: high)
        case .meanOfMembers(let filter, let slot, let fieldLow, let fieldHigh, let bound):
            var count: Int64 = 0, low: Int64 = 0, high: Int64 = 0, eligibility = Truth.yes
            for person in 0..<facts.memberCount {
                switch filter.matches(facts, person, &tracer) {
                case .no: continue
                case .unknown: eligibility = .unknown
                case .yes:
                    count += 1
                    let value = facts.member(person, slot)
                    tracer.read(member: person, slot: slot, value: value)
                    tracer.member(person, found: .yes)
                    if value == HouseholdFacts.missing { low += fieldLow; high += fieldHigh } else { low += value; high += value }
                }
            }
            if eligibility == .unknown { return .unknown }
            if count == 0 { return .no }
            return bound.test(low: low, high: high, per: count)
        case .countOf(let slots, let bound):
            var low: Int64 = 0, high: Int64 = 0
            for slot in slots {
                let value = facts.household[slot]
                tracer.read(member: nil, slot: slot, value: value)
                if value == HouseholdFacts.missing { high += 1 } else if value == 1 { low += 1; high += 1 }
            }
            return bound.test(low: low, high: high)
        case .membersPer(let slot, let bound, let whenZero):
            let rooms = facts.household[slot]
            tracer.read(member: nil, slot: slot, value: rooms)
            if rooms == HouseholdFacts.missing { return .unknown }
            if rooms <= 0 { return Truth(whenZero) }
            let people = Int64(facts.memberCount)
            return bound.test(low: people, high: people, per: rooms)
        case .areaIn(let patterns):
            for pattern in patterns where facts.areaPath.contains(pattern) { return .yes }
            return .no
        case .policyClass(let index, let classes):
            let given = facts.policyClasses[index]
            return Truth(classes & (1 << UInt64(given)) != 0)
        }
    }
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

extension Check.MemberFilter {
    @inline(__always)
    func eligible<Tracer: FactTracer>(_ facts: HouseholdFacts, _ person: Int, _ tracer: inout Tracer) -> Truth {
        if minimumAge == nil && maximumAge == nil { return .yes }
        let age = facts.member(person, 0)
        tracer.read(member: person, slot: 0, value: age)
        if age == HouseholdFacts.missing { return .unknown }
        if let minimumAge, age < minimumAge { return .no }
        if let maximumAge, age > maximumAge { return .no }
        return .yes
    }

    @inline(__always)
    func matches<Tracer: FactTracer>(_ facts: HouseholdFacts, _ person: Int, _ tracer: inout Tracer) -> Truth {
        let eligible = eligible(facts, person, &tracer)
        if eligible == .no { return .no }
        guard let check else { return eligible }
        return eligible && check.evaluate(facts, member: person, &tracer)
    }
}

extension Check.Predicate {
    @inline(__always)
    func test(_ value: Int64) -> Truth {
        switch self {
        case .codes(let bits):
            if value == HouseholdFacts.missing { return .unknown }
            return Truth(value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0)
        case .notCodes(let bits):
            if value == HouseholdFacts.missing { return .unknown }
            return Truth(!(value >= 0 && value < 64 && bits & (1 << UInt64(value)) != 0))
        case .number(let bound, let low, let high):
            if value == HouseholdFacts.missing { return bound.test(low: low, high: high) }
            return bound.test(low: value, high: value)
        }
    }
}

/// A policy's checks laid out flat, for scoring millions of households.
///
/// A `Check` is a tree of enum cases; walking one copies each case's payload, and the
/// reference counting of those copies was half the time of a whole-registry score. The
/// program holds the same checks as plain nodes in one array, which point to each other
/// by position, so an evaluation reads integers and never touches a reference count.
struct CheckProgram: Sendable {
    /// Where one compiled check starts.
    struct Entry: Sendable, Hashable {
        let node: Int32
    }

    enum Operation: UInt8, Sendable {
        /// A test of one answer, `answerTests[bound]`, of the household or of the member.
        case householdAnswer, memberAnswer
        case householdSum, memberSum
        case all, any, not, byZone
        case anyMember, noMember, countMembers, meanOfMembers
        /// Which members a member condition is about: `low…high` are the ages (bit 0 of
        /// `bits` set when there is an age limit), `first` the check on each, or -1. When
        /// that check only tests answers of the member, `count` of them start at `bound` in
        /// `memberTests`; otherwise `count` is -1.
        case memberFilter
        case countOf, membersPer, areaIn, policyClass
    }

    /// One check; what each field means depends on the operation (see `append`).
    struct Node: Sendable {
        var operation: Operation
        var slot: Int32 = 0
        /// The first operand (in `operands`, `terms` or `patterns`), or the node a
        /// negation, a member condition or a filter applies.
        var first: Int32 = -1
        var count: Int32 = 0
        /// Position in `bounds`, or in `answerTests` for a test of one answer.
        var bound: Int32 = 0
        var bits: UInt64 = 0
        var low: Int64 = 0
        var high: Int64 = 0
    }

    private(set) var nodes: [Node] = []
    /// Child nodes of `all`, `any` and `byZone`; household slots of `countOf`.
    private(set) var operands: [Int32] = []
    private(set) var terms: [Check.SlotTerm] = []
    private(set) var bounds: [Bound] = []
    private(set) var answerTests: [AnswerTest] = []
    private var patterns: [String] = []
    /// The answer tests of member filters that `matches` makes without `run`, as positions
    /// in `answerTests`.
    private(set) var memberTests: [Int32] = []

    /// Lays out a check and returns where it starts.
    mutating func append(_ check: Check) -> Entry {
        Entry(node: add(check))
    }

    private mutating func add(_ check: Check) -> Int32 {
        var node: Node
        switch check {
        case .household(let slot, let predicate), .member(let slot, let predicate):
            if case .household = check { node = Node(operation: .householdAnswer) } else { node = Node(operation: .memberAnswer) }
            node.slot = Int32(slot)
            node.bound = Int32(answerTests.count)
            answerTests.append(AnswerTest(predicate, slot: slot))
        case .householdSum(let slotTerms, let plus, let bound), .memberSum(let slotTerms, let plus, let bound):
            if case .householdSum = check { node = Node(operation: .householdSum) } else { node = Node(operation: .memberSum) }
            node.first = Int32(terms.count)
            node.count = Int32(slotTerms.count)
            node.low = plus
            node.bound = add(bound)
            terms.append(contentsOf: slotTerms)
        case .all(let checks), .any(let checks):
            if case .all = check { node = Node(operation: .all) } else { node = Node(operation: .any) }
            let children = checks.map { add($0) }
            node.first = Int32(operands.count)
            node.count = Int32(children.count)
            operands.append(contentsOf: children)
        case .not(let inner):
            node = Node(operation: .not, first: add(inner))
        case .byZone(let slot, let urban, let whenUrban, let whenRural):
            let children = [add(whenUrban), add(whenRural)]
            node = Node(operation: .byZone, slot: Int32(slot), first: Int32(operands.count), count: 2, low: urban)
            operands.append(contentsOf: children)
        case .anyMember(let filter):
            node = Node(operation: .anyMember, first: add(filter))
        case .noMember(let filter):
            node = Node(operation: .noMember, first: add(filter))
        case .countMembers(let filter, let bound):
            node = Node(operation: .countMembers, first: add(filter), bound: add(bound))
        case .meanOfMembers(let filter, let slot, let low, let high, let bound):
            node = Node(operation: .meanOfMembers, slot: Int32(slot), first: add(filter), bound: add(bound), low: low, high: high)
        case .countOf(let slots, let bound):
            node = Node(operation: .countOf, first: Int32(operands.count), count: Int32(slots.count), bound: add(bound))
            operands.append(contentsOf: slots.map { Int32($0) })
        case .membersPer(let slot, let bound, let whenZero):
            node = Node(operation: .membersPer, slot: Int32(slot), bound: add(bound), bits: whenZero ? 1 : 0)
        case .areaIn(let names):
            node = Node(operation: .areaIn, first: Int32(patterns.count), count: Int32(names.count))
            patterns.append(contentsOf: names)
        case .policyClass(let index, let classes):
            node = Node(operation: .policyClass, slot: Int32(index), bits: classes)
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    private mutating func add(_ filter: Check.MemberFilter) -> Int32 {
        let inner = filter.check.map { add($0) } ?? -1
        let limited = filter.minimumAge != nil || filter.maximumAge != nil
        var node = Node(operation: .memberFilter, first: inner, count: -1, bits: limited ? 1 : 0,
                        low: filter.minimumAge ?? .min, high: filter.maximumAge ?? .max)
        if let tests = memberAnswerNodes(inner) {
            node.bound = Int32(memberTests.count)
            node.count = Int32(tests.count)
            memberTests.append(contentsOf: tests.map { nodes[Int($0)].bound })
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    /// The nodes of the tests a member check makes, when it is one test of an answer of the
    /// member or all of several (most are): a household is scored by a loop over its members
    /// per indicator, and a call to `run` for each member was most of the time of a run.
    private func memberAnswerNodes(_ check: Int32) -> [Int32]? {
        func isAnswerTest(_ index: Int32) -> Bool {
            nodes[Int(index)].operation == .memberAnswer
        }
        if check < 0 { return [] }
        if isAnswerTest(check) { return [check] }
        let node = nodes[Int(check)]
        guard node.operation == .all else { return nil }
        let children = operands[Int(node.first)..<Int(node.first + node.count)]
        return children.allSatisfy(isAnswerTest) ? Array(children) : nil
    }

    /// Entry of a member filter, for the quantities of a proxy means test.
    mutating func append(_ filter: Check.MemberFilter) -> Entry {
        Entry(node: add(filter))
    }

    private mutating func add(_ bound: Bound) -> Int32 {
        bounds.append(bound)
        return Int32(bounds.count - 1)
    }
}

extension CheckProgram {
    /// Evaluates a check over one household; `member` is the person a member check is about.
    func evaluate<Tracer: FactTracer>(_ entry: Entry, _ facts: HouseholdFacts, member: Int, _ tracer: inout Tracer) -> Truth {
        run(Int(entry.node), facts, member, &tracer)
    }

    /// Whether a member is one a filter is about and meets its check.
    func matches<Tracer: FactTracer>(_ filter: Entry, _ facts: HouseholdFacts, _ person: Int, _ tracer: inout Tracer) -> Truth {
        matches(Int(filter.node), facts, person, &tracer)
    }

    private func run<Tracer: FactTracer>(_ index: Int, _ facts: HouseholdFacts, _ member: Int, _ tracer: inout Tracer) -> Truth {
        let node = nodes[index]
        switch node.operation {
        case .householdAnswer:
            let value = facts.household[Int(node.slot)]
            tracer.read(member: nil, slot: Int(node.slot), value: value)
            return answerTests[Int(node.bound)].answer(value)
        case .memberAnswer:
            let value = facts.member(member, Int(node.slot))
            tracer.read(member: member, slot: Int(node.slot), value: value)
            return answerTests[Int(node.bound)].answer(value)
        case .householdSum, .memberSum:
            var low = node.low, high = node.low
            for position in Int(node.first)..<Int(node.first + node.count) {
                let term = terms[position]
                let value = node.operation == .householdSum ? facts.household[term.slot] : facts.member(member, term.slot)
                tracer.read(member: node.operation == .householdSum ? nil : member, slot: term.slot, value: value)
                term.add(value, low: &low, high: &high)
            }
            return bounds[Int(node.bound)].test(low: low, high: high)
        case .all:
            var result = Truth.yes
            for position in Int(node.first)..<Int(node.first + node.count) {
                result = result && run(Int(operands[position]), facts, member, &tracer)
                if result == .no { return .no }
            }
            return result
        case .any:
            var result = Truth.no
            for position in Int(node.first)..<Int(node.first + node.count) {
                result = result || run(Int(operands[position]), facts, member, &tracer)
                if result == .yes { return .yes }
            }
            return result
        case .not:
            return !run(Int(node.first), facts, member, &tracer)
        case .byZone:
            let zone = facts.household[Int(node.slot)]
            tracer.read(member: nil, slot: Int(node.slot), value: zone)
            if zone == HouseholdFacts.missing { return .unknown }
            let branch = operands[Int(node.first) + (zone == node.low ? 0 : 1)]
            return run(Int(branch), facts, member, &tracer)
        case .anyMember:
            let filter = nodes[Int(node.first)]
            if filter.count >= 0 { return anyMemberMatchesAnswers(filter, facts, &tracer) }
            var result = Truth.no
            for person in 0..<facts.memberCount {
                let found = matches(Int(node.first), facts, person, &tracer)
                tracer.member(person, found: found)
                result = result || found
                if result == .yes && !Tracer.followsEveryMember { return .yes }
            }
            return result
        case .noMember:
            // A household with nobody the indicator is about is not deprived by it.
            var anyone = Truth.no, found = Truth.no
            for person in 0..<facts.memberCount {
                anyone = anyone || eligible(Int(node.first), facts, person, &tracer)
                let match = matches(Int(node.first), facts, person, &tracer)
                tracer.member(person, found: !match)
                found = found || match
                if found == .yes && !Tracer.followsEveryMember { return .no }
            }
            return anyone && !found
        case .countMembers:
            var low: Int64 = 0, high: Int64 = 0
            for person in 0..<facts.memberCount {
                switch matches(Int(node.first), facts, person, &tracer) {
                case .yes: low += 1; high += 1
                case .unknown: high += 1
                case .no: break
                }
            }
            return bounds[Int(node.bound)].test(low: low, high: high)
        case .meanOfMembers:
            var count: Int64 = 0, low: Int64 = 0, high: Int64 = 0, eligibility = Truth.yes
            for person in 0..<facts.memberCount {
                switch matches(Int(node.first), facts, person, &tracer) {
                case .no: continue
                case .unknown: eligibility = .unknown
                case .yes:
                    count += 1
                    let value = facts.member(person, Int(node.slot))
                    tracer.read(member: person, slot: Int(node.slot), value: value)
                    tracer.member(person, found: .yes)
                    if value == HouseholdFacts.missing { low += node.low; high += node.high } else { low += value; high += value }
                }
            }
            if eligibility == .unknown { return .unknown }
            if count == 0 { return .no }
            return bounds[Int(node.bound)].test(low: low, high: high, per: count)
        case .memberFilter:
            return matches(index, facts, member, &tracer)
        case .countOf:
            var low: Int64 = 0, high: Int64 = 0
            for position in Int(node.first)..<Int(node.first + node.count) {
                let slot = Int(operands[position])
                let value = facts.household[slot]
                tracer.read(member: nil, slot: slot, value: value)
                if value == HouseholdFacts.missing { high += 1 } else if value == 1 { low += 1; high += 1 }
            }
            return bounds[Int(node.bound)].test(low: low, high: high)
        case .membersPer:
            let rooms = facts.household[Int(node.slot)]
            tracer.read(member: nil, slot: Int(node.slot), value: rooms)
            if rooms == HouseholdFacts.missing { return .unknown }
            if rooms <= 0 { return Truth(node.bits != 0) }
            let people = Int64(facts.memberCount)
            return bounds[Int(node.bound)].test(low: people, high: people, per: rooms)
        case .areaIn:
            for position in Int(node.first)..<Int(node.first + node.count) where facts.areaPath.contains(patterns[position]) {
                return .yes
            }
            return .no
        case .policyClass:
            let given = facts.policyClasses[Int(node.slot)]
            return Truth(node.bits & (1 << UInt64(given)) != 0)
        }
    }

    @inline(__always)
    private func eligible<Tracer: FactTracer>(_ filter: Int, _ facts: HouseholdFacts, _ person: Int, _ tracer: inout Tracer) -> Truth {
        let node = nodes[filter]
        if node.bits == 0 { return .yes }
        let age = facts.member(person, 0)
        tracer.read(member: person, slot: 0, value: age)
        if age == HouseholdFacts.missing { return .unknown }
        return Truth(age >= node.low && age <= node.high)
    }

    @inline(__always)
    private func matches<Tracer: FactTracer>(_ filter: Int, _ facts: HouseholdFacts, _ person: Int, _ tracer: inout Tracer) -> Truth {
        let node = nodes[filter]
        if node.count >= 0 { return matchesAnswers(node, facts, person, &tracer) }
        let isEligible = eligible(filter, facts, person, &tracer)
        if isEligible == .no { return .no }
        return isEligible && check(Int(node.first), facts, person, &tracer)
    }

    /// `matches` for a filter whose check is tests of the member's answers; it calls
    /// nothing, so that it inlines in the loops over members.
    @inline(__always)
    private func matchesAnswers<Tracer: FactTracer>(_ filter: Node, _ facts: HouseholdFacts, _ person: Int,
                                                    _ tracer: inout Tracer) -> Truth {
        var result = Truth.yes
        if filter.bits != 0 {
            let age = facts.member(person, 0)
            tracer.read(member: person, slot: 0, value: age)
            if age == HouseholdFacts.missing {
                result = .unknown
            } else if age < filter.low || age > filter.high {
                return .no
            }
        }
        for position in Int(filter.bound)..<Int(filter.bound + filter.count) {
            let test = answerTests[Int(memberTests[position])]
            let value = facts.member(person, test.slot)
            tracer.read(member: person, slot: test.slot, value: value)
            result = result && test.answer(value)
            if result == .no { return .no }
        }
        return result
    }

    /// `anyMember` over a filter whose check is tests of the member's answers, the shape of
    /// most indicators: one loop, with no call per member.
    private func anyMemberMatchesAnswers<Tracer: FactTracer>(_ filter: Node, _ facts: HouseholdFacts,
                                                             _ tracer: inout Tracer) -> Truth {
        var result = Truth.no
        for person in 0..<facts.memberCount {
            let found = matchesAnswers(filter, facts, person, &tracer)
            tracer.member(person, found: found)
            result = result || found
            if result == .yes && !Tracer.followsEveryMember { return .yes }
        }
        return result
    }

    /// A member filter's check that is more than tests of answers, kept out of line so
    /// that `matches` stays small.
    @inline(never)
    private func check<Tracer: FactTracer>(_ index: Int, _ facts: HouseholdFacts, _ person: Int, _ tracer: inout Tracer) -> Truth {
        run(index, facts, person, &tracer)
    }
}

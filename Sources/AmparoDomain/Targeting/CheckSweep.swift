extension CheckProgram {
    /// The checks of a policy that a run answers without walking the program: tests of one
    /// household answer (or of one by zone), and checks over members (any member, a mean)
    /// whose filters test answers of the member. Most indicators of an MPI are such checks,
    /// and walking the program for each, member after member, was most of the time of a run.
    ///
    /// Most answers are small numbers (a code, a flag, a count of years) or missing, so for
    /// each answer the `anyMember` checks test and each value from 0 to 63 and missing, the
    /// sweep holds the checks whose tests that value surely meets and those it might meet, as
    /// bits. A member's matches are then one lookup per answer, and'ed, which is Kleene's
    /// `and` of every test of every check at once. A member with an answer outside that
    /// range goes through each filter's tests one by one.
    struct Sweep: Sendable {
        /// The checks swept, bit `j` for the `j`th entry given to `sweep`.
        fileprivate(set) var bits: UInt64 = 0
        fileprivate var householdTests: [SweptHouseholdTest] = []
        /// The `anyMember` checks whose filters test answers, answered by the lookups below.
        fileprivate var filters: [SweptFilter] = []
        fileprivate var filterBits: UInt64 = 0
        /// The answer tests of `filters` and of the means' filters, side by side, as the program holds them.
        fileprivate var tests: [AnswerTest] = []
        /// The member slots the filters' tests read, each once.
        fileprivate var slots: [Int] = []
        /// For slot `slots[k]` and value `v` (64 for missing), at `k * 65 + v`: the checks whose
        /// tests of that slot `v` surely meets, with every check that does not test the slot.
        fileprivate var sure: [UInt64] = []
        /// The same, for the checks whose tests of the slot `v` meets or might meet.
        fileprivate var maybe: [UInt64] = []
        /// For each age below `ages` and missing (at `ages`): the checks whose filter surely
        /// takes members of that age, and those whose filter might.
        fileprivate var surelyOfAge: [UInt64] = []
        fileprivate var maybeOfAge: [UInt64] = []
        fileprivate static let ages = 128
        /// `anyMember` checks whose filter's check is a sum of the member's answers.
        fileprivate var sums: [SweptSum] = []
        fileprivate var means: [SweptMean] = []
    }

    /// The entries (at most 64) that a sweep can evaluate.
    func sweep(_ entries: [Entry]) -> Sweep {
        var sweep = Sweep()
        for (index, entry) in entries.prefix(64).enumerated() {
            let bit: UInt64 = 1 << UInt64(index)
            let node = nodes[Int(entry.node)]
            if let test = sweptHouseholdTest(node, bit: bit) {
                sweep.householdTests.append(test)
            } else if node.operation == .anyMember, nodes[Int(node.first)].count >= 0 {
                sweep.filters.append(sweptFilter(nodes[Int(node.first)], bit: bit, into: &sweep.tests))
                sweep.filterBits |= bit
            } else if node.operation == .anyMember, let sum = sweptSum(nodes[Int(node.first)], bit: bit) {
                sweep.sums.append(sum)
            } else if node.operation == .meanOfMembers, nodes[Int(node.first)].count >= 0 {
                sweep.means.append(SweptMean(filter: sweptFilter(nodes[Int(node.first)], bit: bit, into: &sweep.tests),
                                             slot: Int(node.slot), low: node.low, high: node.high, bound: bounds[Int(node.bound)]))
            } else {
                continue
            }
            sweep.bits |= bit
        }
        lookUp(&sweep)
        return sweep
    }

    /// Fills the sweep's lookups for its `anyMember` filters.
    private func lookUp(_ sweep: inout Sweep) {
        for filter in sweep.filters {
            for test in sweep.tests[filter.tests] where !sweep.slots.contains(test.slot) { sweep.slots.append(test.slot) }
        }
        sweep.sure = Array(repeating: sweep.filterBits, count: sweep.slots.count * 65)
        sweep.maybe = sweep.sure
        for filter in sweep.filters {
            for test in sweep.tests[filter.tests] {
                let row = sweep.slots.firstIndex(of: test.slot)! * 65
                for value in 0...64 {
                    let found = test.answer(value == 64 ? HouseholdFacts.missing : Int64(value))
                    if found != .yes { sweep.sure[row + value] &= ~filter.bit }
                    if found == .no { sweep.maybe[row + value] &= ~filter.bit }
                }
            }
        }
        for age in 0...Int64(Sweep.ages) {
            var sure: UInt64 = 0, maybe: UInt64 = 0
            for filter in sweep.filters {
                switch filter.admits(age: age < Sweep.ages ? age : HouseholdFacts.missing) {
                case .yes: sure |= filter.bit; maybe |= filter.bit
                case .unknown: maybe |= filter.bit
                case .no: break
                }
            }
            sweep.surelyOfAge.append(sure)
            sweep.maybeOfAge.append(maybe)
        }
    }

    private func sweptFilter(_ filter: Node, bit: UInt64, into tests: inout [AnswerTest]) -> SweptFilter {
        let first = tests.count
        for position in Int(filter.bound)..<Int(filter.bound + filter.count) {
            tests.append(answerTests[Int(memberTests[position])])
        }
        return SweptFilter(bit: bit, ageLimited: filter.bits != 0, ageLow: filter.low, ageHigh: filter.high,
                           tests: first..<tests.count)
    }

    /// A member filter whose check is one sum of the member's answers, laid out for a sweep.
    private func sweptSum(_ filter: Node, bit: UInt64) -> SweptSum? {
        guard filter.first >= 0 else { return nil }
        let sum = nodes[Int(filter.first)]
        guard sum.operation == .memberSum else { return nil }
        return SweptSum(filter: SweptFilter(bit: bit, ageLimited: filter.bits != 0, ageLow: filter.low, ageHigh: filter.high, tests: 0..<0),
                        terms: Array(terms[Int(sum.first)..<Int(sum.first + sum.count)]), plus: sum.low, bound: bounds[Int(sum.bound)])
    }

    /// A household answer test, or a choice by zone between two, laid out for a sweep; nil for any other check.
    private func sweptHouseholdTest(_ node: Node, bit: UInt64) -> SweptHouseholdTest? {
        if node.operation == .householdAnswer {
            let test = answerTests[Int(node.bound)]
            return SweptHouseholdTest(bit: bit, zoneSlot: -1, urban: 0, whenUrban: test, whenRural: test)
        }
        guard node.operation == .byZone else { return nil }
        let urban = nodes[Int(operands[Int(node.first)])], rural = nodes[Int(operands[Int(node.first) + 1])]
        guard urban.operation == .householdAnswer, rural.operation == .householdAnswer else { return nil }
        return SweptHouseholdTest(bit: bit, zoneSlot: Int(node.slot), urban: node.low,
                                  whenUrban: answerTests[Int(urban.bound)], whenRural: answerTests[Int(rural.bound)])
    }

    /// The swept checks that hold (`yes`) and those that cannot be decided (`unknown`), by bit;
    /// the same as evaluating each check on its own. Only a run sweeps: an explanation follows
    /// each check, so nothing here is traced.
    func evaluate(_ sweep: Sweep, _ facts: HouseholdFacts) -> (yes: UInt64, unknown: UInt64) {
        var yes: UInt64 = 0, unknown: UInt64 = 0
        for check in sweep.householdTests {
            var test = check.whenUrban
            if check.zoneSlot >= 0 {
                let zone = facts.household[check.zoneSlot]
                if zone == HouseholdFacts.missing {
                    unknown |= check.bit
                    continue
                }
                if zone != check.urban { test = check.whenRural }
            }
            record(test.answer(facts.household[test.slot]), check.bit, &yes, &unknown)
        }
        let stride = facts.memberStride, people = facts.memberCount
        facts.members.withUnsafeBufferPointer { members in
            sweep.tests.withUnsafeBufferPointer { tests in
                anyMember(sweep, members, people, stride, tests, &yes, &unknown)
                for sum in sweep.sums {
                    var found = Truth.no
                    for person in 0..<people {
                        found = found || sum.answer(members, person &* stride, tests)
                        if found == .yes { break }
                    }
                    record(found, sum.filter.bit, &yes, &unknown)
                }
                for mean in sweep.means {
                    record(mean.answer(members, people, stride, tests), mean.filter.bit, &yes, &unknown)
                }
            }
        }
        return (yes, unknown & ~yes)
    }

    @inline(__always)
    private func record(_ found: Truth, _ bit: UInt64, _ yes: inout UInt64, _ unknown: inout UInt64) {
        switch found {
        case .yes: yes |= bit
        case .unknown: unknown |= bit
        case .no: break
        }
    }

    /// The `anyMember` checks answered by lookups, member by member until each holds.
    private func anyMember(_ sweep: Sweep, _ members: UnsafeBufferPointer<Int64>, _ people: Int, _ stride: Int,
                           _ tests: UnsafeBufferPointer<AnswerTest>, _ yes: inout UInt64, _ unknown: inout UInt64) {
        sweep.slots.withUnsafeBufferPointer { slots in
            sweep.sure.withUnsafeBufferPointer { sureOf in
                sweep.maybe.withUnsafeBufferPointer { maybeOf in
                    members: for person in 0..<people {
                        let row = person &* stride
                        let age = Self.lookup(members[row], below: Sweep.ages)
                        guard age >= 0 else {
                            oneByOne(sweep.filters, members, row, tests, &yes, &unknown)
                            continue
                        }
                        var sure = sweep.surelyOfAge[age], maybe = sweep.maybeOfAge[age]
                        for (index, slot) in slots.enumerated() {
                            let value = Self.lookup(members[row &+ slot], below: 64)
                            guard value >= 0 else {
                                oneByOne(sweep.filters, members, row, tests, &yes, &unknown)
                                continue members
                            }
                            sure &= sureOf[index &* 65 &+ value]
                            maybe &= maybeOf[index &* 65 &+ value]
                        }
                        yes |= sure
                        unknown |= maybe & ~sure
                        if yes & sweep.filterBits == sweep.filterBits { break }
                    }
                }
            }
        }
    }

    /// Where a value sits in a sweep's lookups of `limit + 1` entries: itself below `limit`,
    /// `limit` when missing, -1 for any other.
    @inline(__always)
    private static func lookup(_ value: Int64, below limit: Int) -> Int {
        if UInt64(bitPattern: value) < UInt64(limit) { return Int(value) }
        return value == HouseholdFacts.missing ? limit : -1
    }

    /// One member through each filter not yet met, test by test: for an answer outside the
    /// sweep's lookups.
    @inline(never)
    private func oneByOne(_ filters: [SweptFilter], _ members: UnsafeBufferPointer<Int64>, _ row: Int,
                          _ tests: UnsafeBufferPointer<AnswerTest>, _ yes: inout UInt64, _ unknown: inout UInt64) {
        for filter in filters where yes & filter.bit == 0 {
            record(filter.admits(members, row, tests), filter.bit, &yes, &unknown)
        }
    }
}

/// A check of one household answer (`zoneSlot` -1), or, by the household's zone, of one
/// answer in town and one in the countryside.
private struct SweptHouseholdTest: Sendable {
    var bit: UInt64
    var zoneSlot: Int
    var urban: Int64
    var whenUrban: AnswerTest
    var whenRural: AnswerTest
}

/// Which members a swept check is about: by age, and by the tests in `tests` (of the sweep's).
private struct SweptFilter: Sendable {
    var bit: UInt64
    var ageLimited: Bool
    var ageLow: Int64
    var ageHigh: Int64
    var tests: Range<Int>

    @inline(__always)
    func admits(age: Int64) -> Truth {
        guard ageLimited else { return .yes }
        if age == HouseholdFacts.missing { return .unknown }
        return Truth(age >= ageLow && age <= ageHigh)
    }

    /// Whether the member whose answers start at `row` is one the check is about.
    @inline(__always)
    func admits(_ members: UnsafeBufferPointer<Int64>, _ row: Int, _ tests: UnsafeBufferPointer<AnswerTest>) -> Truth {
        var result = admits(age: members[row])
        if result == .no { return .no }
        for position in self.tests {
            let test = tests[position]
            let found = test.answer(members[row &+ test.slot])
            if found.rawValue < result.rawValue { result = found }
            if result == .no { return .no }
        }
        return result
    }
}

/// An `anyMember` check whose filter is by age and one sum of the member's answers.
private struct SweptSum: Sendable {
    var filter: SweptFilter
    var terms: [Check.SlotTerm]
    var plus: Int64
    var bound: Bound

    @inline(__always)
    func answer(_ members: UnsafeBufferPointer<Int64>, _ row: Int, _ tests: UnsafeBufferPointer<AnswerTest>) -> Truth {
        let admitted = filter.admits(members, row, tests)
        if admitted == .no { return .no }
        var low = plus, high = plus
        for term in terms { term.add(members[row &+ term.slot], low: &low, high: &high) }
        return admitted && bound.test(low: low, high: high)
    }
}

/// A `meanOfMembers` check whose filter tests answers of the member.
private struct SweptMean: Sendable {
    var filter: SweptFilter
    var slot: Int
    /// What a missing answer could be.
    var low: Int64
    var high: Int64
    var bound: Bound

    func answer(_ members: UnsafeBufferPointer<Int64>, _ people: Int, _ stride: Int, _ tests: UnsafeBufferPointer<AnswerTest>) -> Truth {
        var count: Int64 = 0, low: Int64 = 0, high: Int64 = 0, eligibility = Truth.yes
        for person in 0..<people {
            let row = person &* stride
            switch filter.admits(members, row, tests) {
            case .no: continue
            case .unknown: eligibility = .unknown
            case .yes:
                count += 1
                let value = members[row &+ slot]
                if value == HouseholdFacts.missing { low += self.low; high += self.high } else { low += value; high += value }
            }
        }
        if eligibility == .unknown { return .unknown }
        if count == 0 { return .no }
        return bound.test(low: low, high: high, per: count)
    }
}

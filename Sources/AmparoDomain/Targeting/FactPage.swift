/// The facts of many households, side by side in flat arrays in the order they were read:
/// what a whole-registry run scores, a page at a time.
///
/// Households each holding their own arrays lie scattered over the heap, and at a million
/// households the processor spends more time waiting for them than scoring. A page keeps
/// them in three contiguous arrays, read front to back, and is reused from page to page.
public struct FactPage: Sendable {
    public let householdStride: Int
    public let memberStride: Int
    private var answers: [Int64] = []
    private var memberAnswers: [Int64] = []
    /// Where each household's members start, counted in members; one entry more than households.
    private var memberStarts: [Int] = [0]
    private var areaPaths: [String] = []

    public init(layout: FactLayout) {
        householdStride = layout.householdFields.count
        memberStride = layout.memberFields.count
    }

    /// How many households the page holds.
    public var count: Int { areaPaths.count }

    /// How many members household `index` has.
    public func memberCount(of index: Int) -> Int { memberStarts[index + 1] - memberStarts[index] }

    /// Empties the page, keeping its memory for the next.
    public mutating func removeAll() {
        answers.removeAll(keepingCapacity: true)
        memberAnswers.removeAll(keepingCapacity: true)
        memberStarts.removeAll(keepingCapacity: true)
        memberStarts.append(0)
        areaPaths.removeAll(keepingCapacity: true)
    }

    /// Adds a household, every answer missing and no members yet; its answers and members
    /// are set next, before another household is added.
    public mutating func appendHousehold(areaPath: String) {
        areaPaths.append(areaPath)
        answers.append(contentsOf: repeatElement(HouseholdFacts.missing, count: householdStride))
        memberStarts.append(memberStarts[memberStarts.count - 1])
    }

    /// Sets an answer of the last household added.
    @inline(__always)
    public mutating func setAnswer(_ slot: Int, _ value: Int64) {
        answers[answers.count - householdStride + slot] = value
    }

    /// Adds a member to the last household added, every answer missing.
    public mutating func appendMember() {
        memberAnswers.append(contentsOf: repeatElement(HouseholdFacts.missing, count: memberStride))
        memberStarts[memberStarts.count - 1] += 1
    }

    /// Sets an answer of the last member added.
    @inline(__always)
    public mutating func setMemberAnswer(_ slot: Int, _ value: Int64) {
        memberAnswers[memberAnswers.count - memberStride + slot] = value
    }

    /// Adds a household whose facts are already gathered.
    public mutating func append(_ facts: HouseholdFacts) {
        appendHousehold(areaPath: facts.areaPath)
        for slot in 0..<householdStride { setAnswer(slot, facts.household[slot]) }
        for person in 0..<facts.memberCount {
            appendMember()
            for slot in 0..<memberStride { setMemberAnswer(slot, facts.member(person, slot)) }
        }
    }

    /// Copies household `index` into `facts`, which must be of the same layout.
    public func load(_ index: Int, into facts: inout HouseholdFacts) {
        let people = memberCount(of: index)
        // Every answer is written over, so none is cleared first.
        facts.resize(memberCount: people)
        facts.areaPath = areaPaths[index]
        let first = index * householdStride
        answers.withUnsafeBufferPointer { from in
            facts.household.withUnsafeMutableBufferPointer { to in
                to.baseAddress!.update(from: from.baseAddress! + first, count: householdStride)
            }
        }
        let start = memberStarts[index] * memberStride, size = people * memberStride
        memberAnswers.withUnsafeBufferPointer { from in
            facts.members.withUnsafeMutableBufferPointer { to in
                to.baseAddress!.update(from: from.baseAddress! + start, count: size)
            }
        }
    }
}

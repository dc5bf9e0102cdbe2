/// Which answers a compiled policy reads, and where each sits in `HouseholdFacts`.
///
/// Codes are held as their position in the field's list, numbers as whole numbers (money
/// in hundredths), and a person's age at the reference date in place of the birth date,
/// so that scoring a household touches a few flat arrays of integers and nothing else.
public struct FactLayout: Sendable, Hashable {
    /// The household answers read, in slot order.
    public private(set) var householdFields: [Questionnaire.Field] = []
    /// The person answers read, in slot order; slot 0 is always `age`, from `birth_date`.
    public private(set) var memberFields: [Questionnaire.Field] = [FactLayout.age]
    /// Open codes (such as ethnicity) a policy names, numbered per field, so that they can be
    /// compared as integers too; any other value is `FactLayout.otherCode`.
    private var openCodes: [String: [String: Int64]] = [:]

    /// A layout that reads no answer but the members' ages.
    public init() {}

    /// The pseudo-field a policy reads for a person's age in whole years at the reference date.
    public static let age = Questionnaire.Field("age", .integer(min: 0, max: 150))
    /// An open code that no policy names.
    public static let otherCode: Int64 = -1

    /// The columns to read for the members: `birth_date` stands for `age`.
    public var memberColumns: [String] { memberFields.map { $0 == FactLayout.age ? "birth_date" : $0.name } }

    mutating func householdSlot(_ field: Questionnaire.Field) -> Int {
        if let slot = householdFields.firstIndex(of: field) { return slot }
        householdFields.append(field)
        return householdFields.count - 1
    }

    mutating func memberSlot(_ field: Questionnaire.Field) -> Int {
        if let slot = memberFields.firstIndex(of: field) { return slot }
        memberFields.append(field)
        return memberFields.count - 1
    }

    /// The integer a code is held as, numbering open codes as policies name them.
    mutating func code(_ code: String, of field: Questionnaire.Field) -> Int64? {
        switch field.kind {
        case .code(let codes):
            return codes.firstIndex(of: code).map(Int64.init)
        case .openCode:
            if let number = openCodes[field.name]?[code] { return number }
            let number = Int64(openCodes[field.name, default: [:]].count)
            openCodes[field.name, default: [:]][code] = number
            return number
        default:
            return nil
        }
    }

    /// An answer as a fact: nil (not known) becomes `HouseholdFacts.missing`.
    public func fact(_ answer: Answer?, of field: Questionnaire.Field, referenceDate: CalendarDate) -> Int64 {
        guard let answer else { return HouseholdFacts.missing }
        switch (field.kind, answer) {
        case (.code(let codes), .text(let text)):
            return codes.firstIndex(of: text).map(Int64.init) ?? HouseholdFacts.missing
        case (.openCode, .text(let text)):
            return openCodes[field.name]?[text] ?? FactLayout.otherCode
        case (_, .integer(let value)):
            return value
        case (.latitude, .real(let degrees)), (.longitude, .real(let degrees)):
            // Millionths of a degree: about 10 cm, and a whole number as every fact is.
            return Int64((degrees * 1_000_000).rounded())
        case (_, .money(let hundredths)):
            return hundredths
        case (_, .date(let date)) where field == FactLayout.age:
            let years = date.years(until: referenceDate)
            // Someone born after the reference date was not yet a member then.
            return years >= 0 ? Int64(years) : HouseholdFacts.missing
        default:
            return HouseholdFacts.missing
        }
    }

    /// The open code a number stands for, or `other` for codes no policy names.
    func openCodeName(_ number: Int64, of field: Questionnaire.Field) -> String {
        openCodes[field.name]?.first { $0.value == number }?.key ?? "other"
    }

    /// The range an answer can take, which bounds a condition over an answer not known.
    static func range(of field: Questionnaire.Field) -> (low: Int64, high: Int64) {
        switch field.kind {
        case .integer(let min, let max): (min, max)
        case .flag: (0, 1)
        case .money: (0, 1_000_000_000_000)
        default: (HouseholdFacts.missing, HouseholdFacts.missing)
        }
    }
}

/// What a policy reads of one household at the reference date: its answers and those of
/// its members, as integers in the slots of a `FactLayout`.
///
/// One value is reused from household to household, so a whole-registry run allocates
/// nothing per household.
public struct HouseholdFacts: Sendable {
    /// An answer not known.
    public static let missing = Int64.min

    public var household: [Int64]
    /// Row-major: member `m`'s slot `s` is at `m * memberStride + s`; past `memberCount` members
    /// it may hold room left from a larger household.
    public var members: [Int64]
    public let memberStride: Int
    public private(set) var memberCount = 0
    /// The household's area path, e.g. `/AM/11/11101/`, for conditions on areas.
    public var areaPath = ""
    /// The classes other policies gave this household, for compositions; set by the engine.
    var policyClasses: [Int] = []

    public init(layout: FactLayout) {
        household = Array(repeating: HouseholdFacts.missing, count: layout.householdFields.count)
        memberStride = layout.memberFields.count
        members = []
        members.reserveCapacity(16 * memberStride)
    }

    /// Forgets the previous household and makes room for `count` members, all answers missing.
    public mutating func reset(memberCount count: Int) {
        for slot in household.indices { household[slot] = HouseholdFacts.missing }
        memberCount = count
        let size = count * memberStride
        if members.count > size { members.removeLast(members.count - size) }
        for index in members.indices { members[index] = HouseholdFacts.missing }
        if members.count < size { members.append(contentsOf: repeatElement(HouseholdFacts.missing, count: size - members.count)) }
        areaPath = ""
    }

    /// Makes room for `count` members, leaving answers as they were: for a caller that sets
    /// every answer of the household and of its members. `members` keeps the room of the
    /// largest household seen, past `memberCount`.
    mutating func resize(memberCount count: Int) {
        memberCount = count
        let size = count * memberStride
        if members.count < size { members.append(contentsOf: repeatElement(HouseholdFacts.missing, count: size - members.count)) }
    }

    @inline(__always)
    public func member(_ member: Int, _ slot: Int) -> Int64 { members[member &* memberStride &+ slot] }

    @inline(__always)
    public mutating func setMember(_ member: Int, _ slot: Int, _ value: Int64) { members[member &* memberStride &+ slot] = value }
}

extension HouseholdFacts {
    /// Fills the facts from a household's answers and those of the members present at the
    /// reference date: the slow road, for one household at a time (an explanation, a test).
    public mutating func load(layout: FactLayout, household: AnswerSheet, members: [AnswerSheet],
                              areaPath: String, referenceDate: CalendarDate) {
        reset(memberCount: members.count)
        self.areaPath = areaPath
        for (slot, field) in layout.householdFields.enumerated() {
            self.household[slot] = layout.fact(household[field.name], of: field, referenceDate: referenceDate)
        }
        for (person, answers) in members.enumerated() {
            for (slot, field) in layout.memberFields.enumerated() {
                let answer = field == FactLayout.age ? answers["birth_date"] : answers[field.name]
                setMember(person, slot, layout.fact(answer, of: field, referenceDate: referenceDate))
            }
        }
    }
}

import Testing
@testable import AmparoDomain

@Suite("The cost of a benefit")
struct BenefitCostTests {
    static let policy = Presets.all["example-pmt@1"]!

    /// Classes A, B, C, D, missing: households and persons of one population.
    static func rows(scope: String, key: String, households: [Double], persons: [Double]) -> [RunReport.Row] {
        func tally(_ counts: [Double]) -> PopulationTally {
            var tally = PopulationTally(policy: policy)
            tally.classes = counts
            return tally
        }
        return [RunReport.Row(scope: scope, key: key, name: key, weighting: .households, tally: tally(households)),
                RunReport.Row(scope: scope, key: key, name: key, weighting: .persons, tally: tally(persons))]
    }

    static let report = RunReport(policy: policy, rows:
        rows(scope: "all", key: "", households: [10, 20, 30, 40, 5], persons: [50, 80, 100, 120, 9])
        + rows(scope: "area", key: "11", households: [4, 6, 0, 10, 1], persons: [20, 25, 0, 30, 2]))

    @Test("per household or per person, for the classes chosen, exact in hundredths")
    func costs() throws {
        let first = try BenefitCost(report: Self.report, amount: 15_000_050, recipient: .household, classes: [])
        #expect(first.classes == ["A"])
        #expect(first.lines.map(\.households) == [10, 4] && first.lines.map(\.persons) == [50, 20])
        #expect(first.lines[0].cost == 10 * 15_000_050)
        let two = try BenefitCost(report: Self.report, amount: 100, recipient: .person, classes: ["A", "B"])
        let expected: [Int64] = [13_000, 4_500]  // (50 + 80) × 100 and (20 + 25) × 100
        #expect(two.lines.map(\.cost) == expected)
        #expect(two.lines.map(\.scope) == ["all", "area"])
    }

    @Test("an unknown class, a zero amount and an overflowing cost are refused")
    func refused() {
        #expect(throws: BenefitCost.Problem.unknownClass("Z", known: ["A", "B", "C", "D", "missing"])) {
            try BenefitCost(report: Self.report, amount: 100, recipient: .household, classes: ["Z"])
        }
        #expect(throws: BenefitCost.Problem.amount) { try BenefitCost(report: Self.report, amount: 0, recipient: .household, classes: []) }
        #expect(throws: BenefitCost.Problem.tooLarge) {
            try BenefitCost(report: Self.report, amount: Int64.max / 2, recipient: .person, classes: ["D"])
        }
    }
}

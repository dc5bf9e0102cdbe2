import Testing
@testable import AmparoDomain

@Suite("Alkire–Foster on a table: the worked example of Alkire and Foster (2011)")
struct SurveyMPITests {
    // Achievements y and cut-offs z from the paper; deprived when y < z; equal weights.
    let header = ["income", "schooling", "bmi_class", "insured"]
    let rows = [["13.1", "14", "4", "1"], ["15.2", "7", "5", "0"], ["12.5", "10", "1", "0"], ["20", "11", "3", "1"]]

    func run(k: Fraction) throws -> MPIFigures {
        let indicators = zip(header, ["13", "12", "3", "1"]).map {
            SurveyMPI.Indicator(column: $0, cutoff: Fraction(parsing: $1), weight: Fraction(1, 4))
        }
        let survey = try SurveyMPI(indicators: indicators, k: k)
        var accumulator = try SurveyMPI.Accumulator(survey: survey, header: header)
        for (line, row) in rows.enumerated() { try accumulator.add(row, line: line + 2) }
        return accumulator.result.whole.figures(weights: indicators.map(\.weight), denominator: survey.denominator)
    }

    @Test func atTwoOfFour() throws {
        let figures = try run(k: Fraction(2, 4))
        #expect(figures.headcountRatio == 0.5)
        #expect(figures.intensity == 0.75)
        #expect(figures.adjustedHeadcountRatio == 0.375)
        #expect(figures.censoredHeadcounts == [0.25, 0.5, 0.25, 0.5])
        let contributions = figures.contributions
        for (value, expected) in zip(contributions, [1.0 / 6, 1.0 / 3, 1.0 / 6, 1.0 / 3]) {
            #expect(abs(value - expected) < 1e-12)
        }
        #expect(abs(contributions.reduce(0, +) - 1) < 1e-12)
        #expect(figures.uncensoredHeadcounts == [0.25, 0.75, 0.25, 0.5])  // person 4 is deprived in schooling but not poor
    }

    @Test func atOneAndThree() throws {
        let one = try run(k: Fraction(1, 4))
        #expect(one.headcountRatio == 0.75)
        #expect(abs(one.intensity - 0.583333333333) < 1e-9)
        #expect(one.adjustedHeadcountRatio == 0.4375)
        let three = try run(k: Fraction(3, 4))
        #expect(three.headcountRatio == 0.25)
        #expect(three.intensity == 1)
        #expect(three.adjustedHeadcountRatio == 0.25)
    }

    @Test func groupsAddUpToTheWholeWithSamplingWeights() throws {
        let indicators = try ["a::1/2", "b::1/4", "c::1/4"].map { argument throws(PolicyError) in try SurveyMPI.Indicator(argument: argument) }
        let survey = try SurveyMPI(indicators: indicators, k: Fraction(1, 2), weightColumn: "w", groupColumn: "g")
        var accumulator = try SurveyMPI.Accumulator(survey: survey, header: ["g", "w", "a", "b", "c"])
        let table = [["north", "1.5", "1", "0", "0"], ["north", "2", "0", "1", "1"], ["south", "0.5", "0", "1", "0"],
                     ["south", "3", "1", "1", "1"], ["south", "1", "", "1", "1"]]
        for (line, row) in table.enumerated() { try accumulator.add(row, line: line + 2) }
        let result = accumulator.result
        var merged = MPITally(indicatorCount: 3)
        for tally in result.groups.values { merged.merge(tally) }
        #expect(merged == result.whole)
        #expect(result.whole.missing == 1)
        let whole = result.whole.figures(weights: indicators.map(\.weight), denominator: survey.denominator)
        let parts = result.groups.values.map { ($0.population, $0.figures(weights: indicators.map(\.weight), denominator: survey.denominator)) }
        let recomposed = parts.reduce(0.0) { $0 + $1.0 / result.whole.population * $1.1.adjustedHeadcountRatio }
        #expect(abs(recomposed - whole.adjustedHeadcountRatio) < 1e-12)
        // Poor: north 1.5 (score 1/2), north 2 (1/2), south 3 (1); not poor: south 0.5 (1/4).
        #expect(whole.headcountRatio == 6.5 / 7)
    }

    @Test func refusesWeightsThatDoNotAddUpAndKOutOfRange() throws {
        let indicators = [SurveyMPI.Indicator(column: "a", cutoff: nil, weight: Fraction(1, 2)),
                          SurveyMPI.Indicator(column: "b", cutoff: nil, weight: Fraction(1, 3))]
        #expect(throws: PolicyError.self) { try SurveyMPI(indicators: indicators, k: Fraction(1, 2)) }
        let whole = [SurveyMPI.Indicator(column: "a", cutoff: nil, weight: .one)]
        #expect(throws: PolicyError.self) { try SurveyMPI(indicators: whole, k: .zero) }
        #expect(throws: PolicyError.self) { try SurveyMPI(indicators: whole, k: Fraction(11, 10)) }
        let survey = try SurveyMPI(indicators: whole, k: .one)
        var accumulator = try SurveyMPI.Accumulator(survey: survey, header: ["a"])
        #expect(throws: SurveyMPI.CellError.self) { try accumulator.add(["yes"], line: 7) }
        #expect(throws: PolicyError.self) { try SurveyMPI.Accumulator(survey: survey, header: ["b"]) }
    }
}

@Suite("Exact fractions for weights and scores")
struct FractionTests {
    @Test func weightsAddUpExactly() throws {
        let parts = ["0.1", "0.1", "0.05", "0.04", "0.04"].compactMap(Fraction.init(parsing:))
        #expect(parts.count == 5)
        #expect(parts.reduce(.zero, +) == Fraction(33, 100))
        let floating: [Double] = [0.1, 0.1, 0.05, 0.04, 0.04]
        #expect(floating.reduce(0, +) < 0.33)  // what binary floating point would do
        #expect(Fraction(parsing: "1/18")! * Fraction(6) == Fraction(1, 3))
        #expect(Fraction(parsing: "-1.5") == Fraction(-3, 2))
        #expect(Fraction(parsing: ".5") == Fraction(1, 2))
        for bad in ["", "1/0", "abc", "1.", "1.2.3", "0x10", "1e3", "--1"] { #expect(Fraction(parsing: bad) == nil, "\(bad)") }
        #expect(Fraction(2, 3).decimal(places: 4) == "0.6667")
        #expect(Fraction(-1, 8).decimal(places: 2) == "-0.13")
    }
}

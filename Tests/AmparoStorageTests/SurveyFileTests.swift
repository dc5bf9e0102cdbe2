import Foundation
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

@Suite("The survey MPI over a CSV file")
struct SurveyFileTests {
    @Test func theWorkedExampleFromAFileAndAPolicy() throws {
        let folder = try ExchangeFolder()
        defer { folder.delete() }
        try folder.write("y.csv", "income,schooling,bmi,insured\r\n13.1,14,4,1\r\n15.2,7,5,0\r\n12.5,10,1,0\r\n20,11,3,1\r\n")
        let survey = try SurveyMPI.read(Array("""
            {"k": "2/4", "indicators": [
              {"column": "income", "cutoff": 13, "weight": "1/4"}, {"column": "schooling", "cutoff": 12, "weight": "1/4"},
              {"column": "bmi", "cutoff": 3, "weight": "0.25"}, {"column": "insured", "cutoff": "1", "weight": "1/4"}]}
            """.utf8))
        let result = try SurveyFile(path: folder.path + "/y.csv").measure(survey)
        let figures = result.whole.figures(weights: survey.indicators.map(\.weight), denominator: survey.denominator)
        #expect(figures.headcountRatio == 0.5)
        #expect(figures.adjustedHeadcountRatio == 0.375)
        let report = MPIReport(indicators: survey.indicators.map(\.column),
                               rows: [MPIReport.Row(scope: "all", key: "", name: "all", weighting: "rows", figures: figures)])
        let csv = String(decoding: report.csv(), as: UTF8.self).split(separator: "\r\n")
        #expect(csv[1].hasPrefix("all,,all,rows,4,2,0,0.5,0.75,0.375,0.25,0.75,0.25,0.5,0.25,0.5,0.25,0.5,0.166667,0.333333"))
    }

    @Test func badCellsAndMissingColumnsSayWhere() throws {
        let folder = try ExchangeFolder()
        defer { folder.delete() }
        try folder.write("y.csv", "a,b\n1,0\n0,x\n")
        let survey = try SurveyMPI(indicators: [.init(column: "a", cutoff: nil, weight: Fraction(1, 2)),
                                                .init(column: "b", cutoff: nil, weight: Fraction(1, 2))], k: .one)
        let cell = #expect(throws: SurveyFile.Problem.self) { try SurveyFile(path: folder.path + "/y.csv").measure(survey) }
        #expect(cell?.description == "y.csv:3 column b \"x\": a deprivation column holds 0 or 1")
        try folder.write("z.csv", "a,c\n1,0\n")
        let column = #expect(throws: SurveyFile.Problem.self) { try SurveyFile(path: folder.path + "/z.csv").measure(survey) }
        #expect(column?.description.hasPrefix("z.csv:1: the file has no column \"b\"") == true)
        try folder.write("e.csv", "")
        #expect(throws: SurveyFile.Problem.self) { try SurveyFile(path: folder.path + "/e.csv").measure(survey) }
    }
}

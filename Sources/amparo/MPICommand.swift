import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct MPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mpi",
        abstract: "Compute a multidimensional poverty index (Alkire–Foster) over any CSV file, such as survey microdata.",
        discussion: """
            Each --indicator names a column, a deprivation cut-off and a weight: a row is deprived \
            when its value is below the cut-off. Leave the cut-off out (COLUMN::WEIGHT) for a column \
            that already holds 1 (deprived) or 0. Weights must add up to exactly 1; write them as \
            0.25 or 1/4. A row with an empty indicator cell is left out and counted as missing.

            Example (Alkire and Foster's own): amparo mpi y.csv --indicator income:13:1/4 \
            --indicator schooling:12:1/4 --indicator bmi:3:1/4 --indicator insured:1:1/4 --k 2/4
            """)

    @Argument(help: "The CSV file, a header row then a row per unit (household or person).") var file: String
    @Option(name: .customLong("indicator"), help: "COLUMN:CUTOFF:WEIGHT, or COLUMN::WEIGHT for a 0/1 column. Repeat for each.")
    var indicators: [String] = []
    @Option(help: "The poverty cut-off k, in (0, 1], e.g. 1/3 or 0.33.") var k: String?
    @Option(name: .customLong("weight-column"), help: "The column of sampling weights.") var weightColumn: String?
    @Option(name: .customLong("group-by"), help: "A column whose values split the figures into groups.") var groupBy: String?
    @Option(help: "A JSON file with k, indicators, weight_column and group_by, instead of the options.") var policy: String?
    @Option(help: "table, csv or json.") var format: ReportFormat = .table

    func run() throws {
        let survey: SurveyMPI
        do {
            if let policy {
                guard let data = FileManager.default.contents(atPath: policy) else {
                    throw ValidationError("\(policy): cannot be read")
                }
                survey = try SurveyMPI.read(data)
            } else {
                guard let k, let cutoff = Fraction(parsing: k) else { throw ValidationError("give --k, e.g. --k 1/3") }
                let parsed = try indicators.map { argument throws(PolicyError) in try SurveyMPI.Indicator(argument: argument) }
                survey = try SurveyMPI(indicators: parsed, k: cutoff, weightColumn: weightColumn, groupColumn: groupBy)
            }
        } catch let error as PolicyError {
            throw ValidationError(error.description)
        }
        let result: SurveyMPI.Result
        do {
            result = try SurveyFile(path: file).measure(survey)
        } catch let problem as SurveyFile.Problem {
            FileHandle.standardError.write(Data((problem.description + "\n").utf8))
            throw ExitCode(2)
        }
        let weights = survey.indicators.map(\.weight)
        let weighting = survey.weightColumn == nil ? "rows" : "weighted"
        var rows = [MPIReport.Row(scope: "all", key: "", name: "all", weighting: weighting,
                                  figures: result.whole.figures(weights: weights, denominator: survey.denominator))]
        for (group, tally) in result.groups.sorted(by: { $0.key < $1.key }) {
            rows.append(MPIReport.Row(scope: survey.groupColumn ?? "group", key: group, name: group, weighting: weighting,
                                      figures: tally.figures(weights: weights, denominator: survey.denominator)))
        }
        let report = MPIReport(indicators: survey.indicators.map(\.column), rows: rows)
        ReportFormat.print(report, as: format)
    }
}

/// How a command prints a report.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json

    static func print(_ report: MPIReport, as format: ReportFormat) {
        switch format {
        case .table: Swift.print(report.table())
        case .csv: FileHandle.standardOutput.write(Data(report.csv()))
        case .json: Swift.print(report.json().text)
        }
    }
}

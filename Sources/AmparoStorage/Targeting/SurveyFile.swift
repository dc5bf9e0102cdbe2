import Foundation
import AmparoDomain

/// Reads a survey's microdata (CSV, a row per household or person) through the survey MPI,
/// a megabyte at a time, so a file of any size runs in flat memory.
public struct SurveyFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Why the file could not be used, naming file, line and column where there is one.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public func measure(_ survey: SurveyMPI) throws -> SurveyMPI.Result {
        let file = CSVFile(path: path)
        var accumulator: SurveyMPI.Accumulator?
        try file.forEachRecord({ (record: CSVParser.Record) throws -> Void in
            guard accumulator != nil else {
                do {
                    accumulator = try SurveyMPI.Accumulator(survey: survey, header: record.fields)
                } catch let error as PolicyError {
                    throw Problem(description: "\(file.name):\(record.line): \(error.reason)")
                }
                return
            }
            do {
                try accumulator!.add(record.fields, line: record.line)
            } catch let error as SurveyMPI.CellError {
                throw Problem(description: "\(file.name):\(error.line) column \(error.column) \"\(error.value)\": \(error.reason)")
            }
        }, problem: Problem.init(description:))
        guard let accumulator else { throw Problem(description: "\(file.name): the file is empty; it needs a header row") }
        return accumulator.result
    }
}

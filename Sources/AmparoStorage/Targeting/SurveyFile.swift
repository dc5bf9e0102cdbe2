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
        let file = (path as NSString).lastPathComponent
        guard let input = FileHandle(forReadingAtPath: path) else { throw Problem(description: "\(path): cannot be opened for reading") }
        defer { try? input.close() }
        var parser = CSVParser()
        var accumulator: SurveyMPI.Accumulator?
        func take(_ record: CSVParser.Record) throws {
            if let malformation = record.malformation {
                throw Problem(description: "\(file):\(record.line) column \(malformation.column + 1): \(malformation.reason)")
            }
            if !record.undecodable.isEmpty {
                throw Problem(description: "\(file):\(record.line): not valid UTF-8; save the file as UTF-8")
            }
            guard accumulator != nil else {
                do {
                    accumulator = try SurveyMPI.Accumulator(survey: survey, header: record.fields)
                } catch {
                    throw Problem(description: "\(file):\(record.line): \(error.reason)")
                }
                return
            }
            do {
                try accumulator!.add(record.fields, line: record.line)
            } catch {
                throw Problem(description: "\(file):\(error.line) column \(error.column) \"\(error.value)\": \(error.reason)")
            }
        }
        do {
            while let data = try input.read(upToCount: 1 << 20), !data.isEmpty {
                try data.withUnsafeBytes { bytes in try parser.consume(bytes, take) }
            }
            try parser.finish(take)
        } catch let error as CSVParser.FileError {
            throw Problem(description: "\(file):\(error.line): \(error.reason)")
        }
        guard let accumulator else { throw Problem(description: "\(file): the file is empty; it needs a header row") }
        return accumulator.result
    }
}

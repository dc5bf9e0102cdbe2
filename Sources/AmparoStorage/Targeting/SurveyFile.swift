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

extension SurveyMPI {
    /// Reads a survey MPI definition from JSON:
    /// `{"k": "1/3", "indicators": [{"column": "schooling", "cutoff": "6", "weight": "1/6"}, …],
    ///   "weight_column": "w", "group_by": "region"}`.
    public static func read(_ text: some Collection<UInt8>) throws(PolicyError) -> SurveyMPI {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw PolicyError(.root, "not valid JSON at \(error)") }
        guard case .array(let items)? = json["indicators"] else {
            throw PolicyError(PolicyPath.root, "needs \"indicators\": a list of {column, cutoff, weight}")
        }
        var indicators: [Indicator] = []
        for (index, item) in items.enumerated() {
            guard case .string(let column)? = item["column"] else {
                throw PolicyError(PolicyPath.root, "indicators[\(index)] needs a \"column\"")
            }
            let cutoff: Fraction? = try item["cutoff"].map { value throws(PolicyError) in try Self.fraction(value, "indicators[\(index)].cutoff") }
            guard let weightValue = item["weight"] else { throw PolicyError(PolicyPath.root, "indicators[\(index)] needs a \"weight\"") }
            indicators.append(Indicator(column: column, cutoff: cutoff, weight: try Self.fraction(weightValue, "indicators[\(index)].weight")))
        }
        guard let kValue = json["k"] else { throw PolicyError(PolicyPath.root, "needs the poverty cut-off \"k\"") }
        var weightColumn: String?, groupColumn: String?
        if case .string(let name)? = json["weight_column"] { weightColumn = name }
        if case .string(let name)? = json["group_by"] { groupColumn = name }
        return try SurveyMPI(indicators: indicators, k: try Self.fraction(kValue, "k"), weightColumn: weightColumn, groupColumn: groupColumn)
    }

    private static func fraction(_ value: JSONValue, _ place: String) throws(PolicyError) -> Fraction {
        switch value {
        case .number(let text), .string(let text):
            if let fraction = Fraction(parsing: text) { return fraction }
        default: break
        }
        throw PolicyError(PolicyPath.root, "\(place) must be a number such as 0.25 or a fraction such as \"1/4\"")
    }
}

import Foundation
import AmparoDomain

/// Reads a list of persons (CSV) into a linkage table, a megabyte at a time.
public struct LinkageFile: Sendable {
    public let path: String
    public let mapping: [PersonColumns.Role: String]

    public init(path: String, mapping: [PersonColumns.Role: String]) {
        self.path = path
        self.mapping = mapping
    }

    /// Why the file could not be used, naming file, line and column where there is one.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Appends the file's persons to `table` on `side`; returns how many.
    @discardableResult
    public func read(into table: inout LinkageTable, side: LinkageTable.Side = .left) throws -> Int {
        let file = (path as NSString).lastPathComponent
        guard let input = FileHandle(forReadingAtPath: path) else { throw Problem(description: "\(path): cannot be opened for reading") }
        defer { try? input.close() }
        var parser = CSVParser()
        var columns: PersonColumns?
        var read = 0
        func take(_ record: CSVParser.Record) throws {
            if let malformation = record.malformation {
                throw Problem(description: "\(file):\(record.line) column \(malformation.column + 1): \(malformation.reason)")
            }
            if !record.undecodable.isEmpty {
                throw Problem(description: "\(file):\(record.line): not valid UTF-8; save the file as UTF-8")
            }
            guard let columns else {
                do {
                    columns = try PersonColumns(header: record.fields, mapping: mapping)
                } catch {
                    throw Problem(description: "\(file):\(record.line): \(error.description)")
                }
                return
            }
            let person = columns.record(record.fields)
            guard !person.id.isEmpty else { throw Problem(description: "\(file):\(record.line): the record has no id") }
            table.append(person, side: side)
            read += 1
        }
        do {
            while let data = try input.read(upToCount: 1 << 20), !data.isEmpty {
                try data.withUnsafeBytes { bytes in try parser.consume(bytes, take) }
            }
            try parser.finish(take)
        } catch let error as CSVParser.FileError {
            throw Problem(description: "\(file):\(error.line): \(error.reason)")
        }
        guard columns != nil else { throw Problem(description: "\(file): the file is empty; it needs a header row") }
        return read
    }
}

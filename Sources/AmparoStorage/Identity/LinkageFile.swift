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
        try read { table.append($0, side: side) }
    }

    /// Hands the file's persons to `records` on `side`; returns how many.
    @discardableResult
    public func read(into records: inout LinkageRecordsWriter, side: LinkageTable.Side = .left) throws -> Int {
        try read { try records.append($0, side: side) }
    }

    private func read(_ take: (PersonRecord) throws -> Void) throws -> Int {
        let file = CSVFile(path: path)
        var columns: PersonColumns?
        var read = 0
        try file.forEachCells({ cells in
            guard let columns else {
                let header = cells.record()
                guard header.undecodable.isEmpty else { throw Problem(description: file.undecodable(cells.line)) }
                do {
                    columns = try PersonColumns(header: header.fields, mapping: mapping)
                } catch let error as PersonColumns.Problem {
                    throw Problem(description: "\(file.name):\(cells.line): \(error.description)")
                }
                return
            }
            guard let person = columns.record(cells) else { throw Problem(description: file.undecodable(cells.line)) }
            guard !person.id.isEmpty else { throw Problem(description: "\(file.name):\(cells.line): the record has no id") }
            try take(person)
            read += 1
        }, problem: Problem.init(description:))
        guard columns != nil else { throw Problem(description: "\(file.name): the file is empty; it needs a header row") }
        return read
    }
}

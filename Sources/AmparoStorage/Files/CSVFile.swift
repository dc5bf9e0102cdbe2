import Foundation
import AmparoDomain

/// A CSV file read a megabyte at a time, so that a file of any size is read in flat memory.
/// Every well-formed record, the header first, is handed on with its line; a malformed
/// one stops the reading with a message naming file, line and column.
struct CSVFile {
    let path: String

    var name: String { (path as NSString).lastPathComponent }

    /// Calls `body` with each record; `problem` turns a message into the caller's error.
    func forEachRecord(_ body: (CSVParser.Record) throws -> Void, problem: (String) -> any Error) throws {
        try forEachCells({ cells in
            let record = cells.record()
            if !record.undecodable.isEmpty { throw problem(undecodable(record.line)) }
            try body(record)
        }, problem: problem)
    }

    /// Calls `body` with the cells of each record, as bytes: for readers that want a few
    /// columns of a wide file and need not make text of the others.
    func forEachCells(_ body: (CSVParser.Cells) throws -> Void, problem: (String) -> any Error) throws {
        guard let input = FileHandle(forReadingAtPath: path) else { throw problem("\(path): cannot be opened for reading") }
        defer { try? input.close() }
        var parser = CSVParser()
        func take(_ cells: CSVParser.Cells) throws {
            if let malformation = cells.malformation {
                throw problem("\(name):\(cells.line) column \(malformation.column + 1): \(malformation.message.english)")
            }
            try body(cells)
        }
        do {
            while let data = try input.read(upToCount: 1 << 20), !data.isEmpty {
                try data.withUnsafeBytes { bytes in try parser.consumeCells(bytes, take) }
            }
            try parser.finishCells(take)
        } catch let error as CSVParser.FileError {
            throw problem("\(name):\(error.line): \(error.message.english)")
        }
    }

    func undecodable(_ line: Int) -> String { "\(name):\(line): not valid UTF-8; save the file as UTF-8" }
}

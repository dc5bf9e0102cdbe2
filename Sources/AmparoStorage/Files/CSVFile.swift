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
        guard let input = FileHandle(forReadingAtPath: path) else { throw problem("\(path): cannot be opened for reading") }
        defer { try? input.close() }
        var parser = CSVParser()
        func take(_ record: CSVParser.Record) throws {
            if let malformation = record.malformation {
                throw problem("\(name):\(record.line) column \(malformation.column + 1): \(malformation.message.english)")
            }
            if !record.undecodable.isEmpty { throw problem("\(name):\(record.line): not valid UTF-8; save the file as UTF-8") }
            try body(record)
        }
        do {
            while let data = try input.read(upToCount: 1 << 20), !data.isEmpty {
                try data.withUnsafeBytes { bytes in try parser.consume(bytes, take) }
            }
            try parser.finish(take)
        } catch let error as CSVParser.FileError {
            throw problem("\(name):\(error.line): \(error.message.english)")
        }
    }
}

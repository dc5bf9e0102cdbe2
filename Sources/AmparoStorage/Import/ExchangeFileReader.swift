import Foundation
import AmparoDomain

/// Reads one file of the exchange format in chunks of a megabyte and hands over its records
/// a chunk at a time, after the header has been read and checked.
struct ExchangeFileReader {
    let path: String
    let file: String
    let stage: ImportProgress.Stage
    let progress: @Sendable (ImportProgress) -> Void
    var chunkSize = 1 << 20

    func read(
        layout makeLayout: ([String]) throws -> ColumnLayout,
        _ handle: ([CSVParser.Record], ColumnLayout) async throws -> Void
    ) async throws {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(file: file, reason: "cannot be opened for reading")
        }
        defer { try? input.close() }
        let total = Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0)
        var parser = CSVParser()
        var layout: ColumnLayout?
        var records: [CSVParser.Record] = []
        var done: Int64 = 0

        func take(_ record: CSVParser.Record) throws {
            if layout != nil {
                records.append(record)
                return
            }
            if !record.undecodable.isEmpty {
                throw ImportError.file(ExchangeFileError(file: file, line: record.line, message: .headerNotUTF8))
            }
            do {
                layout = try makeLayout(record.fields)
            } catch let error as ExchangeFileError {
                throw ImportError.file(error)
            }
        }

        while true {
            let data: Data?
            do {
                data = try input.read(upToCount: chunkSize)
            } catch {
                throw ImportError.unreadable(file: file, reason: "reading failed: \(error.localizedDescription)")
            }
            guard let data, !data.isEmpty else { break }
            do {
                try data.withUnsafeBytes { bytes in try parser.consume(bytes, take) }
            } catch let error as CSVParser.FileError {
                throw ImportError.file(ExchangeFileError(file: file, line: error.line, message: error.message))
            }
            done += Int64(data.count)
            if let layout, !records.isEmpty {
                try await handle(records, layout)
                records.removeAll(keepingCapacity: true)
            }
            progress(ImportProgress(stage: stage, file: file, done: done, total: total))
        }
        do {
            try parser.finish(take)
        } catch let error as CSVParser.FileError {
            throw ImportError.file(ExchangeFileError(file: file, line: error.line, message: error.message))
        }
        guard let layout else {
            throw ImportError.file(ExchangeFileError(file: file, line: 1, message: .emptyFile))
        }
        if !records.isEmpty { try await handle(records, layout) }
    }
}

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

    /// Hands over the records a chunk at a time, with the layout the header gave.
    func read(
        layout makeLayout: ([String]) throws -> ColumnLayout,
        _ handle: ([CSVParser.Record], ColumnLayout) async throws -> Void
    ) async throws {
        var records: [CSVParser.Record] = []
        try await feed(layout: makeLayout, { cells, _ in records.append(cells.record()) }) { layout in
            guard !records.isEmpty else { return }
            try await handle(records, layout)
            records.removeAll(keepingCapacity: true)
        }
    }

    /// Hands over each record's cells as bytes, as soon as it is read, with the layout the
    /// header gave: for readers that need no text for most records.
    func readCells(
        layout makeLayout: ([String]) throws -> ColumnLayout,
        _ handle: (CSVParser.Cells, ColumnLayout) throws -> Void
    ) async throws {
        try await feed(layout: makeLayout, handle) { _ in }
    }

    /// Hands over each record's cells as `readCells` does, and after each chunk of the file
    /// lets `afterChunk` do what must wait (write what the records made).
    func readCells(
        layout makeLayout: ([String]) throws -> ColumnLayout,
        _ handle: (CSVParser.Cells, ColumnLayout) throws -> Void,
        afterChunk: (ColumnLayout) async throws -> Void
    ) async throws {
        try await feed(layout: makeLayout, handle, afterChunk: afterChunk)
    }

    private func feed(
        layout makeLayout: ([String]) throws -> ColumnLayout,
        _ take: (CSVParser.Cells, ColumnLayout) throws -> Void,
        afterChunk: (ColumnLayout) async throws -> Void
    ) async throws {
        guard let input = FileHandle(forReadingAtPath: path) else {
            throw ImportError.unreadable(file: file, reason: "cannot be opened for reading")
        }
        defer { try? input.close() }
        let total = Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0)
        var parser = CSVParser()
        var layout: ColumnLayout?
        var done: Int64 = 0

        func cells(_ cells: CSVParser.Cells) throws {
            if let layout {
                try take(cells, layout)
                return
            }
            let header = cells.record()
            if !header.undecodable.isEmpty {
                throw ImportError.file(ExchangeFileError(file: file, line: header.line, message: .headerNotUTF8))
            }
            do {
                layout = try makeLayout(header.fields)
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
                try data.withUnsafeBytes { bytes in
                    // Once the header is read, each record goes straight to `take` with the
                    // layout as it stands, rather than through `cells`, which counts a
                    // reference to the layout it captures for every record.
                    if let layout {
                        try parser.consumeCells(bytes) { try take($0, layout) }
                    } else {
                        try parser.consumeCells(bytes, cells)
                    }
                }
            } catch let error as CSVParser.FileError {
                throw ImportError.file(ExchangeFileError(file: file, line: error.line, message: error.message))
            }
            done += Int64(data.count)
            if let layout { try await afterChunk(layout) }
            progress(ImportProgress(stage: stage, file: file, done: done, total: total))
        }
        do {
            try parser.finishCells(cells)
        } catch let error as CSVParser.FileError {
            throw ImportError.file(ExchangeFileError(file: file, line: error.line, message: error.message))
        }
        guard let layout else {
            throw ImportError.file(ExchangeFileError(file: file, line: 1, message: .emptyFile))
        }
        try await afterChunk(layout)
    }
}

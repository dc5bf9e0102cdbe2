import AmparoDomain

/// The rows of one piece of a file (a megabyte), each reduced to what the checks across
/// rows need: its line, its ref and the ref it points to (an area, or a household), with
/// their fingerprints; or the problems that refused it on its own.
struct ScreenedPiece: Sendable {
    struct Row: Sendable {
        var line: Int
        var ref: UInt64
        var parent: UInt64
        /// Where the ref's bytes, then the parent's, lie among `bytes`.
        var start: Int32
        var refLength: Int32
        var parentLength: Int32
        /// Which of `refusals` refused the row; -1 when it passed.
        var refusal: Int32
    }

    var rows: [Row] = []
    var bytes: [UInt8] = []
    var refusals: [[RowProblem]] = []

    mutating func pass(line: Int, ref: UnsafeBufferPointer<UInt8>, parent: UnsafeBufferPointer<UInt8>) {
        rows.append(Row(line: line, ref: RefIndex.fingerprint(bytes: ref), parent: RefIndex.fingerprint(bytes: parent),
                        start: Int32(bytes.count), refLength: Int32(ref.count), parentLength: Int32(parent.count),
                        refusal: -1))
        bytes.append(contentsOf: ref)
        bytes.append(contentsOf: parent)
    }

    mutating func pass(line: Int, ref: String, parent: String) {
        var (ref, parent) = (ref, parent)
        ref.withUTF8 { ref in parent.withUTF8 { pass(line: line, ref: ref, parent: $0) } }
    }

    mutating func refuse(line: Int, _ problems: [RowProblem]) {
        rows.append(Row(line: line, ref: 0, parent: 0, start: 0, refLength: 0, parentLength: 0, refusal: Int32(refusals.count)))
        refusals.append(problems)
    }

    /// Hands over the row's ref and parent bytes, valid during the call.
    func withRefs<T>(of row: Row, _ body: (_ ref: UnsafeBufferPointer<UInt8>, _ parent: UnsafeBufferPointer<UInt8>) -> T) -> T {
        bytes.withUnsafeBufferPointer { bytes in
            let start = Int(row.start), middle = Int(row.start + row.refLength)
            return body(UnsafeBufferPointer(rebasing: bytes[start..<middle]),
                        UnsafeBufferPointer(rebasing: bytes[middle..<middle + Int(row.parentLength)]))
        }
    }
}

/// The first half of checking households.csv or individuals.csv: parsing each row and
/// checking it on its own, on a task of its own, a piece of the file ahead of the second
/// half, which checks the rows against each other and the registry in file order. Parsing
/// and screening are most of a check; with them beside it, the check of a million
/// households no longer keeps one core waiting.
///
/// At most two pieces wait for the second half, so memory stays flat whatever it costs.
struct ScreenedPieces: Sendable {
    let reader: ExchangeFileReader
    let layout: @Sendable ([String]) throws -> ColumnLayout
    let screen: @Sendable (ColumnLayout) -> ExchangeRowScreen
    /// The full reading of a row the screen did not pass: its ref and parent, or its problems.
    let full: @Sendable (CSVParser.Record, ColumnLayout) -> Result<(ref: String, parent: String), RowRefusal>

    /// Hands each piece to `body`, in file order, while the next is being read.
    func forEach(_ body: (ScreenedPiece) -> Void) async throws {
        let (pieces, output) = AsyncThrowingStream<ScreenedPiece, any Error>.makeStream()
        let (room, freed) = AsyncStream<Void>.makeStream()
        freed.yield()
        freed.yield()
        let reading = Task { [reader, layout, screen, full] in
            var room = room.makeAsyncIterator()
            var piece = ScreenedPiece()
            var screening: ExchangeRowScreen?
            do {
                try await reader.readCells(layout: layout, { cells, layout in
                    if screening == nil { screening = screen(layout) }
                    if let passed = screening!.pass(cells) {
                        piece.pass(line: cells.line, ref: passed.ref, parent: passed.parent)
                        return
                    }
                    switch full(cells.record(), layout) {
                    case .success(let row): piece.pass(line: cells.line, ref: row.ref, parent: row.parent)
                    case .failure(let refusal): piece.refuse(line: cells.line, refusal.problems)
                    }
                }, afterChunk: { _ in
                    guard !piece.rows.isEmpty else { return }
                    // Waits until the second half has taken one of the two pieces before.
                    guard await room.next() != nil else { throw CancellationError() }
                    output.yield(piece)
                    piece = ScreenedPiece()
                })
                output.finish()
            } catch {
                output.finish(throwing: error)
            }
        }
        // However the loop ends, the reading task ends before this returns.
        func stopReading() async {
            freed.finish()
            reading.cancel()
            _ = await reading.result
        }
        do {
            for try await piece in pieces {
                body(piece)
                freed.yield()
            }
        } catch {
            await stopReading()
            throw error
        }
        await stopReading()
    }
}

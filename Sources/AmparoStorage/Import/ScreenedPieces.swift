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

/// The first two stages of checking households.csv or individuals.csv, each on a task of
/// its own and a piece of the file ahead of the next: parsing the rows, then checking each
/// on its own (the screen, or the full reading); the third, the caller's, checks the rows
/// against each other and the registry in file order. Parsing and screening are most of a
/// check: with all three side by side, checking a million households keeps two cores busy
/// rather than one.
///
/// At most two pieces wait between stages, so memory stays flat whatever each costs.
struct ScreenedPieces: Sendable {
    let reader: ExchangeFileReader
    let layout: @Sendable ([String]) throws -> ColumnLayout
    let screen: @Sendable (ColumnLayout) -> ExchangeRowScreen
    /// The full reading of a row the screen did not pass: its ref and parent, or its problems.
    let full: @Sendable (CSVParser.Record, ColumnLayout) -> Result<(ref: String, parent: String), RowRefusal>

    /// Hands each piece to `body`, in file order, while the next ones are being read.
    func forEach(_ body: (ScreenedPiece) -> Void) async throws {
        let parsed = PieceHandoff<(CSVParser.KeptRecords, ColumnLayout)>()
        let screened = PieceHandoff<ScreenedPiece>()
        let parsing = Task { [reader, layout] in
            var kept = CSVParser.KeptRecords()
            await parsed.produce { hand in
                try await reader.readCells(layout: layout, { cells, _ in kept.append(cells) }, afterChunk: { layout in
                    guard !kept.isEmpty else { return }
                    try await hand((kept, layout))
                    kept = CSVParser.KeptRecords()
                })
            }
        }
        let screening = Task { [screen, full] in
            var screening: ExchangeRowScreen?
            await screened.produce { hand in
                for try await (records, layout) in parsed.pieces {
                    if screening == nil { screening = screen(layout) }
                    let screen = screening!
                    var piece = ScreenedPiece()
                    records.forEach { cells in
                        if let passed = screen.pass(cells) {
                            piece.pass(line: cells.line, ref: passed.ref, parent: passed.parent)
                            return
                        }
                        switch full(cells.record(), layout) {
                        case .success(let row): piece.pass(line: cells.line, ref: row.ref, parent: row.parent)
                        case .failure(let refusal): piece.refuse(line: cells.line, refusal.problems)
                        }
                    }
                    parsed.taken()
                    try await hand(piece)
                }
            }
        }
        // However the loop ends, the other stages end before this returns.
        func stop() async {
            parsed.close()
            screened.close()
            parsing.cancel()
            screening.cancel()
            _ = await parsing.result
            _ = await screening.result
        }
        do {
            for try await piece in screened.pieces {
                body(piece)
                screened.taken()
            }
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}

/// Pieces handed from one stage to the next, at most two waiting: the producer waits for
/// room before it hands over another.
struct PieceHandoff<Piece: Sendable>: Sendable {
    let pieces: AsyncThrowingStream<Piece, any Error>
    private let output: AsyncThrowingStream<Piece, any Error>.Continuation
    private let room: AsyncStream<Void>
    private let freed: AsyncStream<Void>.Continuation

    init(waiting: Int = 2) {
        (pieces, output) = AsyncThrowingStream<Piece, any Error>.makeStream()
        (room, freed) = AsyncStream<Void>.makeStream()
        for _ in 0..<waiting { freed.yield() }
    }

    /// Runs the producing `work`, which hands pieces over through its argument, then ends
    /// the pieces, with the error `work` threw if it threw.
    func produce(_ work: (_ hand: (Piece) async throws -> Void) async throws -> Void) async {
        var room = room.makeAsyncIterator()
        do {
            try await work { piece in
                guard await room.next() != nil else { throw CancellationError() }
                output.yield(piece)
            }
            output.finish()
        } catch {
            output.finish(throwing: error)
        }
    }

    /// Says a piece was taken, which makes room for another.
    func taken() { freed.yield() }

    /// Stops the producer waiting for room.
    func close() { freed.finish() }
}

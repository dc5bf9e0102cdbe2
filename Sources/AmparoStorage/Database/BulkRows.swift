import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO
import AmparoDomain

/// A value on its way into a table by a bulk path.
enum BulkValue: Sendable {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
}

/// One value of a buffered row: a number held in place, or where its text lies among the
/// rows' bytes. Sixteen bytes, and nothing for the runtime to count or free.
struct BulkCell: Sendable {
    /// `id` is a record id's canonical text, followed among the bytes by its sixteen bytes for
    /// the roads that take it as itself; every other road reads it as a text.
    enum Kind: UInt8, Sendable { case null, text, id, integer, real }
    var kind: Kind
    /// The length of a text, in bytes.
    var length: Int32 = 0
    /// An integer, the bits of a real, or where a text starts among the bytes.
    var payload: Int64 = 0
}

/// Rows buffered for one table and written in batches by each database's fast road: COPY
/// on PostgreSQL, multi-row inserts of reused shape on SQLite. The caller decides the
/// transaction around a flush.
///
/// Texts are copied into one growing run of bytes rather than kept as a `String` each: at
/// millions of rows, counting the references to those strings on their way in and out and
/// freeing them took a fifth of the time of SQLite's writing thread.
struct BulkRows: Sendable {
    let table: String
    let columns: [String]
    private(set) var cells: [BulkCell] = []
    private(set) var bytes: [UInt8] = []
    private(set) var rows = 0

    /// `bytesPerRow` is what the rows' texts are expected to take, for room made at once
    /// rather than by the copies of growing.
    init(table: String, columns: [String], reservingRows capacity: Int = 4_096, bytesPerRow: Int? = nil) {
        self.table = table
        self.columns = columns
        cells.reserveCapacity(columns.count * capacity)
        bytes.reserveCapacity(capacity * (bytesPerRow ?? columns.count * 8))
    }

    mutating func appendNull() { cells.append(BulkCell(kind: .null)) }

    mutating func appendInteger(_ value: Int64) { cells.append(BulkCell(kind: .integer, payload: value)) }

    mutating func appendReal(_ value: Double) {
        cells.append(BulkCell(kind: .real, payload: Int64(bitPattern: value.bitPattern)))
    }

    mutating func appendText(_ text: UnsafeBufferPointer<UInt8>) {
        cells.append(BulkCell(kind: .text, length: Int32(text.count), payload: Int64(bytes.count)))
        bytes.append(contentsOf: text)
    }

    mutating func appendText(_ text: String) {
        var text = text
        text.withUTF8 { appendText($0) }
    }

    /// A record id: its canonical text, and its bytes after it (see `BulkCell.Kind.id`).
    mutating func appendID(_ id: RecordID) {
        cells.append(BulkCell(kind: .id, length: 36, payload: Int64(bytes.count)))
        id.withTextAndBytes { bytes.append(contentsOf: $0) }
    }

    /// A date as `YYYY-MM-DD`, as the registry stores dates.
    mutating func appendDate(_ date: CalendarDate) {
        appendText { BulkRows.appendISO(date, to: &$0) }
    }

    mutating func appendText(orNull text: String?) {
        if let text { appendText(text) } else { appendNull() }
    }

    /// A text written straight among the rows' bytes by `body`, such as "households.csv
    /// line 12", without a string of its own.
    mutating func appendText(building body: (inout [UInt8]) -> Void) {
        let start = bytes.count
        body(&bytes)
        cells.append(BulkCell(kind: .text, length: Int32(bytes.count - start), payload: Int64(start)))
    }

    /// Writes more of the last value of the last row, a text that `body` goes on with.
    mutating func extendLastText(_ body: (inout [UInt8]) -> Void) {
        let last = cells.count - 1
        precondition(last >= 0 && cells[last].kind == .text && Int(cells[last].payload) + Int(cells[last].length) == bytes.count,
                     "only the text written last can go on")
        body(&bytes)
        cells[last].length = Int32(bytes.count - Int(cells[last].payload))
    }

    mutating func append(_ value: BulkValue) {
        switch value {
        case .null: appendNull()
        case .integer(let number): appendInteger(number)
        case .real(let number): appendReal(number)
        case .text(let text): appendText(text)
        }
    }

    /// An answer as the registry stores it: a date as `YYYY-MM-DD` and money as text, so that
    /// neither is rounded through a float.
    mutating func append(_ answer: Answer?) {
        switch answer {
        case nil: appendNull()
        case .text(let text)?: appendText(text)
        case .integer(let value)?: appendInteger(value)
        case .money?: appendText(answer!.exchangeText)
        case .real(let value)?: appendReal(value)
        case .date(let date)?: appendDate(date)
        }
    }

    /// Writes the values of the last row at `columns` to `out` as the text each has in
    /// PostgreSQL, one after another with `separator` between each two, and nothing for a
    /// NULL: the pieces `concat` makes of the columns stored (see `HouseholdSnapshots`).
    func appendPieces(ofLastRow columns: [Int], separator: UInt8, to out: inout [UInt8]) {
        let first = (rows - 1) * self.columns.count
        // Through a pointer, as a slice of `bytes` would count a reference for every text.
        bytes.withUnsafeBufferPointer { bytes in
            for (index, column) in columns.enumerated() {
                if index > 0 { out.append(separator) }
                let cell = cells[first + column]
                switch cell.kind {
                case .null: break
                case .integer: BulkRows.withDecimal(cell.payload) { out.append(contentsOf: $0) }
                case .real: out.append(contentsOf: Double(bitPattern: UInt64(bitPattern: cell.payload)).description.utf8)
                case .text, .id: out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[Int(cell.payload)..<Int(cell.payload) + Int(cell.length)]))
                }
            }
        }
    }

    /// Ends a row whose values were appended one by one.
    mutating func endRow() {
        rows += 1
        precondition(cells.count == rows * columns.count, "a row of \(table) has the wrong number of values")
    }

    mutating func append(_ row: [BulkValue]) {
        precondition(row.count == columns.count)
        for value in row { append(value) }
        endRow()
    }

    /// Replaces one value of a row already buffered with a whole number.
    mutating func set(row: Int, column: Int, to value: Int64) {
        cells[row * columns.count + column] = BulkCell(kind: .integer, payload: value)
    }

    /// Drops the buffered rows at `indices`. Their texts stay among the bytes, unread.
    mutating func remove(rows indices: Set<Int>) {
        let width = columns.count
        var kept: [BulkCell] = []
        kept.reserveCapacity(cells.count)
        for row in 0..<rows where !indices.contains(row) {
            kept.append(contentsOf: cells[row * width..<(row + 1) * width])
        }
        cells = kept
        rows = kept.count / width
    }

    mutating func flush(to connection: BulkConnection) async throws {
        guard rows > 0 else { return }
        let batch = take()
        switch connection {
        case .postgres(let postgres): try await batch.copy(into: postgres)
        case .sqlite(let sqlite): try await batch.insert(into: sqlite)
        }
    }

    /// Hands over the buffered rows and starts an empty buffer.
    mutating func take() -> BulkBatch {
        let batch = BulkBatch(table: table, columns: columns, cells: cells, bytes: bytes)
        // Not `removeAll(keepingCapacity:)`: the batch shares the storage, so that would
        // allocate a second buffer as large as the first, often never filled.
        cells = []
        bytes = []
        rows = 0
        return batch
    }

    /// Appends `date` as `YYYY-MM-DD`.
    static func appendISO(_ date: CalendarDate, to bytes: inout [UInt8]) {
        appendDigits(date.year, count: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(date.month, count: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(date.day, count: 2, to: &bytes)
    }

    /// Zero-padded digits, for the fields of a date.
    private static func appendDigits(_ value: Int, count: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    /// Hands over the decimal digits of `number`, with a minus when negative, made in place.
    static func withDecimal<T>(_ number: Int64, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits and a sign
        return try withUnsafeMutableBytes(of: &digits) { space in
            var magnitude = number.magnitude
            var at = space.count
            repeat {
                at -= 1
                space[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if number < 0 {
                at -= 1
                space[at] = UInt8(ascii: "-")
            }
            return try body(UnsafeRawBufferPointer(rebasing: space[at...]))
        }
    }
}

/// Rows taken from a buffer, on their way to one table.
struct BulkBatch: Sendable {
    let table: String
    let columns: [String]
    let cells: [BulkCell]
    let bytes: [UInt8]

    /// The insert of `rows` rows, for a statement prepared once and run again and again.
    func insertStatement(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES " + Array(repeating: row, count: rows).joined(separator: ",")
    }

    /// A cell as a value of its own, for the roads that need one.
    func value(_ index: Int) -> BulkValue {
        let cell = cells[index]
        switch cell.kind {
        case .null: return .null
        case .integer: return .integer(cell.payload)
        case .real: return .real(Double(bitPattern: UInt64(bitPattern: cell.payload)))
        case .text, .id:
            let start = Int(cell.payload)
            return .text(String(decoding: bytes[start..<start + Int(cell.length)], as: UTF8.self))
        }
    }

    /// Sends the rows by COPY in pieces of about a quarter of a megabyte, so that PostgreSQL
    /// stores one piece while the next is being written out here, rather than wait for the
    /// whole batch to be encoded. The pieces are in COPY's binary format where every column's
    /// type has one here (see `BinaryColumn`), in its text format otherwise.
    func copy(into connection: PostgresConnection) async throws {
        let width = columns.count
        let rowCount = cells.count / width
        let rowsPerPiece = max(64, (1 << 18) / (16 * width))
        let layout = try await BinaryCopyColumns.of(table: table, columns: columns, on: connection, logger: connection.logger)
        // The binary road names its columns in the table it hands the driver (see `target`).
        try await connection.copyFrom(table: layout == nil ? table : BinaryCopyColumns.target(table: table, columns: columns),
                                      columns: layout == nil ? columns : [], logger: connection.logger) { writer in
            // At least one piece, so that even no rows go with the binary format's header and end.
            var start = 0
            repeat {
                let end = min(rowCount, start + rowsPerPiece)
                let piece = try layout.map { try copyBinary(rows: start..<end, columns: $0, opening: start == 0, closing: end == rowCount) }
                    ?? copyText(rows: start..<end)
                try await writer.write(piece)
                start = end
            } while start < rowCount
        }
    }

    /// The rows in COPY's text format: tab between values, a newline after each row, `\N`
    /// for NULL. Encoding it was a fifth of what an import cost its client, so numbers are
    /// written digit by digit rather than through a `String`, text is scanned for what needs
    /// escaping over its bytes in place, and everything goes through one pointer into room
    /// made beforehand: written cell by cell into the buffer, each write checked its room and
    /// its exclusive access, a twelfth of the client's time while writing people.
    func copyText(rows: Range<Int>? = nil) -> ByteBuffer {
        let width = columns.count
        let rows = rows ?? 0..<(cells.count / width)
        let span = cells[(rows.lowerBound * width)..<(rows.upperBound * width)]
        // The most the rows can take, each value with its separator: a text escaped
        // throughout doubles; a whole number is at most a sign and 19 digits; a real's
        // shortest form is at most 24 characters.
        var room = 0
        for cell in span {
            switch cell.kind {
            case .null: room += 3
            case .integer: room += 21
            case .real: room += 33
            case .text, .id: room += 2 * Int(cell.length) + 1
            }
        }
        var buffer = ByteBufferAllocator().buffer(capacity: room)
        bytes.withUnsafeBufferPointer { bytes in
            _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { out in
                var at = 0, column = 0
                func put(_ piece: UnsafeRawBufferPointer) {
                    guard piece.count > 0 else { return }
                    (out.baseAddress! + at).copyMemory(from: piece.baseAddress!, byteCount: piece.count)
                    at += piece.count
                }
                for cell in span {
                    switch cell.kind {
                    case .null:
                        out[at] = UInt8(ascii: "\\")
                        out[at + 1] = UInt8(ascii: "N")
                        at += 2
                    case .integer:
                        BulkRows.withDecimal(cell.payload) { put($0) }
                    case .real:
                        var text = String(Double(bitPattern: UInt64(bitPattern: cell.payload)))
                        text.withUTF8 { put(UnsafeRawBufferPointer($0)) }
                    case .text, .id:
                        let start = Int(cell.payload)
                        let text = UnsafeBufferPointer(rebasing: bytes[start..<start + Int(cell.length)])
                        if BulkBatch.isPlain(text) {
                            put(UnsafeRawBufferPointer(text))
                        } else {
                            for byte in text {
                                guard BulkBatch.needsEscape(byte) else {
                                    out[at] = byte
                                    at += 1
                                    continue
                                }
                                out[at] = UInt8(ascii: "\\")
                                switch byte {
                                case 9: out[at + 1] = UInt8(ascii: "t")
                                case 10: out[at + 1] = UInt8(ascii: "n")
                                case 13: out[at + 1] = UInt8(ascii: "r")
                                default: out[at + 1] = byte
                                }
                                at += 2
                            }
                        }
                    }
                    column += 1
                    out[at] = column == width ? UInt8(ascii: "\n") : UInt8(ascii: "\t")
                    at += 1
                    if column == width { column = 0 }
                }
                return at
            }
        }
        return buffer
    }

    /// Whether `text` holds nothing COPY escapes, looked at eight bytes at a time: byte by
    /// byte, this look took nearly half of the encoding. A word is passed when none of its bytes is
    /// a backslash and none is below 14 (tab, newline and carriage return are 9, 10 and 13);
    /// the rare text with another byte below 14 goes the byte-by-byte way, which escapes
    /// exactly what must be.
    private static func isPlain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = text.baseAddress else { return true }
        let raw = UnsafeRawPointer(start)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var at = 0
        while at + 8 <= text.count {
            let word = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            // A byte is zero in `backslashes` where it was a backslash; a byte under 14 borrows.
            let backslashes = word ^ (ones &* 0x5C)
            if ((backslashes &- ones) & ~backslashes | (word &- ones &* 14) & ~word) & highs != 0 { return false }
            at += 8
        }
        while at < text.count {
            if needsEscape(text[at]) { return false }
            at += 1
        }
        return true
    }

    /// What COPY's text format escapes with a backslash: the backslash, tab, newline and
    /// carriage return.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 92 || byte == 9 || byte == 10 || byte == 13
    }

    func insert(into connection: SQLiteConnection) async throws {
        let width = columns.count
        // SQLite allows 32,766 parameters per statement.
        let rowsPerStatement = max(1, min(500, 32_000 / width))
        let placeholders = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES "
        let fullSQL = head + Array(repeating: placeholders, count: rowsPerStatement).joined(separator: ",")
        var start = 0
        while start < cells.count {
            let end = min(cells.count, start + rowsPerStatement * width)
            let rows = (end - start) / width
            let sql = rows == rowsPerStatement ? fullSQL : head + Array(repeating: placeholders, count: rows).joined(separator: ",")
            let binds: [SQLiteData] = (start..<end).map { index in
                switch value(index) {
                case .null: .null
                case .integer(let number): .integer(Int(number))
                case .real(let number): .float(number)
                case .text(let text): .text(text)
                }
            }
            try await connection.query(sql, binds) { _ in }
            start = end
        }
    }
}

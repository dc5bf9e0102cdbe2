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

    init(_ answer: Answer?) {
        switch answer {
        case nil: self = .null
        case .text(let text)?: self = .text(text)
        case .integer(let value)?: self = .integer(value)
        case .money(let hundredths)?: self = .text(Answer.money(hundredths: hundredths).exchangeText)
        case .real(let value)?: self = .real(value)
        case .date(let date)?: self = .text(date.description)
        }
    }
}

/// Rows buffered for one table and written in batches by each database's fast road: COPY
/// on PostgreSQL, multi-row inserts of reused shape on SQLite. The caller decides the
/// transaction around a flush.
struct BulkRows: Sendable {
    let table: String
    let columns: [String]
    private(set) var values: [BulkValue] = []
    private(set) var rows = 0

    init(table: String, columns: [String], reservingRows capacity: Int = 4_096) {
        self.table = table
        self.columns = columns
        values.reserveCapacity(columns.count * capacity)
    }

    mutating func append(_ row: [BulkValue]) {
        precondition(row.count == columns.count)
        values.append(contentsOf: row)
        rows += 1
    }

    /// Appends a row made of leading values, a record's answers and trailing values,
    /// without building the row as an array of its own first.
    mutating func append(row head: [BulkValue], _ answers: [Answer?], _ tail: [BulkValue]) {
        values.append(contentsOf: head)
        for answer in answers { values.append(BulkValue(answer)) }
        values.append(contentsOf: tail)
        rows += 1
        precondition(values.count == rows * columns.count)
    }

    /// Replaces one value of a row already buffered.
    mutating func set(row: Int, column: Int, to value: BulkValue) {
        values[row * columns.count + column] = value
    }

    /// Drops the buffered rows at `indices`.
    mutating func remove(rows indices: Set<Int>) {
        let width = columns.count
        var kept: [BulkValue] = []
        kept.reserveCapacity(values.count)
        for row in 0..<rows where !indices.contains(row) {
            kept.append(contentsOf: values[row * width..<(row + 1) * width])
        }
        values = kept
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
        let batch = BulkBatch(table: table, columns: columns, values: values)
        // Not `removeAll(keepingCapacity:)`: the batch shares the storage, so that would
        // allocate a second buffer as large as the first, often never filled.
        values = []
        rows = 0
        return batch
    }
}

/// Rows taken from a buffer, on their way to one table.
struct BulkBatch: Sendable {
    let table: String
    let columns: [String]
    let values: [BulkValue]

    /// The insert of one row, for a statement prepared once and run row after row.
    var insertStatement: String {
        "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ",")))"
    }

    /// Sends the rows by COPY in pieces of about a quarter of a megabyte, so that PostgreSQL
    /// stores one piece while the next is being written out here, rather than wait for the
    /// whole batch to be encoded.
    func copy(into connection: PostgresConnection) async throws {
        let width = columns.count
        let rowsPerPiece = max(64, (1 << 18) / (16 * width))
        try await connection.copyFrom(table: table, columns: columns, logger: connection.logger) { writer in
            var start = 0
            while start * width < values.count {
                let end = min(values.count / width, start + rowsPerPiece)
                try await writer.write(copyText(rows: start..<end))
                start = end
            }
        }
    }

    /// The rows in COPY's text format: tab between values, a newline after each row, `\N`
    /// for NULL. Encoding it was a fifth of what an import cost its client, so numbers are
    /// written digit by digit rather than through a `String`, and text is scanned for what
    /// needs escaping over its bytes in place.
    func copyText(rows: Range<Int>? = nil) -> ByteBuffer {
        let width = columns.count
        let rows = rows ?? 0..<(values.count / width)
        var buffer = ByteBufferAllocator().buffer(capacity: rows.count * width * 16)
        var column = 0
        for value in values[(rows.lowerBound * width)..<(rows.upperBound * width)] {
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .integer(let number): BulkBatch.writeDecimal(number, to: &buffer)
            case .real(let number): buffer.writeString(String(number))
            case .text(var text):
                text.withUTF8 { BulkBatch.writeCopyText($0, to: &buffer) }
            }
            column += 1
            if column == width {
                buffer.writeInteger(UInt8(ascii: "\n"))
                column = 0
            } else {
                buffer.writeInteger(UInt8(ascii: "\t"))
            }
        }
        return buffer
    }

    private static func writeDecimal(_ number: Int64, to buffer: inout ByteBuffer) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits and a sign
        withUnsafeMutableBytes(of: &digits) { space in
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
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: space[at...]))
        }
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped.
    private static func writeCopyText(_ text: UnsafeBufferPointer<UInt8>, to buffer: inout ByteBuffer) {
        var plain = true
        for byte in text where byte == 92 || byte == 9 || byte == 10 || byte == 13 {
            plain = false
            break
        }
        if plain {
            buffer.writeBytes(UnsafeRawBufferPointer(text))
            return
        }
        for byte in text {
            switch byte {
            case 92: buffer.writeStaticString("\\\\")
            case 9: buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    func insert(into connection: SQLiteConnection) async throws {
        let width = columns.count
        // SQLite allows 32,766 parameters per statement.
        let rowsPerStatement = max(1, min(500, 32_000 / width))
        let placeholders = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ","))) VALUES "
        let fullSQL = head + Array(repeating: placeholders, count: rowsPerStatement).joined(separator: ",")
        var start = 0
        while start < values.count {
            let end = min(values.count, start + rowsPerStatement * width)
            let rows = (end - start) / width
            let sql = rows == rowsPerStatement ? fullSQL : head + Array(repeating: placeholders, count: rows).joined(separator: ",")
            let binds: [SQLiteData] = values[start..<end].map { value in
                switch value {
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

import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// How a PostgreSQL column takes its values in COPY's binary format, by the column's type.
///
/// The binary format spares the server parsing text: a membership carries three ids, and
/// reading ids from text (`uuid_in`, sixteen `strtoul` calls each) was a fourteenth of all
/// the work of a million-household import. Loaded by the server from files, binary took a
/// quarter less time than text for the memberships and two fifths less for the history.
enum BinaryColumn: Sendable, Equatable {
    case text, uuid, bigint, integer, double, numeric

    /// The binary form for a type of the catalogue, or nil for a type this road leaves to text.
    init?(typeOID: Int64) {
        switch typeOID {
        case 25, 1043: self = .text  // text, varchar
        case 2950: self = .uuid
        case 20: self = .bigint
        case 23: self = .integer
        case 701: self = .double
        case 1700: self = .numeric
        default: return nil
        }
    }
}

/// The binary form of the columns a bulk path writes, looked up in PostgreSQL's catalogue
/// once per table and process: the migrations fix the tables' column types, the same on
/// every database the program opens.
enum BinaryCopyColumns {
    private static let known = Mutex<[String: [BinaryColumn]?]>([:])

    /// Each column's binary form, in order; nil if a column's type has none here, when the
    /// rows go as text.
    static func of(table: String, columns: [String], on connection: PostgresConnection,
                   logger: Logger) async throws -> [BinaryColumn]? {
        let key = table + "(" + columns.joined(separator: ",") + ")"
        if let found = known.withLock({ $0[key] }) { return found }
        var types: [String: Int64] = [:]
        let rows = try await connection.query("""
            SELECT attname::text, atttypid::int8 FROM pg_attribute
            WHERE attrelid = to_regclass(\(table)) AND attnum > 0 AND NOT attisdropped
            """, logger: logger)
        for try await (name, type) in rows.decode((String, Int64).self) { types[name] = type }
        // A table not there yet is not remembered: COPY itself will say so.
        guard !types.isEmpty else { return nil }
        let forms = columns.map { types[$0].flatMap(BinaryColumn.init(typeOID:)) }
        let layout: [BinaryColumn]? = forms.contains(nil) ? nil : forms.map { $0! }
        known.withLock { $0[key] = .some(layout) }
        return layout
    }

    /// What to hand PostgresNIO as the table of its `copyFrom` so that it asks for the binary
    /// format. The driver (1.33) offers the text format alone, and writes
    /// `COPY "<table>" FROM STDIN WITH (FORMAT text)` on one line around the name it is given:
    /// this name closes the quote, lists the columns, asks for binary and leaves the driver's
    /// own words in a comment. Only the program's own names reach it. Worded otherwise by a
    /// later driver, the statement is refused, loudly, by every test that writes on PostgreSQL.
    static func target(table: String, columns: [String]) -> String {
        precondition(([table] + columns).allSatisfy { name in
            !name.isEmpty && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
        }, "bulk tables and columns have plain lower-case names")
        return table + "\" (" + columns.map { "\"" + $0 + "\"" }.joined(separator: ",") + ") FROM STDIN WITH (FORMAT binary) --"
    }
}

extension BulkBatch {
    /// COPY's binary header: the signature, no flags, no extension.
    private static let binaryHeader: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [UInt8](repeating: 0, count: 8)

    /// The rows in COPY's binary format, each value in the form of its column: `opening`
    /// puts the format's header first and `closing` its end mark last.
    func copyBinary(rows: Range<Int>, columns layout: [BinaryColumn], opening: Bool, closing: Bool) throws -> ByteBuffer {
        let width = columns.count
        precondition(layout.count == width)
        let span = cells[(rows.lowerBound * width)..<(rows.upperBound * width)]
        // The most each value can take after its length: a number's text is at most 20 bytes
        // and a real's 24; a numeric takes 8 bytes and two for every four digits.
        var room = BulkBatch.binaryHeader.count + 2 + rows.count * 2
        for cell in span {
            switch cell.kind {
            case .null: room += 4
            case .integer: room += 4 + 24
            case .real: room += 4 + 32
            case .text, .id: room += 4 + max(Int(cell.length) + 12, 16)
            }
        }
        var buffer = ByteBufferAllocator().buffer(capacity: room)
        var refused: (column: Int, value: BulkValue)?
        bytes.withUnsafeBufferPointer { bytes in
            cells.withUnsafeBufferPointer { cells in
                _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { out in
                    var writer = BinaryWriter(out: out)
                    if opening { BulkBatch.binaryHeader.withUnsafeBytes { writer.put($0) } }
                    var column = 0
                    for index in (rows.lowerBound * width)..<(rows.upperBound * width) {
                        if column == 0 { writer.put16(Int16(width)) }
                        let cell = cells[index]
                        let fits: Bool
                        switch cell.kind {
                        case .null:
                            writer.put32(-1)
                            fits = true
                        case .integer:
                            fits = writer.putInteger(cell.payload, as: layout[column])
                        case .real:
                            fits = writer.putReal(Double(bitPattern: UInt64(bitPattern: cell.payload)), as: layout[column])
                        case .text:
                            let start = Int(cell.payload)
                            fits = writer.putText(UnsafeBufferPointer(rebasing: bytes[start..<start + Int(cell.length)]), as: layout[column])
                        case .id where layout[column] == .uuid:
                            writer.put32(16)
                            writer.put(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[Int(cell.payload) + 36..<Int(cell.payload) + 52]))
                            fits = true
                        case .id:
                            let start = Int(cell.payload)
                            fits = writer.putText(UnsafeBufferPointer(rebasing: bytes[start..<start + 36]), as: layout[column])
                        }
                        guard fits else {
                            refused = (column, value(index))
                            return writer.at
                        }
                        column += 1
                        if column == width { column = 0 }
                    }
                    if closing { writer.put16(-1) }
                    return writer.at
                }
            }
        }
        if let refused { throw StorageError.inconsistent("\(table).\(columns[refused.column]) cannot hold \(refused.value)") }
        return buffer
    }
}

/// Writes COPY's binary values into room made beforehand. Each `put` of a value says
/// whether the value fits its column's type, having written nothing when it does not.
private struct BinaryWriter {
    let out: UnsafeMutableRawBufferPointer
    var at = 0

    mutating func put(_ piece: UnsafeRawBufferPointer) {
        guard piece.count > 0 else { return }
        (out.baseAddress! + at).copyMemory(from: piece.baseAddress!, byteCount: piece.count)
        at += piece.count
    }

    mutating func put16(_ value: Int16) {
        out.storeBytes(of: value.bigEndian, toByteOffset: at, as: Int16.self)
        at += 2
    }

    mutating func put32(_ value: Int32) {
        out.storeBytes(of: value.bigEndian, toByteOffset: at, as: Int32.self)
        at += 4
    }

    mutating func put64(_ value: UInt64) {
        out.storeBytes(of: value.bigEndian, toByteOffset: at, as: UInt64.self)
        at += 8
    }

    /// A value of known length: its length, then its bytes.
    mutating func putSized(_ bytes: UnsafeRawBufferPointer) {
        put32(Int32(bytes.count))
        put(bytes)
    }

    mutating func putInteger(_ value: Int64, as column: BinaryColumn) -> Bool {
        switch column {
        case .bigint:
            put32(8)
            put64(UInt64(bitPattern: value))
        case .integer:
            guard let small = Int32(exactly: value) else { return false }
            put32(4)
            put32(small)
        case .double:
            put32(8)
            put64(Double(value).bitPattern)
        case .text:
            BulkRows.withDecimal(value) { putSized($0) }
        case .numeric:
            return BulkRows.withDecimal(value) { putNumeric(decimal: $0.bindMemory(to: UInt8.self)) }
        case .uuid:
            return false
        }
        return true
    }

    mutating func putReal(_ value: Double, as column: BinaryColumn) -> Bool {
        switch column {
        case .double:
            put32(8)
            put64(value.bitPattern)
        case .text:
            var text = String(value)
            text.withUTF8 { putSized(UnsafeRawBufferPointer($0)) }
        case .bigint, .integer:
            guard let whole = Int64(exactly: value) else { return false }
            return putInteger(whole, as: column)
        case .numeric:
            var text = String(value)
            return text.withUTF8 { putNumeric(decimal: $0) }
        case .uuid:
            return false
        }
        return true
    }

    mutating func putText(_ text: UnsafeBufferPointer<UInt8>, as column: BinaryColumn) -> Bool {
        switch column {
        case .text:
            putSized(UnsafeRawBufferPointer(text))
        case .uuid:
            guard let id = RecordID(textBytes: text) else { return false }
            put32(16)
            put64(id.high)
            put64(id.low)
        case .numeric:
            return putNumeric(decimal: text)
        case .bigint, .integer, .double:
            // Numbers come as numbers but for the odd value stored as its text.
            let words = String(decoding: text, as: UTF8.self)
            if let whole = Int64(words) { return putInteger(whole, as: column) }
            guard column == .double, let real = Double(words) else { return false }
            return putReal(real, as: column)
        }
        return true
    }

    mutating func putNumeric(decimal: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let number = PostgresNumeric(decimal: decimal) else { return false }
        put32(Int32(8 + 2 * number.digits.count))
        put16(Int16(number.digits.count))
        put16(number.weight)
        put16(number.negative ? 0x4000 : 0)
        put16(number.scale)
        for digit in number.digits { put16(digit) }
        return true
    }
}

/// A decimal number as PostgreSQL's `numeric` travels in binary: digits in base 10,000, the
/// power of 10,000 of the first, and the count of decimal places shown.
struct PostgresNumeric: Equatable {
    var digits: [Int16]
    var weight: Int16
    var negative: Bool
    var scale: Int16

    init(digits: [Int16], weight: Int16, negative: Bool, scale: Int16) {
        (self.digits, self.weight, self.negative, self.scale) = (digits, weight, negative, scale)
    }

    /// From plain decimal text such as `-1914118.37`: a sign, digits, and a point with more
    /// digits; nil for anything else (an exponent, a space, no digit at all).
    init?(decimal text: UnsafeBufferPointer<UInt8>) {
        var at = 0
        negative = false
        if at < text.count, text[at] == UInt8(ascii: "-") || text[at] == UInt8(ascii: "+") {
            negative = text[at] == UInt8(ascii: "-")
            at += 1
        }
        var whole: [UInt8] = [], fraction: [UInt8] = []
        var pointSeen = false
        while at < text.count {
            let byte = text[at]
            if byte == UInt8(ascii: "."), !pointSeen {
                pointSeen = true
            } else if (48...57).contains(byte) {
                if pointSeen { fraction.append(byte - 48) } else { whole.append(byte - 48) }
            } else {
                return nil
            }
            at += 1
        }
        guard !(whole.isEmpty && fraction.isEmpty), fraction.count <= 0x3FFF, whole.count < 4 * 0x7FFF else { return nil }
        scale = Int16(fraction.count)
        whole = Array(whole.drop { $0 == 0 })
        // Groups of four digits either side of the point, padded outward with zeros.
        let leading = (4 - whole.count % 4) % 4
        let trailing = (4 - fraction.count % 4) % 4
        let all = [UInt8](repeating: 0, count: leading) + whole + fraction + [UInt8](repeating: 0, count: trailing)
        digits = stride(from: 0, to: all.count, by: 4).map { at in
            Int16(all[at]) * 1000 + Int16(all[at + 1]) * 100 + Int16(all[at + 2]) * 10 + Int16(all[at + 3])
        }
        let zeroGroupsFirst = digits.prefix { $0 == 0 }.count
        digits.removeFirst(zeroGroupsFirst)
        while digits.last == 0 { digits.removeLast() }
        weight = Int16((leading + whole.count) / 4 - zeroGroupsFirst) - 1
        if digits.isEmpty {
            weight = 0
            negative = false
        }
    }
}

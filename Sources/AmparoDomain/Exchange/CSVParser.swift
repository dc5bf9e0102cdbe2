/// A streaming RFC 4180 parser: bytes go in as they are read, records come out.
///
/// Memory stays bounded by the longest allowed record, whatever the file size: a cell
/// longer than `maxFieldBytes` or a record wider than `maxFields` is reported on that
/// record and its excess is dropped, so a 10 MB cell or an unclosed quote cannot make
/// the import grow without limit. Lines are counted physically, so a quoted cell with
/// newlines inside still leads the reader to the right line of the file.
public struct CSVParser: Sendable {
    /// One record of the file.
    public struct Record: Sendable {
        /// The line of the file on which the record starts (the header is line 1).
        public var line: Int
        /// The cells, decoded as UTF-8. A cell that is not valid UTF-8 holds "" and is listed in `undecodable`.
        public var fields: [String]
        /// Indices of cells that were not valid UTF-8.
        public var undecodable: [Int]
        /// Why the record could not be read as CSV, if it could not (with the cell it concerns).
        public var malformation: (column: Int, message: ImportMessage)?
    }

    /// A problem that stops the reading of the file.
    public struct FileError: Error, Sendable, Equatable {
        public var line: Int
        public var message: ImportMessage
    }

    public let maxFieldBytes: Int
    public let maxFields: Int

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, afterCR }

    private var state: State = .fieldStart
    /// The cell being read: its first `fieldLength` bytes, in a buffer that never shrinks.
    private var field: [UInt8]
    private var fieldLength = 0
    private var fields: [String] = []
    private var undecodable: [Int] = []
    private var malformation: (column: Int, message: ImportMessage)?
    private var line = 1
    private var recordLine = 1
    private var recordHasContent = false
    private var sawBOMCheck = false

    public init(maxFieldBytes: Int = 65_536, maxFields: Int = 2_048) {
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
        field = [UInt8](repeating: 0, count: min(maxFieldBytes, 4_096))
    }

    /// Feeds the next chunk of the file and hands each record completed by it to `emit`.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer, _ emit: (Record) throws -> Void) throws {
        var index = chunk.startIndex
        if !sawBOMCheck, chunk.count > 0 {
            sawBOMCheck = true
            // A UTF-8 byte order mark, as spreadsheet programs write, is not part of the first cell.
            if chunk.count >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { index += 3 }
        }
        while index < chunk.endIndex {
            // Inside a cell, most bytes are plain: take the whole run of them at once.
            if state == .unquoted || state == .quoted {
                let quoted = state == .quoted
                var end = index
                while end < chunk.endIndex {
                    let byte = chunk[end]
                    if quoted ? (byte == UInt8(ascii: "\"") || byte == 10)
                              : (byte == UInt8(ascii: ",") || byte == 10 || byte == 13) { break }
                    end += 1
                }
                if end > index {
                    append(UnsafeRawBufferPointer(rebasing: chunk[index..<end]))
                    index = end
                    continue
                }
            }
            let byte = chunk[index]
            index += 1
            switch state {
            case .afterCR:
                state = .fieldStart
                if byte == 10 { continue }  // CRLF: the record already ended at CR
                fallthrough
            case .fieldStart:
                switch byte {
                case UInt8(ascii: "\""):
                    state = .quoted
                    recordHasContent = true
                case UInt8(ascii: ","):
                    recordHasContent = true
                    endField()
                case 10, 13:
                    try endLine(byte, emit)
                default:
                    recordHasContent = true
                    append(byte)
                    state = .unquoted
                }
            case .unquoted:
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                    state = .fieldStart
                case 10, 13:
                    try endLine(byte, emit)
                default:
                    append(byte)
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    state = .quoteInQuoted
                } else {
                    if byte == 10 { line += 1 }
                    append(byte)
                }
            case .quoteInQuoted:
                switch byte {
                case UInt8(ascii: "\""):
                    append(byte)
                    state = .quoted
                case UInt8(ascii: ","):
                    endField()
                    state = .fieldStart
                case 10, 13:
                    try endLine(byte, emit)
                default:
                    markMalformed(.quoteNotFollowed)
                    append(byte)
                    state = .unquoted
                }
            }
        }
    }

    /// Ends the file: hands over a last record without a final newline.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        if state == .quoted {
            throw FileError(line: recordLine, message: .unclosedQuote)
        }
        if state != .afterCR { try endRecord(emit) }
    }

    /// A CR or LF outside quotes ends the record; a CR may be the first half of a CRLF.
    private mutating func endLine(_ byte: UInt8, _ emit: (Record) throws -> Void) throws {
        try endRecord(emit)
        line += 1
        recordLine = line
        state = byte == 13 ? .afterCR : .fieldStart
    }

    private mutating func append(_ byte: UInt8) {
        withUnsafeBytes(of: byte) { append($0) }
    }

    /// Adds bytes to the cell, up to `maxFieldBytes`; beyond that the record is malformed.
    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var bytes = bytes
        if fieldLength + bytes.count > maxFieldBytes {
            markMalformed(.cellTooLong(bytes: maxFieldBytes))
            bytes = UnsafeRawBufferPointer(rebasing: bytes.prefix(maxFieldBytes - fieldLength))
        }
        guard !bytes.isEmpty else { return }
        if fieldLength + bytes.count > field.count {
            field.append(contentsOf: repeatElement(0, count: max(fieldLength + bytes.count, 2 * field.count) - field.count))
        }
        let at = fieldLength
        field.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        fieldLength += bytes.count
    }

    private mutating func markMalformed(_ message: ImportMessage) {
        if malformation == nil { malformation = (fields.count, message) }
    }

    private mutating func endField() {
        defer { fieldLength = 0 }
        if fields.count >= maxFields {
            markMalformed(.tooManyCells(maxFields))
            return
        }
        let text = field.withUnsafeBufferPointer { buffer -> String? in
            let cell = UnsafeBufferPointer(rebasing: buffer[0..<fieldLength])
            // Most cells are ASCII, which is valid UTF-8 as it stands; decoding them needs no
            // check, and skips the generic validating initialiser, the parser's costliest step.
            var ascii = true
            for byte in cell where byte >= 0x80 {
                ascii = false
                break
            }
            return ascii ? String(decoding: cell, as: UTF8.self) : String(validating: cell, as: UTF8.self)
        }
        if let text {
            fields.append(text)
        } else {
            undecodable.append(fields.count)
            fields.append("")
        }
    }

    private mutating func endRecord(_ emit: (Record) throws -> Void) throws {
        defer {
            fields.removeAll(keepingCapacity: true)
            undecodable.removeAll()
            malformation = nil
            recordHasContent = false
        }
        // Blank lines carry no record.
        guard recordHasContent || fieldLength > 0 else { return }
        endField()
        try emit(Record(line: recordLine, fields: fields, undecodable: undecodable, malformation: malformation))
    }
}

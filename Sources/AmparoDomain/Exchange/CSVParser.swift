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
    /// The cells of the record being read, each followed by one separator byte, as a plain
    /// line of the file holds them; the cell being read starts at `cellStart` and ends at
    /// `recordLength`. The buffer never shrinks.
    private var recordBytes: [UInt8]
    private var recordLength = 0
    private var cellStart = 0
    /// Where each finished cell of the record ends in `recordBytes`.
    private var cellEnds: [Int] = []
    /// Where each cell of a plain line ends, relative to the line: room for `maxFields` of them.
    private var lineEnds: [Int]
    private var malformation: (column: Int, message: ImportMessage)?
    private var line = 1
    private var recordLine = 1
    private var recordHasContent = false
    private var sawBOMCheck = false

    public init(maxFieldBytes: Int = 65_536, maxFields: Int = 2_048) {
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
        recordBytes = [UInt8](repeating: 0, count: 4_096)
        cellEnds.reserveCapacity(64)
        lineEnds = [Int](repeating: 0, count: maxFields)
    }

    /// One record's cells as bytes, valid only during the call that hands it over: no text
    /// is made for them, which is what a reader of millions of rows wants.
    public struct Cells {
        /// The line of the file on which the record starts (the header is line 1).
        public let line: Int
        public let malformation: (column: Int, message: ImportMessage)?
        /// The cells one after another, one separator byte between each and the next.
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>

        public var count: Int { ends.count }

        /// The bytes of cell `index`, exactly as the file gives them (quotes undone).
        public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[(index == 0 ? 0 : ends[index - 1] + 1)..<ends[index]])
        }

        /// Cell `index` as text; nil when its bytes are not UTF-8.
        public func text(_ index: Int) -> String? {
            let cell = self[index]
            // Most cells are ASCII, which is valid UTF-8 as it stands; decoding them needs no
            // check, and skips the generic validating initialiser.
            if !cell.contains(where: { $0 >= 0x80 }) { return String(decoding: cell, as: UTF8.self) }
            return String(validating: cell, as: UTF8.self)
        }

        /// The record with its cells decoded as text.
        public func record() -> Record {
            var fields: [String] = []
            fields.reserveCapacity(count)
            var undecodable: [Int] = []
            for index in 0..<count {
                if let text = text(index) {
                    fields.append(text)
                } else {
                    undecodable.append(index)
                    fields.append("")
                }
            }
            return Record(line: line, fields: fields, undecodable: undecodable, malformation: malformation)
        }
    }

    /// Feeds the next chunk of the file and hands each record completed by it to `emit`.
    public mutating func consume(_ chunk: UnsafeRawBufferPointer, _ emit: (Record) throws -> Void) throws {
        try consumeCells(chunk) { try emit($0.record()) }
    }

    /// Ends the file: hands over a last record without a final newline.
    public mutating func finish(_ emit: (Record) throws -> Void) throws {
        try finishCells { try emit($0.record()) }
    }

    /// Feeds the next chunk of the file and hands each record completed by it to `emit`, as bytes.
    public mutating func consumeCells(_ chunk: UnsafeRawBufferPointer, _ emit: (Cells) throws -> Void) throws {
        var index = chunk.startIndex
        if !sawBOMCheck, chunk.count > 0 {
            sawBOMCheck = true
            // A UTF-8 byte order mark, as spreadsheet programs write, is not part of the first cell.
            if chunk.count >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { index += 3 }
        }
        while index < chunk.endIndex {
            // Most lines are plain: their cells are handed over where they lie in the chunk.
            if state == .fieldStart, recordLength == 0, !recordHasContent, let next = try plainLine(chunk, from: index, emit) {
                index = next
                continue
            }
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

    /// Reads the line at `start` when the chunk holds all of it, its end included, and it is
    /// plain: no quote, no CR but one just before the LF, no more cells than `maxFields`,
    /// none longer than `maxFieldBytes`. Hands its record over without copying it and
    /// returns where the next line starts; returns nil, having changed nothing, for any
    /// other line, which the byte-by-byte reading takes.
    private mutating func plainLine(_ chunk: UnsafeRawBufferPointer, from start: Int, _ emit: (Cells) throws -> Void) throws -> Int? {
        let maxFieldBytes = maxFieldBytes
        let found = lineEnds.withUnsafeMutableBufferPointer { ends in
            Self.plainCells(of: chunk.baseAddress!.assumingMemoryBound(to: UInt8.self), from: start, to: chunk.count,
                            ends: ends, maxFieldBytes: maxFieldBytes)
        }
        guard let found else { return nil }
        // A line with nothing on it carries no record.
        if found.end > start {
            let line = recordLine
            try lineEnds.withUnsafeBufferPointer { ends in
                try emit(Cells(line: line, malformation: nil,
                               bytes: UnsafeBufferPointer(start: chunk.baseAddress!.advanced(by: start).assumingMemoryBound(to: UInt8.self),
                                                          count: found.end - start),
                               ends: UnsafeBufferPointer(rebasing: ends[0..<found.cells])))
            }
        }
        line += 1
        recordLine = line
        return found.next
    }

    /// Finds where each cell of the line at `start` ends, writing it to `ends` (relative to
    /// `start`), when the line is plain and `bytes` hold all of it before `limit`: its end,
    /// how many cells it has, and where the next line starts; nil otherwise.
    ///
    /// Eight bytes are looked at a time: only bytes up to the comma (a comma, CR, LF, a quote,
    /// and a few others such as a space) are looked at one by one, so a name or a date costs
    /// a step or two rather than a step a byte.
    private static func plainCells(of bytes: UnsafePointer<UInt8>, from start: Int, to limit: Int,
                                   ends: UnsafeMutableBufferPointer<Int>, maxFieldBytes: Int) -> (end: Int, cells: Int, next: Int)? {
        enum Step { case goOn, notPlain, ended(next: Int) }
        var cells = 0
        var cellStart = start
        func take(_ at: Int) -> Step {
            let byte = bytes[at]
            guard byte == UInt8(ascii: ",") || byte == 10 || byte == 13 else {
                return byte == UInt8(ascii: "\"") ? .notPlain : .goOn
            }
            guard cells < ends.count, at - cellStart <= maxFieldBytes else { return .notPlain }
            ends[cells] = at - start
            cells += 1
            cellStart = at + 1
            switch byte {
            case 10: return .ended(next: at + 1)
            case 13: return at + 1 < limit && bytes[at + 1] == 10 ? .ended(next: at + 2) : .notPlain
            default: return .goOn
            }
        }
        var index = start
        while index + 8 <= limit {
            let word = UInt64(littleEndian: UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self))
            // The top bit of each byte at or below the comma (0x2C): adding 0x53 to the low seven
            // bits of a byte sets its top bit from 0x2D up, and a byte from 0x80 up is none.
            var low = ~((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x5353_5353_5353_5353) & ~word & 0x8080_8080_8080_8080
            while low != 0 {
                let at = index + low.trailingZeroBitCount >> 3
                switch take(at) {
                case .goOn: break
                case .notPlain: return nil
                case .ended(let next): return (at, cells, next)
                }
                low &= low &- 1
            }
            index += 8
        }
        while index < limit {
            if bytes[index] <= UInt8(ascii: ",") {
                switch take(index) {
                case .goOn: break
                case .notPlain: return nil
                case .ended(let next): return (index, cells, next)
                }
            }
            index += 1
        }
        return nil
    }

    /// Ends the file: hands over a last record without a final newline, as bytes.
    public mutating func finishCells(_ emit: (Cells) throws -> Void) throws {
        if state == .quoted {
            throw FileError(line: recordLine, message: .unclosedQuote)
        }
        if state != .afterCR { try endRecord(emit) }
    }

    /// A CR or LF outside quotes ends the record; a CR may be the first half of a CRLF.
    private mutating func endLine(_ byte: UInt8, _ emit: (Cells) throws -> Void) throws {
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
        let cellLength = recordLength - cellStart
        if cellLength + bytes.count > maxFieldBytes {
            markMalformed(.cellTooLong(bytes: maxFieldBytes))
            bytes = UnsafeRawBufferPointer(rebasing: bytes.prefix(maxFieldBytes - cellLength))
        }
        guard !bytes.isEmpty else { return }
        if recordLength + bytes.count > recordBytes.count {
            recordBytes.append(contentsOf: repeatElement(0, count: max(recordLength + bytes.count, 2 * recordBytes.count) - recordBytes.count))
        }
        let at = recordLength
        recordBytes.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: at).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        recordLength += bytes.count
    }

    private mutating func markMalformed(_ message: ImportMessage) {
        if malformation == nil { malformation = (cellEnds.count, message) }
    }

    private mutating func endField() {
        if cellEnds.count >= maxFields {
            markMalformed(.tooManyCells(maxFields))
            recordLength = cellStart
            return
        }
        cellEnds.append(recordLength)
        if recordLength == recordBytes.count { recordBytes.append(0) }
        recordBytes[recordLength] = UInt8(ascii: ",")
        recordLength += 1
        cellStart = recordLength
    }

    private mutating func endRecord(_ emit: (Cells) throws -> Void) throws {
        defer {
            recordLength = 0
            cellStart = 0
            cellEnds.removeAll(keepingCapacity: true)
            malformation = nil
            recordHasContent = false
        }
        // Blank lines carry no record.
        guard recordHasContent || recordLength > cellStart else { return }
        endField()
        let (line, malformation) = (recordLine, malformation)
        try recordBytes.withUnsafeBufferPointer { bytes in
            try cellEnds.withUnsafeBufferPointer { ends in
                try emit(Cells(line: line, malformation: malformation, bytes: bytes, ends: ends))
            }
        }
    }
}

extension CSVParser {
    /// Records as the parser handed them over, kept as bytes to be read again later or on
    /// another task, without text made for any of them.
    public struct KeptRecords: Sendable {
        private struct Kept: Sendable {
            var line: Int
            var malformation: (column: Int, message: ImportMessage)?
            var firstCell: Int
            var cells: Int
            var firstByte: Int
        }

        private var records: [Kept] = []
        private var cellEnds: [Int] = []
        private var bytes: [UInt8] = []

        public init() {}

        public var isEmpty: Bool { records.isEmpty }

        public mutating func append(_ cells: Cells) {
            records.append(Kept(line: cells.line, malformation: cells.malformation, firstCell: cellEnds.count,
                                cells: cells.count, firstByte: bytes.count))
            cellEnds.append(contentsOf: cells.ends)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: cells.bytes[0..<(cells.ends.last ?? 0)]))
        }

        /// Hands over each record's cells, in the order they were kept, valid during the call.
        public func forEach(_ body: (Cells) throws -> Void) rethrows {
            try bytes.withUnsafeBufferPointer { bytes in
                try cellEnds.withUnsafeBufferPointer { ends in
                    for record in records {
                        let length = record.cells == 0 ? 0 : ends[record.firstCell + record.cells - 1]
                        try body(Cells(line: record.line, malformation: record.malformation,
                                       bytes: UnsafeBufferPointer(rebasing: bytes[record.firstByte..<record.firstByte + length]),
                                       ends: UnsafeBufferPointer(rebasing: ends[record.firstCell..<record.firstCell + record.cells])))
                    }
                }
            }
        }
    }
}

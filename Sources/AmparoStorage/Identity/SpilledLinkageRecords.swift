import Foundation
import Synchronization
import AmparoDomain

/// Takes the persons of a linkage one by one: held in memory while they fit in one part,
/// set down on disk in chunks beyond that, so that memory stays flat however long the list.
public struct LinkageRecordsWriter {
    /// Records a part holds, about: what the engine holds in memory at once.
    public let recordsPerPart: Int
    private var chunk = LinkageTable()
    private var file: ChunkFile?
    private var written = 0
    private var leftCount = 0
    private var fieldsPresent: Set<LinkageField> = []
    private var hasPoints = false
    private var counts: [LinkageField: ValueCounts] = [:]

    /// Fields that may be weighed by term frequency: their values are counted as they pass.
    private static let countedFields = PersonLinkage.comparisons(for: Set(LinkageField.allCases), points: false)
        .filter(\.termFrequency).compactMap(\.field)

    /// Records drawn from the whole to estimate u, about.
    public let sampleSize: Int

    public init(recordsPerPart: Int = 250_000, sampleSize: Int = 250_000) {
        self.recordsPerPart = max(2, recordsPerPart)
        self.sampleSize = max(2, sampleSize)
    }

    public var count: Int { written + chunk.count }

    public mutating func append(_ record: PersonRecord, side: LinkageTable.Side = .left) throws {
        chunk.append(record, side: side, position: count)
        if side == .left { leftCount += 1 }
        if chunk.count >= min(recordsPerPart, 65_536) && count > recordsPerPart { try spill() }
    }

    /// The records as the engine reads them: the table itself if it never left memory.
    public mutating func finish() throws -> any LinkageRecords {
        guard let file else { return chunk }
        if chunk.count > 0 { try spill() }
        try file.close()
        self.file = nil
        return SpilledLinkageRecords(
            file: file, count: written, leftCount: leftCount, fieldsPresent: fieldsPresent, hasPoints: hasPoints,
            counts: counts, recordsPerPart: recordsPerPart, sampleSize: sampleSize)
    }

    private mutating func spill() throws {
        if file == nil {
            ChunkFile.removeLeftovers()
            file = try ChunkFile(path: ChunkFile.directory + "/" + ChunkFile.prefix + "\(getpid())-\(UUID().uuidString)")
        }
        for field in Self.countedFields { counts[field, default: ValueCounts()].add(chunk[field], rows: 0..<chunk.count) }
        fieldsPresent.formUnion(chunk.fieldsPresent)
        hasPoints = hasPoints || chunk.hasPoints
        try file!.append(chunk)
        written += chunk.count
        chunk = LinkageTable()
    }
}

/// A list of persons set down on disk in chunks of normalised records, handed to the
/// engine a part at a time. For each rule the chunks are read once and every record is
/// sent to its key's part, in chunks of their own; a part is then read whole. The files go
/// when the list is released.
final class SpilledLinkageRecords: LinkageRecords {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    let file: ChunkFile
    let count: Int
    let leftCount: Int
    let fieldsPresent: Set<LinkageField>
    let hasPoints: Bool
    let counts: [LinkageField: ValueCounts]
    let parts: Int
    let sampleSize: Int
    /// Each rule's parts, once made: training and scoring both ask for them. They take
    /// about as much disk as the list itself, per rule.
    private let routed = Mutex<[BlockingRule: ChunkFile]>([:])

    init(file: ChunkFile, count: Int, leftCount: Int, fieldsPresent: Set<LinkageField>, hasPoints: Bool,
         counts: [LinkageField: ValueCounts], recordsPerPart: Int, sampleSize: Int) {
        self.file = file
        self.count = count
        self.leftCount = leftCount
        self.fieldsPresent = fieldsPresent
        self.hasPoints = hasPoints
        self.counts = counts
        self.sampleSize = sampleSize
        parts = max(1, (count + recordsPerPart - 1) / recordsPerPart)
    }

    func valueCounts(_ field: LinkageField) -> ValueCounts { counts[field] ?? ValueCounts() }

    func forEachChunk(_ body: (LinkageTable) throws -> Void) throws { try file.forEachChunk(body) }

    func part(_ part: Int, rule: BlockingRule) throws -> LinkageTable {
        let routed = try self.routed.withLock { routed in
            if let file = routed[rule] { return file }
            let file = try route(rule, into: self.file.path + "-rule\(routed.count)")
            routed[rule] = file
            return file
        }
        var table = LinkageTable()
        try routed.forEachChunk(ofPart: part) { table.append(contentsOf: $0) }
        return table
    }

    /// Records whose place hashes below an even share: about `sampleSize` of them, all of
    /// them in a list no longer than that.
    func sample() throws -> LinkageTable {
        var sample = LinkageTable()
        let share = min(1, Double(sampleSize) / Double(max(1, count)))
        let threshold = share >= 1 ? UInt64.max : UInt64(Double(UInt64.max) * share)
        try file.forEachChunk { chunk in
            sample.append(contentsOf: LinkageTable(
                rows: (0..<chunk.count).filter { Self.mix(UInt64(chunk.positions[$0])) <= threshold }, of: chunk))
        }
        return sample
    }

    /// Sends each record with a key under `rule` to its part. What waits to be written
    /// stays under one chunk's worth, whatever the number of parts.
    private func route(_ rule: BlockingRule, into path: String) throws -> ChunkFile {
        let output = try ChunkFile(path: path)
        let flushAt = max(1_024, 65_536 / parts)
        var waiting = [LinkageTable](repeating: LinkageTable(), count: parts)
        try file.forEachChunk { chunk in
            var rows = [[Int]](repeating: [], count: parts)
            for (row, key) in rule.keys(chunk).enumerated() where key != 0 {
                rows[BlockingRule.part(of: key, parts: parts)].append(row)
            }
            for part in 0..<parts where !rows[part].isEmpty {
                waiting[part].append(contentsOf: LinkageTable(rows: rows[part], of: chunk))
                if waiting[part].count >= flushAt {
                    try output.append(waiting[part], part: part)
                    waiting[part] = LinkageTable()
                }
            }
        }
        for part in 0..<parts where waiting[part].count > 0 { try output.append(waiting[part], part: part) }
        try output.close()
        return output
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Chunks of a linkage table one after another in a file, each marked with its part;
/// the file is removed with the last reference to it.
final class ChunkFile: @unchecked Sendable {
    let path: String
    // Appended to only while the file is written, before it is shared.
    private var chunks: [(range: Range<UInt64>, part: Int)] = []
    private var output: FileHandle?

    static var directory: String { FileManager.default.temporaryDirectory.path }
    static let prefix = "amparo-linkage-"

    /// Removes the files of runs whose process is gone: killed, it could not remove its own.
    /// A file is named after its process, and one whose process still lives is left alone.
    static func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let process = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }), process > 0,
                  kill(process, 0) != 0 && errno == ESRCH else { continue }
            unlink(directory + "/" + name)
        }
    }

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw SpilledLinkageRecords.Problem(description: "\(path): cannot be written")
        }
        output = handle
    }

    deinit {
        try? output?.close()
        unlink(path)
    }

    func append(_ table: LinkageTable, part: Int = 0) throws {
        let bytes = table.encoded()
        let start = chunks.last?.range.upperBound ?? 0
        try output?.write(contentsOf: bytes)
        chunks.append((start..<start + UInt64(bytes.count), part))
    }

    func close() throws {
        try output?.close()
        output = nil
    }

    func forEachChunk(ofPart part: Int? = nil, _ body: (LinkageTable) throws -> Void) throws {
        guard let input = FileHandle(forReadingAtPath: path) else { throw SpilledLinkageRecords.Problem(description: "\(path): cannot be read") }
        defer { try? input.close() }
        for chunk in chunks where part == nil || chunk.part == part {
            try input.seek(toOffset: chunk.range.lowerBound)
            guard let data = try input.read(upToCount: chunk.range.count), data.count == chunk.range.count else {
                throw SpilledLinkageRecords.Problem(description: "\(path): ends early")
            }
            try data.withUnsafeBytes { try body(LinkageTable(encoded: $0)) }
        }
    }
}

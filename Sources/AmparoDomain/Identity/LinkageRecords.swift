/// The records of a linkage as the engine reads them: a part at a time, so that a list of
/// any size is linked in the memory one part takes.
///
/// A rule's records are split by the value of their key, so every block of the rule lies
/// whole in one part; parts come in the order of their keys, and records within a part in
/// the order of the list. Blocks, pairs and their order are then the same whatever the
/// number of parts.
public protocol LinkageRecords: Sendable {
    var count: Int { get }
    /// Records of the first list: all of them when deduplicating.
    var leftCount: Int { get }
    /// Fields that at least one record has, so the model compares only what the sources hold.
    var fieldsPresent: Set<LinkageField> { get }
    var hasPoints: Bool { get }
    /// How many parts each rule's records come in.
    var parts: Int { get }
    /// The records whose key under `rule` falls in part `part`; it may hold others too,
    /// whose key is in another part or missing, which blocking passes over.
    func part(_ part: Int, rule: BlockingRule) throws -> LinkageTable
    /// Records drawn evenly from the whole, among which random pairs estimate u.
    func sample() throws -> LinkageTable
    /// How many records hold each value of `field`, for term frequencies.
    func valueCounts(_ field: LinkageField) -> ValueCounts
    /// Every record, a chunk of them at a time, in the order of the list.
    func forEachChunk(_ body: (LinkageTable) throws -> Void) throws
}

/// A table held whole is one part.
extension LinkageTable: LinkageRecords {
    public var leftCount: Int { sides.count { $0 == .left } }
    public var parts: Int { 1 }
    public func part(_ part: Int, rule: BlockingRule) -> LinkageTable { self }
    public func sample() -> LinkageTable { self }
    public func forEachChunk(_ body: (LinkageTable) throws -> Void) rethrows { try body(self) }

    public func valueCounts(_ field: LinkageField) -> ValueCounts {
        var counts = ValueCounts()
        counts.add(self[field], rows: 0..<count)
        return counts
    }
}

/// How many records hold each value of a field, by the value's hash.
public struct ValueCounts: Sendable {
    public private(set) var counts: [UInt64: Int32] = [:]
    /// Records that hold any value.
    public private(set) var present = 0

    public init() {}

    public mutating func add(_ column: TextColumn, rows: Range<Int>) {
        for row in rows where !column.isEmpty(row) {
            counts[column.hash(row), default: 0] += 1
            present += 1
        }
    }

    /// The share of records holding the value of `row`; 0 where it has none.
    func share(_ column: TextColumn, _ row: Int) -> Float {
        column.isEmpty(row) ? 0 : Float(counts[column.hash(row)] ?? 0) / Float(max(1, present))
    }
}

extension BlockingRule {
    /// The part a key falls in, of `parts` ranges of keys in order.
    public static func part(of key: UInt64, parts: Int) -> Int {
        Int(key.multipliedFullWidth(by: UInt64(parts)).high)
    }
}

/// Which pairs of records are compared at all: those that agree exactly on a rule's key.
///
/// Several rules are used together, so that a typo in one field does not hide a pair: a
/// pair is found by the first rule whose key it shares and is skipped by the rules after,
/// so each pair is scored once.
public struct BlockingRule: Sendable, Hashable, CustomStringConvertible {
    public enum Part: Sendable, Hashable {
        case field(LinkageField)
        /// The first letters of a field: a surname's initial, a date's year.
        case prefix(LinkageField, Int)
        /// The first word of a field: the first given name of a compound one.
        case firstWord(LinkageField)
        /// Two fields (or their first letters) in either order: given name and surname
        /// written the wrong way round.
        case eitherOrder(LinkageField, LinkageField, prefix: Int = .max)

        var fields: [LinkageField] {
            switch self {
            case .field(let field), .prefix(let field, _), .firstWord(let field): [field]
            case .eitherOrder(let first, let second, _): [first, second]
            }
        }
    }

    public let parts: [Part]

    public init(_ parts: Part...) {
        self.parts = parts
    }

    public var fields: Set<LinkageField> { Set(parts.flatMap(\.fields)) }

    public var description: String {
        parts.map { part in
            switch part {
            case .field(let field): field.description
            case .prefix(let field, let length): "first \(length) of \(field)"
            case .firstWord(let field): "first word of \(field)"
            case .eitherOrder(let first, let second, let length):
                length == .max ? "\(first) and \(second) in either order" : "first \(length) of \(first) and \(second) in either order"
            }
        }.joined(separator: " + ")
    }

    /// Each record's key under this rule; 0 where a part is missing, since missing values
    /// agree on nothing.
    public func keys(_ table: LinkageTable) -> [UInt64] {
        (0..<table.count).map { row in
            var key: UInt64 = 0x9e37_79b9_7f4a_7c15
            for part in parts {
                if part.fields.contains(where: { table[$0].isEmpty(row) }) { return 0 }
                let hash: UInt64
                switch part {
                case .field(let field): hash = table[field].hash(row)
                case .prefix(let field, let length): hash = table[field].hash(row, prefix: length)
                case .firstWord(let field):
                    let column = table[field]
                    let range = column.range(row)
                    let length = column.bytes[range].firstIndex(of: 32).map { $0 - range.lowerBound } ?? range.count
                    hash = column.hash(row, prefix: length)
                case .eitherOrder(let first, let second, let length):
                    let a = table[first].hash(row, prefix: length), b = table[second].hash(row, prefix: length)
                    hash = (min(a, b) &* 0x100_0000_01b3) ^ max(a, b)
                }
                key = (key ^ hash) &* 0x100_0000_01b3 &+ 0x632b_e59b_d9b4_e019
            }
            return key == 0 ? 1 : key
        }
    }
}

/// The candidate pairs of a table under a list of rules, block by block, in an order that
/// is the same every time for the same records, so that a run can stop and resume at a block.
public struct CandidatePairs: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Pairs within one source.
        case deduplicate
        /// Pairs with one record from each side.
        case link
    }

    /// Where the enumeration is: a rule and a block within it.
    public struct Position: Sendable, Hashable, Comparable {
        public var rule: Int
        public var block: Int

        public init(rule: Int, block: Int) {
            self.rule = rule
            self.block = block
        }

        public static func < (lhs: Position, rhs: Position) -> Bool { (lhs.rule, lhs.block) < (rhs.rule, rhs.block) }
    }

    public let table: LinkageTable
    public let rules: [BlockingRule]
    public let mode: Mode
    /// Blocks larger than this are skipped and counted: a rule that puts thousands of
    /// records under one key is too coarse to compare them all.
    public let largestBlock: Int
    let keys: [[UInt64]]

    public init(table: LinkageTable, rules: [BlockingRule], mode: Mode, largestBlock: Int = 2_000) {
        self.table = table
        self.rules = rules
        self.mode = mode
        self.largestBlock = largestBlock
        self.keys = rules.map { $0.keys(table) }
    }

    /// The records of each block of a rule, blocks in order of key, records in table order.
    public func blocks(rule: Int) -> [ArraySlice<Int32>] {
        let keys = keys[rule]
        var order = (0..<Int32(table.count)).filter { keys[Int($0)] != 0 }
        order.sort { (keys[Int($0)], $0) < (keys[Int($1)], $1) }
        var blocks: [ArraySlice<Int32>] = []
        var start = 0
        for index in 1...max(1, order.count) where index == order.count || keys[Int(order[index])] != keys[Int(order[start])] {
            if index - start > 1 { blocks.append(order[start..<index]) }
            start = index
        }
        return blocks.filter { !$0.isEmpty }
    }

    /// Calls `body` with every pair of a block not found by an earlier rule (or every pair
    /// at all with `includingEarlier`, as training wants), the left record first when
    /// linking, the earlier record first when deduplicating.
    /// Returns false when the block was skipped for its size.
    @discardableResult
    public func forEachPair(
        rule: Int, block: ArraySlice<Int32>, includingEarlier: Bool = false, _ body: (Int, Int) throws -> Void
    ) rethrows -> Bool {
        guard block.count <= largestBlock else { return false }
        for first in block.indices {
            let i = Int(block[first])
            for second in block.indices where second > first {
                let j = Int(block[second])
                var left = i, right = j
                if mode == .link {
                    if table.sides[i] == table.sides[j] { continue }
                    if table.sides[i] == .right { swap(&left, &right) }
                }
                if !includingEarlier && foundEarlier(rule: rule, i, j) { continue }
                try body(left, right)
            }
        }
        return true
    }

    func foundEarlier(rule: Int, _ i: Int, _ j: Int) -> Bool {
        for earlier in 0..<rule {
            let key = keys[earlier][i]
            if key != 0 && key == keys[earlier][j] { return true }
        }
        return false
    }
}

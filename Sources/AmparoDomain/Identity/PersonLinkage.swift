import Foundation

/// The linkage of persons: which comparisons and blocking rules to use for the fields the
/// sources hold, training, and the scoring of every candidate pair.
///
/// The same engine deduplicates the registry, links it to another programme's list, and
/// links any two files whose columns have been named (FEBRL's, for the benchmark).
public struct PersonLinkage: Sendable {
    public let candidates: CandidatePairs
    public let comparisons: [Comparison]

    public init(table: LinkageTable, mode: CandidatePairs.Mode, largestBlock: Int = 2_000) {
        comparisons = Self.comparisons(for: table.fieldsPresent, points: table.hasPoints)
        candidates = CandidatePairs(
            table: table, rules: Self.blockingRules(for: table.fieldsPresent), mode: mode, largestBlock: largestBlock)
    }

    public var table: LinkageTable { candidates.table }

    /// One comparison per field held, with term frequencies where values repeat a lot
    /// (names, places) and a common value says less than a rare one.
    public static func comparisons(for fields: Set<LinkageField>, points: Bool) -> [Comparison] {
        var comparisons = LinkageField.allCases.filter(fields.contains).map { field -> Comparison in
            switch field {
            case .givenNames: Comparison(field, .givenNames, termFrequency: true)
            case .surnames: Comparison(field, .surnames, termFrequency: true)
            case .birthDate: Comparison(field, .date)
            case .idNumber, .phone: Comparison(field, .identifier)
            case .sex: Comparison(field, .code)
            case .streetNumber, .region: Comparison(field, .code, termFrequency: true)
            case .address, .addressDetail: Comparison(field, .text)
            case .locality: Comparison(field, .text, termFrequency: true)
            case .postcode: Comparison(field, .postcode, termFrequency: true)
            }
        }
        if points { comparisons.append(.place) }
        return comparisons
    }

    /// Rules that each miss some true pairs but together miss few: a typo in the name is
    /// caught by the date, a typo in the date by the name, both by the ID number.
    public static func blockingRules(for fields: Set<LinkageField>) -> [BlockingRule] {
        let rules: [BlockingRule] = [
            BlockingRule(.field(.idNumber)),
            // Alone, not with an initial: names swapped or mistyped at their start are common.
            // At a million persons it makes most of the candidate pairs (about forty share a day).
            BlockingRule(.field(.birthDate)),
            BlockingRule(.field(.givenNames), .field(.surnames)),
            BlockingRule(.eitherOrder(.givenNames, .surnames)),
            BlockingRule(.firstWord(.surnames), .prefix(.givenNames, 1), .prefix(.birthDate, 4)),
            BlockingRule(.field(.postcode), .field(.streetNumber)),
            BlockingRule(.field(.phone)),
            BlockingRule(.firstWord(.surnames), .field(.locality), .prefix(.givenNames, 1)),
            BlockingRule(.field(.region), .field(.address)),
            // Coarse, so last: it only adds the pairs the others missed, and skips blocks too large.
            BlockingRule(.field(.postcode)),
        ]
        return rules.filter { $0.fields.isSubset(of: fields) }
    }

    /// Estimates the model from the table; `randomPairs` draws estimate u.
    public func train(randomPairs: Int = 1_000_000) -> (model: LinkageModel, summary: LinkageTraining.Summary) {
        var training = LinkageTraining(candidates: candidates, comparisons: comparisons)
        training.randomPairs = randomPairs
        return training.train()
    }

    /// A scored candidate pair: indexes into the table, left or earlier record first.
    public struct ScoredPair: Sendable, Equatable {
        public var left: Int
        public var right: Int
        public var weight: Double
        public var pattern: ComparisonPattern

        public var probability: Double { LinkageModel.probability(weight: weight) }
    }

    /// Scores every candidate pair from `start` on, passing on those at or above `floor`,
    /// and calls `finished` after each run of blocks, where a stopped run can resume.
    public func predict(
        _ model: LinkageModel, floor: Double, from start: CandidatePairs.Position = .init(rule: 0, block: 0),
        blocksAtOnce: Int = 4_096,
        pair: (ScoredPair) throws -> Void,
        finished: (CandidatePairs.Position) throws -> Void = { _ in }
    ) throws {
        let scorer = scorer(model)
        for rule in candidates.rules.indices where rule >= start.rule {
            let blocks = candidates.blocks(rule: rule)
            var index = rule == start.rule ? start.block : 0
            while index < blocks.count {
                let end = min(blocks.count, index + blocksAtOnce)
                for scored in score(rule: rule, blocks: blocks[index..<end], scorer: scorer, floor: floor) { try pair(scored) }
                try finished(CandidatePairs.Position(rule: rule, block: end))
                index = end
            }
        }
    }

    /// Scores a run of blocks of one rule on every core. The pairs at or above `floor` come
    /// back in block order, the same whatever the number of cores.
    public func score(rule: Int, blocks: ArraySlice<ArraySlice<Int32>>, scorer: PairScorer, floor: Double) -> [ScoredPair] {
        let workers = min(blocks.count, ProcessInfo.processInfo.activeProcessorCount)
        guard workers > 1 else {
            var pairs: [ScoredPair] = []
            scorer.withComparer { comparer in
                for block in blocks { score(rule: rule, block: block, comparer: comparer, floor: floor) { pairs.append($0) } }
            }
            return pairs
        }
        // Each worker writes only its own slot.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<[ScoredPair]>.allocate(capacity: workers)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let low = blocks.startIndex + blocks.count * worker / workers
            let high = blocks.startIndex + blocks.count * (worker + 1) / workers
            var pairs: [ScoredPair] = []
            scorer.withComparer { comparer in
                for index in low..<high {
                    score(rule: rule, block: blocks[index], comparer: comparer, floor: floor) { pairs.append($0) }
                }
            }
            (results.baseAddress! + worker).initialize(to: pairs)
        }
        defer { _ = results.baseAddress.map { $0.deinitialize(count: workers) } }
        return results.flatMap { $0 }
    }

    public func scorer(_ model: LinkageModel) -> PairScorer {
        PairScorer(table: table, model: model, frequencies: TermFrequencies(table, comparisons: comparisons))
    }

    /// Scores the pairs of one block, passing on those at or above `floor`.
    public func score(
        rule: Int, block: ArraySlice<Int32>, comparer: PairComparer, floor: Double, _ pair: (ScoredPair) throws -> Void
    ) rethrows {
        let floorWeight = LinkageModel.weight(probability: floor)
        try candidates.forEachPair(rule: rule, block: block) { i, j in
            let pattern = comparer.pattern(i, j)
            let weight = comparer.weight(pattern, i, j)
            if weight >= floorWeight { try pair(ScoredPair(left: i, right: j, weight: weight, pattern: pattern)) }
        }
    }
}

/// Records joined into entities through their links (union–find), so that A–B and B–C
/// make one person of A, B and C.
public struct EntityClusters: Sendable {
    private var parent: [Int32]

    public init(count: Int) {
        parent = (0..<Int32(count)).map { $0 }
    }

    public mutating func link(_ a: Int, _ b: Int) {
        let rootA = root(a), rootB = root(b)
        guard rootA != rootB else { return }
        // The lower record is the entity's representative, whatever the order of links.
        if rootA < rootB { parent[rootB] = Int32(rootA) } else { parent[rootA] = Int32(rootB) }
    }

    public mutating func root(_ record: Int) -> Int {
        var current = record
        while Int(parent[current]) != current {
            let next = Int(parent[current])
            parent[current] = parent[next]
            current = next
        }
        return current
    }

    /// The records of `table` on the right side that share an entity with no record on the
    /// left: the persons of a second list who are not in the first.
    public mutating func rightOnly(in table: LinkageTable) -> [Int] {
        var leftEntities = Set<Int>()
        for record in 0..<table.count where table.sides[record] == .left { leftEntities.insert(root(record)) }
        return (0..<table.count).filter { table.sides[$0] == .right && !leftEntities.contains(root($0)) }
    }

    /// The entities of more than one record, each a list of records in order.
    public mutating func entities() -> [[Int]] {
        var members: [Int: [Int]] = [:]
        for record in parent.indices { members[root(record), default: []].append(record) }
        return members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }
}

import Foundation

/// The linkage of persons: which comparisons and blocking rules to use for the fields the
/// sources hold, training, and the scoring of every candidate pair.
///
/// The same engine deduplicates the registry, links it to another programme's list, and
/// links any two files whose columns have been named (FEBRL's, for the benchmark).
public struct PersonLinkage: Sendable {
    public let records: any LinkageRecords
    public let rules: [BlockingRule]
    public let comparisons: [Comparison]
    public let mode: CandidatePairs.Mode
    /// Blocks larger than this are skipped and counted.
    public let largestBlock: Int
    /// Counts of the values of fields weighed by term frequency, over the whole list.
    let valueCounts: [LinkageField: ValueCounts]

    public init(records: any LinkageRecords, mode: CandidatePairs.Mode, largestBlock: Int = 2_000) {
        self.records = records
        self.mode = mode
        self.largestBlock = largestBlock
        comparisons = Self.comparisons(for: records.fieldsPresent, points: records.hasPoints)
        rules = Self.blockingRules(for: records.fieldsPresent)
        var counts: [LinkageField: ValueCounts] = [:]
        for case let field? in comparisons.filter(\.termFrequency).map(\.field) { counts[field] = records.valueCounts(field) }
        valueCounts = counts
    }

    public init(table: LinkageTable, mode: CandidatePairs.Mode, largestBlock: Int = 2_000) {
        self.init(records: table, mode: mode, largestBlock: largestBlock)
    }

    /// The candidate pairs of one part of a rule's records; earlier rules come along, to
    /// leave out the pairs they found.
    public func candidates(rule: Int, part: Int) throws -> CandidatePairs {
        CandidatePairs(table: try records.part(part, rule: rules[rule]), rules: Array(rules[...rule]), mode: mode,
                       largestBlock: largestBlock)
    }

    /// The number of pairs the whole list would give, the denominator of the prior.
    public var allPairs: Double {
        switch mode {
        case .deduplicate: return Double(records.count) * Double(records.count - 1) / 2
        case .link: return Double(records.leftCount) * Double(records.count - records.leftCount)
        }
    }

    /// One comparison per field held, with term frequencies where values repeat a lot
    /// (names, places) and a common value says less than a rare one.
    public static func comparisons(for fields: Set<LinkageField>, points: Bool) -> [Comparison] {
        // The household blocks but is not compared: its members are mostly kin, who share
        // it, a surname and a phone, and would weigh as one person.
        var comparisons = LinkageField.allCases.filter { fields.contains($0) && $0 != .household }.map { field -> Comparison in
            switch field {
            case .givenNames: Comparison(field, .givenNames, termFrequency: true)
            case .surnames: Comparison(field, .surnames, termFrequency: true)
            case .birthDate: Comparison(field, .date)
            case .idNumber, .phone: Comparison(field, .identifier)
            case .sex, .household: Comparison(field, .code)
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
            // The same person registered twice in one household: the commonest duplicate.
            BlockingRule(.field(.household)),
            BlockingRule(.firstWord(.surnames), .field(.locality), .prefix(.givenNames, 1)),
            BlockingRule(.field(.region), .field(.address)),
            // Coarse, so last: it only adds the pairs the others missed, and skips blocks too large.
            BlockingRule(.field(.postcode)),
        ]
        return rules.filter { $0.fields.isSubset(of: fields) }
    }

    /// Estimates the model from the records; `randomPairs` draws estimate u.
    public func train(randomPairs: Int = 1_000_000) throws -> (model: LinkageModel, summary: LinkageTraining.Summary) {
        var training = LinkageTraining(linkage: self)
        training.randomPairs = randomPairs
        return try training.train()
    }

    /// A scored candidate pair, left or earlier record first: places in the whole list
    /// and the records' own ids.
    public struct ScoredPair: Sendable, Equatable {
        public var left: Int
        public var right: Int
        public var leftID: String
        public var rightID: String
        public var weight: Double
        public var pattern: ComparisonPattern

        public var probability: Double { LinkageModel.probability(weight: weight) }

        init(_ table: LinkageTable, _ i: Int, _ j: Int, weight: Double, pattern: ComparisonPattern) {
            left = Int(table.positions[i])
            right = Int(table.positions[j])
            leftID = table.id(i)
            rightID = table.id(j)
            self.weight = weight
            self.pattern = pattern
        }
    }

    /// The candidate blocks from `start` on, a run of `blocksAtOnce` at a time.
    public func blockRuns(_ model: LinkageModel, from start: CandidatePairs.Position = .init(rule: 0, block: 0),
                          blocksAtOnce: Int = 4_096) -> BlockRuns {
        BlockRuns(linkage: self, model: model, start: start, blocksAtOnce: blocksAtOnce)
    }

    /// Scores every candidate pair from `start` on, passing on those at or above `floor`,
    /// and calls `finished` after each run of blocks, where a stopped run can resume.
    public func predict(
        _ model: LinkageModel, floor: Double, from start: CandidatePairs.Position = .init(rule: 0, block: 0),
        blocksAtOnce: Int = 4_096,
        pair: (ScoredPair) throws -> Void,
        finished: (CandidatePairs.Position) throws -> Void = { _ in }
    ) throws {
        var runs = blockRuns(model, from: start, blocksAtOnce: blocksAtOnce)
        while let run = try runs.next() {
            for scored in score(run, floor: floor) { try pair(scored) }
            try finished(run.end)
        }
    }

    /// Scores a run of blocks on every core. The pairs at or above `floor` come back in
    /// block order, the same whatever the number of cores.
    public func score(_ run: BlockRuns.Run, floor: Double) -> [ScoredPair] {
        let blocks = run.blocks
        let workers = min(blocks.count, ProcessInfo.processInfo.activeProcessorCount)
        // Each worker writes only its own slot.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<[ScoredPair]>.allocate(capacity: workers)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let low = blocks.startIndex + blocks.count * worker / workers
            let high = blocks.startIndex + blocks.count * (worker + 1) / workers
            var pairs: [ScoredPair] = []
            run.scorer.withComparer { comparer in
                for index in low..<high {
                    score(run.candidates, rule: run.rule, block: blocks[index], comparer: comparer, floor: floor) { pairs.append($0) }
                }
            }
            (results.baseAddress! + worker).initialize(to: pairs)
        }
        defer { _ = results.baseAddress.map { $0.deinitialize(count: workers) } }
        return results.flatMap { $0 }
    }

    /// A scorer for the records of one part, weighing values by their frequency in the whole.
    public func scorer(_ model: LinkageModel, for table: LinkageTable) -> PairScorer {
        PairScorer(table: table, model: model, frequencies: TermFrequencies(table, comparisons: comparisons) { field in
            valueCounts[field] ?? ValueCounts()
        })
    }

    /// Scores the pairs of one block, passing on those at or above `floor`.
    func score(
        _ candidates: CandidatePairs, rule: Int, block: ArraySlice<Int32>, comparer: PairComparer, floor: Double,
        _ pair: (ScoredPair) throws -> Void
    ) rethrows {
        let floorWeight = LinkageModel.weight(probability: floor)
        try candidates.forEachPair(rule: rule, block: block) { i, j in
            let pattern = comparer.pattern(i, j)
            let weight = comparer.weight(pattern, i, j)
            // Few pairs pass: the table is read for their places and ids only then.
            if weight >= floorWeight { try pair(ScoredPair(candidates.table, i, j, weight: weight, pattern: pattern)) }
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

    /// The records of a second list, appended after the `leftCount` records of the first,
    /// that share an entity with none of the first: the persons not in the first list.
    /// An entity's representative is its lowest record, so it holds a record of the first
    /// list exactly when its representative is one.
    public mutating func rightOnly(leftCount: Int) -> [Int] {
        (leftCount..<parent.count).filter { root($0) >= leftCount }
    }

    /// How many entities hold more than one record.
    public mutating func entityCount() -> Int {
        var joined = [Bool](repeating: false, count: parent.count)
        for record in parent.indices where root(record) != record { joined[root(record)] = true }
        return joined.count { $0 }
    }

    /// The entities of more than one record, each a list of records in order.
    public mutating func entities() -> [[Int]] {
        var members: [Int: [Int]] = [:]
        for record in parent.indices { members[root(record), default: []].append(record) }
        return members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }
}

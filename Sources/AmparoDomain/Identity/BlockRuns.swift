/// The candidate blocks of every rule from a position on, a run of blocks at a time, each
/// part of the records loaded when it is reached. Blocks are numbered across the parts
/// of a rule, as if the list were held whole, so the position after a run is where a
/// stopped run resumes. A file's linkage and the registry's resumable run both walk
/// the pairs this way.
public struct BlockRuns {
    /// Blocks of one rule and part, and the position reached once they are scored.
    public struct Run: Sendable {
        public let rule: Int
        public let candidates: CandidatePairs
        public let blocks: ArraySlice<ArraySlice<Int32>>
        public let scorer: PairScorer
        public let end: CandidatePairs.Position
    }

    let linkage: PersonLinkage
    let model: LinkageModel
    let start: CandidatePairs.Position
    let blocksAtOnce: Int
    private var rule: Int
    private var part = 0
    /// The number of the current part's first block within its rule.
    private var first = 0
    private var index = 0
    private var current: (candidates: CandidatePairs, blocks: [ArraySlice<Int32>], scorer: PairScorer)?

    init(linkage: PersonLinkage, model: LinkageModel, start: CandidatePairs.Position, blocksAtOnce: Int) {
        self.linkage = linkage
        self.model = model
        self.start = start
        self.blocksAtOnce = max(1, blocksAtOnce)
        rule = start.rule
    }

    public mutating func next() throws -> Run? {
        while true {
            if let current, index < current.blocks.count {
                let end = min(current.blocks.count, index + blocksAtOnce)
                defer { index = end }
                return Run(rule: rule, candidates: current.candidates, blocks: current.blocks[index..<end],
                           scorer: current.scorer, end: CandidatePairs.Position(rule: rule, block: first + end))
            }
            if let current {
                first += current.blocks.count
                part += 1
            }
            if part == linkage.records.parts {
                rule += 1
                part = 0
                first = 0
            }
            guard rule < linkage.rules.count else { return nil }
            let candidates = try linkage.candidates(rule: rule, part: part)
            let blocks = candidates.blocks(rule: rule)
            current = (candidates, blocks, linkage.scorer(model, for: candidates.table))
            index = rule == start.rule ? max(0, start.block - first) : 0
        }
    }
}

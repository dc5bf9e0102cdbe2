/// How long a job spent at each of its stages, from the moments it entered them: where a
/// benchmark's time went (checking the files, writing each, building indexes), which its
/// total alone does not say. A stage entered again adds to its first visit, and stages keep
/// the order they were first entered in.
public struct StageTimes: Sendable {
    public private(set) var stages: [(name: String, seconds: Double)] = []
    private var current: (index: Int, since: Double)?

    public init() {}

    /// The job is at `stage` from `seconds` on; nothing changes while it stays there.
    public mutating func enter(_ stage: String, at seconds: Double) {
        if let current, stages[current.index].name == stage { return }
        close(at: seconds)
        let index = stages.firstIndex { $0.name == stage } ?? {
            stages.append((stage, 0))
            return stages.count - 1
        }()
        current = (index, seconds)
    }

    /// The job ended at `seconds`.
    public mutating func finish(at seconds: Double) {
        close(at: seconds)
        current = nil
    }

    private mutating func close(at seconds: Double) {
        guard let current else { return }
        stages[current.index].seconds += max(0, seconds - current.since)
    }
}

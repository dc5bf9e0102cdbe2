/// What a run found in one population (the whole registry, an area, a group): how many
/// households or persons fell in each class, and for an MPI the Alkire–Foster sums.
public struct PopulationTally: Sendable, Hashable, Codable {
    /// Per class of the policy, in its order, `missing` last.
    public var classes: [Double]
    public var mpi: MPITally?

    public init(policy: TargetingPolicy) {
        classes = Array(repeating: 0, count: policy.classes.count)
        if case .mpi(let definition) = policy.method { mpi = MPITally(indicatorCount: definition.indicators.count) }
    }

    /// Adds one household's assessment, weighing it `weight` (1, or its number of members).
    @inline(__always)
    public mutating func add(_ assessment: Assessment, weight: Double) {
        classes[assessment.classIndex] += weight
        if mpi != nil {
            let isMissing = assessment.classIndex == classes.count - 1
            mpi!.add(deprived: assessment.deprived, scoreUnits: assessment.scoreUnits,
                     isPoor: assessment.classIndex == 0, isMissing: isMissing, weight: weight)
        }
    }

    public mutating func merge(_ other: PopulationTally) {
        for index in classes.indices { classes[index] += other.classes[index] }
        if let other = other.mpi { mpi?.merge(other) }
    }
}

/// How a population is counted: each household once, or each person.
public enum Weighting: String, Sendable, CaseIterable, Codable {
    case households, persons
}

/// The sums behind the Alkire–Foster figures of one population (the whole, an area, a
/// group), weighted by households, by persons, or by a survey's sampling weights.
///
/// Tallies of parts merge into the tally of the whole exactly (counts are whole numbers,
/// which a `Double` holds exactly up to 2⁵³), so every decomposition adds up.
public struct MPITally: Sendable, Hashable, Codable {
    /// The population assessed: households (or persons) with every indicator known.
    public var population: Double = 0
    /// Those of them who are poor.
    public var poor: Double = 0
    /// Σ weight × deprivation score of the poor, in the engine's score units.
    public var poorScoreUnits: Double = 0
    /// Per indicator: the population deprived in it (uncensored).
    public var deprived: [Double]
    /// Per indicator: the population poor and deprived in it (censored).
    public var poorDeprived: [Double]
    /// Left out of the figures because an indicator could not be decided.
    public var missing: Double = 0

    public init(indicatorCount: Int) {
        deprived = Array(repeating: 0, count: indicatorCount)
        poorDeprived = Array(repeating: 0, count: indicatorCount)
    }

    /// Adds one unit of the population: its deprivations, its score and whether it is poor.
    @inline(__always)
    public mutating func add(deprived mask: UInt64, scoreUnits: Int64, isPoor: Bool, isMissing: Bool, weight: Double) {
        if isMissing {
            missing += weight
            return
        }
        population += weight
        if isPoor {
            poor += weight
            poorScoreUnits += weight * Double(scoreUnits)
        }
        var bits = mask
        while bits != 0 {
            let index = bits.trailingZeroBitCount
            deprived[index] += weight
            if isPoor { poorDeprived[index] += weight }
            bits &= bits - 1
        }
    }

    public mutating func merge(_ other: MPITally) {
        population += other.population
        poor += other.poor
        poorScoreUnits += other.poorScoreUnits
        missing += other.missing
        for index in deprived.indices {
            deprived[index] += other.deprived[index]
            poorDeprived[index] += other.poorDeprived[index]
        }
    }

    /// H, A, M0, headcounts and contributions, for indicator weights counted in `denominator` units.
    public func figures(weights: [Fraction], denominator: Int64) -> MPIFigures {
        let n = population, q = poor
        let headcount = n > 0 ? q / n : 0
        let intensity = q > 0 ? poorScoreUnits / (q * Double(denominator)) : 0
        let adjusted = n > 0 ? poorScoreUnits / (n * Double(denominator)) : 0
        let uncensored = deprived.map { n > 0 ? $0 / n : 0 }
        let censored = poorDeprived.map { n > 0 ? $0 / n : 0 }
        let contributions = zip(weights, censored).map { weight, share in
            adjusted > 0 ? weight.doubleValue * share / adjusted : 0
        }
        return MPIFigures(population: n, poor: q, missing: missing, headcountRatio: headcount, intensity: intensity,
                          adjustedHeadcountRatio: adjusted, uncensoredHeadcounts: uncensored,
                          censoredHeadcounts: censored, contributions: contributions)
    }
}

/// The Alkire–Foster figures of one population.
public struct MPIFigures: Sendable, Hashable, Codable {
    public var population: Double
    public var poor: Double
    public var missing: Double
    /// H = q / n, the incidence of poverty.
    public var headcountRatio: Double
    /// A, the mean deprivation score of the poor.
    public var intensity: Double
    /// M0 = H × A.
    public var adjustedHeadcountRatio: Double
    /// Per indicator: the share deprived in it.
    public var uncensoredHeadcounts: [Double]
    /// Per indicator: the share poor and deprived in it.
    public var censoredHeadcounts: [Double]
    /// Per indicator: its share of M0; they add up to 1.
    public var contributions: [Double]

    enum CodingKeys: String, CodingKey {
        case population, poor, missing
        case headcountRatio = "h", intensity = "a", adjustedHeadcountRatio = "m0"
        case uncensoredHeadcounts = "uncensored_headcounts", censoredHeadcounts = "censored_headcounts", contributions
    }
}

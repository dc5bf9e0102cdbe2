/// The Alkire–Foster method over any table, as analysts apply it to household survey
/// microdata: a column per indicator with a deprivation cut-off and a weight, optional
/// sampling weights, a poverty cut-off k, and figures for the whole and per group.
public struct SurveyMPI: Sendable {
    /// One indicator: a column, deprived when its value is below `cutoff`, or, without a
    /// cut-off, a column that already holds 1 for deprived and 0 for not.
    public struct Indicator: Sendable, Hashable {
        public var column: String
        public var cutoff: Fraction?
        public var weight: Fraction

        public init(column: String, cutoff: Fraction?, weight: Fraction) {
            self.column = column
            self.cutoff = cutoff
            self.weight = weight
        }

        /// Reads `COLUMN:CUTOFF:WEIGHT`, or `COLUMN::WEIGHT` for a 0/1 column.
        public init(argument: String) throws(PolicyError) {
            let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            let path = PolicyPath.root.key("indicator \(argument)")
            guard parts.count == 3, !parts[0].isEmpty else {
                throw PolicyError(path, "write COLUMN:CUTOFF:WEIGHT (deprived below the cut-off) or COLUMN::WEIGHT (a 0/1 column)")
            }
            guard parts[1].isEmpty || Fraction(parsing: parts[1]) != nil else {
                throw PolicyError(path, "the cut-off \"\(parts[1])\" is not a number")
            }
            guard let weight = Fraction(parsing: parts[2]), weight > .zero else {
                throw PolicyError(path, "the weight \"\(parts[2])\" is not a number above 0, such as 0.25 or 1/4")
            }
            self.init(column: parts[0], cutoff: parts[1].isEmpty ? nil : Fraction(parsing: parts[1]), weight: weight)
        }
    }

    public let indicators: [Indicator]
    public let k: Fraction
    /// The column with each row's sampling weight; every row weighs 1 without it.
    public let weightColumn: String?
    /// The column whose values split the population into groups.
    public let groupColumn: String?
    /// Weights and scores are counted in units of 1/denominator.
    public let denominator: Int64
    let units: [Int64]

    public init(indicators: [Indicator], k: Fraction, weightColumn: String? = nil, groupColumn: String? = nil) throws(PolicyError) {
        guard !indicators.isEmpty, indicators.count <= 64 else { throw PolicyError(.root, "give between 1 and 64 indicators") }
        let total = indicators.reduce(Fraction.zero) { $0 + $1.weight }
        guard total == .one else {
            throw PolicyError(.root, "the weights add up to \(total) (\(total.decimal(places: 6))), not 1")
        }
        guard k > .zero, k <= .one else { throw PolicyError(.root, "k must be above 0 and at most 1; it is \(k)") }
        self.indicators = indicators
        self.k = k
        self.weightColumn = weightColumn
        self.groupColumn = groupColumn
        let denominator = indicators.reduce(Int64(1)) { Fraction.lcm($0, $1.weight.denominator) }
        self.denominator = denominator
        units = indicators.map { $0.weight.numerator * (denominator / $0.weight.denominator) }
    }

    /// The figures of the whole and of each group.
    public struct Result: Sendable {
        public var whole: MPITally
        public var groups: [String: MPITally]
    }

    /// A cell that cannot be read, with its line (the header is line 1) and column.
    public struct CellError: Error, Sendable, CustomStringConvertible {
        public let line: Int
        public let column: String
        public let value: String
        public let reason: String
        public var description: String { "line \(line), column \(column) \"\(value)\": \(reason)" }
    }

    /// Adds rows one at a time, so a file of any size streams through.
    public struct Accumulator: Sendable {
        let survey: SurveyMPI
        let columns: [Int]
        let weightIndex: Int?
        let groupIndex: Int?
        public private(set) var result: Result

        /// Finds the columns in the header; the error names any that is absent.
        public init(survey: SurveyMPI, header: [String]) throws(PolicyError) {
            func index(_ name: String) throws(PolicyError) -> Int {
                guard let index = header.firstIndex(of: name) else {
                    throw PolicyError(.root, "the file has no column \"\(name)\"; its columns are \(header.joined(separator: ", "))")
                }
                return index
            }
            var columns: [Int] = []
            for indicator in survey.indicators { columns.append(try index(indicator.column)) }
            self.survey = survey
            self.columns = columns
            weightIndex = try survey.weightColumn.map { name throws(PolicyError) in try index(name) }
            groupIndex = try survey.groupColumn.map { name throws(PolicyError) in try index(name) }
            result = Result(whole: MPITally(indicatorCount: survey.indicators.count), groups: [:])
        }

        /// Adds one row; `line` is its line in the file, for errors. An empty indicator cell
        /// leaves the row out of the figures and counts it as missing.
        public mutating func add(_ row: [String], line: Int) throws(CellError) {
            var weight = 1.0
            if let weightIndex {
                let cell = weightIndex < row.count ? row[weightIndex] : ""
                guard let value = Double(cell), value >= 0, value.isFinite else {
                    throw CellError(line: line, column: survey.weightColumn!, value: cell, reason: "a sampling weight must be a number, 0 or more")
                }
                weight = value
            }
            var mask: UInt64 = 0, score: Int64 = 0, missing = false
            for (position, column) in columns.enumerated() {
                let cell = column < row.count ? row[column] : ""
                if cell.isEmpty { missing = true; continue }
                let indicator = survey.indicators[position]
                let isDeprived: Bool
                if let cutoff = indicator.cutoff {
                    if let exact = Fraction(parsing: cell) {
                        isDeprived = exact < cutoff
                    } else if let value = Double(cell), value.isFinite {
                        isDeprived = value < cutoff.doubleValue
                    } else {
                        throw CellError(line: line, column: indicator.column, value: cell, reason: "is not a number")
                    }
                } else {
                    switch cell {
                    case "1": isDeprived = true
                    case "0": isDeprived = false
                    default: throw CellError(line: line, column: indicator.column, value: cell, reason: "a deprivation column holds 0 or 1")
                    }
                }
                if isDeprived {
                    mask |= 1 << UInt64(position)
                    score += survey.units[position]
                }
            }
            let isPoor = Int128(score) * Int128(survey.k.denominator) >= Int128(survey.k.numerator) * Int128(survey.denominator)
            result.whole.add(deprived: mask, scoreUnits: score, isPoor: isPoor, isMissing: missing, weight: weight)
            if let groupIndex {
                let group = groupIndex < row.count ? row[groupIndex] : ""
                result.groups[group, default: MPITally(indicatorCount: columns.count)]
                    .add(deprived: mask, scoreUnits: score, isPoor: isPoor, isMissing: missing, weight: weight)
            }
        }
    }
}

extension SurveyMPI {
    /// Reads a survey MPI definition from JSON:
    /// `{"k": "1/3", "indicators": [{"column": "schooling", "cutoff": "6", "weight": "1/6"}, …],
    ///   "weight_column": "w", "group_by": "region"}`.
    public static func read(_ text: some Collection<UInt8>) throws(PolicyError) -> SurveyMPI {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw PolicyError(.root, "not valid JSON at \(error)") }
        guard case .array(let items)? = json["indicators"] else {
            throw PolicyError(PolicyPath.root.key("indicators"), "needs a list of {column, cutoff, weight}")
        }
        var indicators: [Indicator] = []
        for (index, item) in items.enumerated() {
            let at = PolicyPath.root.key("indicators").index(index)
            guard case .string(let column)? = item["column"] else { throw PolicyError(at.key("column"), "needs a column name") }
            let cutoff = try item["cutoff"].map { value throws(PolicyError) in try fraction(value, at: at.key("cutoff")) }
            guard let weight = item["weight"] else { throw PolicyError(at.key("weight"), "needs a weight") }
            indicators.append(Indicator(column: column, cutoff: cutoff, weight: try fraction(weight, at: at.key("weight"))))
        }
        guard let k = json["k"] else { throw PolicyError(PolicyPath.root.key("k"), "needs the poverty cut-off k") }
        var weightColumn: String?, groupColumn: String?
        if case .string(let name)? = json["weight_column"] { weightColumn = name }
        if case .string(let name)? = json["group_by"] { groupColumn = name }
        return try SurveyMPI(indicators: indicators, k: try fraction(k, at: PolicyPath.root.key("k")),
                             weightColumn: weightColumn, groupColumn: groupColumn)
    }
}

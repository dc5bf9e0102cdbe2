/// Alkire–Foster figures for several populations (the whole, each area, each group), laid
/// out for people (a text table), for spreadsheets (CSV) and for programs (JSON).
public struct MPIReport: Sendable {
    /// The indicators' ids, in policy order: the columns of the headcounts and contributions.
    public var indicators: [String]
    public var rows: [Row]

    /// The figures of one population.
    public struct Row: Sendable {
        /// `all`, `area`, `zone`, `head_sex`, `head_ethnicity`, or a survey's group column.
        public var scope: String
        /// The area code or the group's value; empty for the whole.
        public var key: String
        /// What people call it (an area's name), or the key again.
        public var name: String
        /// `households`, `persons`, or `weighted` for sampling weights.
        public var weighting: String
        public var figures: MPIFigures

        public init(scope: String, key: String, name: String, weighting: String, figures: MPIFigures) {
            self.scope = scope
            self.key = key
            self.name = name
            self.weighting = weighting
            self.figures = figures
        }
    }

    public init(indicators: [String], rows: [Row]) {
        self.indicators = indicators
        self.rows = rows
    }

    public var csvHeader: [String] {
        ["scope", "key", "name", "weighting", "population", "poor", "missing", "h", "a", "m0"]
            + indicators.map { "uncensored_\($0)" } + indicators.map { "censored_\($0)" }
            + indicators.map { "contribution_\($0)" }
    }

    public func csvRecord(_ row: Row) -> [String] {
        let f = row.figures
        return [row.scope, row.key, row.name, row.weighting, Self.number(f.population), Self.number(f.poor),
                Self.number(f.missing), Self.ratio(f.headcountRatio), Self.ratio(f.intensity), Self.ratio(f.adjustedHeadcountRatio)]
            + f.uncensoredHeadcounts.map(Self.ratio) + f.censoredHeadcounts.map(Self.ratio) + f.contributions.map(Self.ratio)
    }

    /// RFC 4180 CSV, a row per population.
    public func csv() -> [UInt8] {
        var writer = CSVWriter()
        writer.writeRecord(csvHeader)
        for row in rows { writer.writeRecord(csvRecord(row)) }
        return writer.take()
    }

    /// A JSON array, an object per population, with the headcounts and contributions by indicator id.
    public func json() -> JSONValue {
        .array(rows.map { row in
            let f = row.figures
            func byIndicator(_ values: [Double]) -> JSONValue {
                .object(zip(indicators, values).map { ($0, .number(Self.ratio($1))) })
            }
            return .object([
                ("scope", .string(row.scope)), ("key", .string(row.key)), ("name", .string(row.name)),
                ("weighting", .string(row.weighting)), ("population", .number(Self.number(f.population))),
                ("poor", .number(Self.number(f.poor))), ("missing", .number(Self.number(f.missing))),
                ("h", .number(Self.ratio(f.headcountRatio))), ("a", .number(Self.ratio(f.intensity))),
                ("m0", .number(Self.ratio(f.adjustedHeadcountRatio))),
                ("uncensored_headcounts", byIndicator(f.uncensoredHeadcounts)),
                ("censored_headcounts", byIndicator(f.censoredHeadcounts)),
                ("contributions", byIndicator(f.contributions)),
            ])
        })
    }

    /// A plain text table for a terminal: H, A and M0 per population, then the headcounts
    /// and contributions of the first row (the whole).
    public func table() -> String {
        var lines = [Self.pad(["population", "weighting", "n", "poor", "missing", "H", "A", "M0"], [28, 10, 12, 12, 9, 8, 8, 8])]
        for row in rows {
            let f = row.figures
            let label = row.scope == "all" ? "all" : "\(row.scope) \(row.name)"
            lines.append(Self.pad([label, row.weighting, Self.number(f.population), Self.number(f.poor), Self.number(f.missing),
                                   Self.fixed(f.headcountRatio), Self.fixed(f.intensity), Self.fixed(f.adjustedHeadcountRatio)],
                                  [28, 10, 12, 12, 9, 8, 8, 8]))
        }
        if let whole = rows.first {
            lines.append("")
            lines.append(Self.pad(["indicator (\(whole.name), \(whole.weighting))", "uncensored", "censored", "contribution"],
                                  [40, 12, 12, 12]))
            for (index, indicator) in indicators.enumerated() {
                let f = whole.figures
                lines.append(Self.pad([indicator, Self.fixed(f.uncensoredHeadcounts[index]), Self.fixed(f.censoredHeadcounts[index]),
                                       Self.fixed(f.contributions[index])], [40, 12, 12, 12]))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Counts as whole numbers when they are, else with up to six decimals.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return ratio(value)
    }

    /// Six decimals, trailing zeros dropped: enough for any ratio, stable for comparisons.
    static func ratio(_ value: Double) -> String {
        Fraction(Int64((value * 1_000_000).rounded()), 1_000_000).shortDecimal(places: 6)
    }

    static func fixed(_ value: Double) -> String {
        Fraction(Int64((value * 10_000).rounded()), 10_000).decimal(places: 4)
    }

    static func pad(_ cells: [String], _ widths: [Int]) -> String {
        zip(cells, widths).map { cell, width in
            cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined().trimmingTrailingSpaces()
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

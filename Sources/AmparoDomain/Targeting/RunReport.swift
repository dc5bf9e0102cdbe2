/// The figures of a targeting run: for each population (the whole, each area, each group),
/// counted by households and by persons, how many fell in each class and, for an MPI, the
/// Alkire–Foster figures.
public struct RunReport: Sendable {
    public var policy: TargetingPolicy
    public var rows: [Row]

    public struct Row: Sendable {
        public var scope: String
        public var key: String
        public var name: String
        public var weighting: Weighting
        public var tally: PopulationTally
        /// For an area, its level in the hierarchy (`region`, `municipality`, …).
        public var level: AreaLevel?

        public init(scope: String, key: String, name: String, weighting: Weighting, tally: PopulationTally,
                    level: AreaLevel? = nil) {
            self.scope = scope
            self.key = key
            self.name = name
            self.weighting = weighting
            self.tally = tally
            self.level = level
        }
    }

    public init(policy: TargetingPolicy, rows: [Row]) {
        self.policy = policy
        self.rows = rows
    }

    /// The Alkire–Foster side of the report; nil unless the policy is an MPI.
    public var mpi: MPIReport? {
        guard case .mpi(let definition) = policy.method else { return nil }
        let weights = definition.indicators.map(\.weight)
        let denominator = definition.scoreDenominator
        return MPIReport(indicators: definition.indicators.map(\.id), rows: rows.compactMap { row in
            row.tally.mpi.map {
                MPIReport.Row(scope: row.scope, key: row.key, name: row.name, weighting: row.weighting.rawValue,
                              figures: $0.figures(weights: weights, denominator: denominator))
            }
        })
    }

    public func csv() -> [UInt8] {
        var writer = CSVWriter()
        let classes = policy.classes.map { "class_\($0.id)" }
        let mpi = self.mpi
        writer.writeRecord(["scope", "key", "name", "weighting"] + classes + (mpi.map { Array($0.csvHeader.dropFirst(4)) } ?? []))
        for (index, row) in rows.enumerated() {
            var record = [row.scope, row.key, row.name, row.weighting.rawValue] + row.tally.classes.map(MPIReport.number)
            if let mpi { record += mpi.csvRecord(mpi.rows[index]).dropFirst(4) }
            writer.writeRecord(record)
        }
        return writer.take()
    }

    public func json() -> JSONValue {
        let figures = mpi?.json()
        var items: [JSONValue] = []
        for (index, row) in rows.enumerated() {
            var members: [(String, JSONValue)] = [
                ("scope", .string(row.scope)), ("key", .string(row.key)), ("name", .string(row.name)),
                ("weighting", .string(row.weighting.rawValue)),
                ("classes", .object(zip(policy.classes, row.tally.classes).map { ($0.id, .number(MPIReport.number($1))) })),
            ]
            if case .array(let all)? = figures, case .object(let mpiMembers) = all[index] {
                members.append(("mpi", .object(mpiMembers.filter { !["scope", "key", "name", "weighting"].contains($0.0) })))
            }
            items.append(.object(members))
        }
        return .object([("policy", .string(policy.reference)), ("populations", .array(items))])
    }

    public func table(language: Language = .en) -> String {
        if let mpi { return mpi.table() }
        let widths = [28, 10] + policy.classes.map { _ in 14 }
        var lines = [MPIReport.pad(["population", "weighting"] + policy.classes.map { $0.title[language] }, widths)]
        for row in rows {
            let label = row.scope == "all" ? "all" : "\(row.scope) \(row.name)"
            lines.append(MPIReport.pad([label, row.weighting.rawValue] + row.tally.classes.map(MPIReport.number), widths))
        }
        return lines.joined(separator: "\n")
    }
}

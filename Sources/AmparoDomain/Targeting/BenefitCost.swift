/// What a benefit would cost, per payment, if it went to the households a run puts in some
/// of its classes: for the whole and for every area and group of the run's report. It answers
/// the programme manager's question before a policy or a threshold is enacted.
public struct BenefitCost: Sendable, Equatable {
    /// Who the amount is paid to: each household once, or each of its members.
    public enum Recipient: String, Sendable, CaseIterable {
        case household, person
    }

    /// The amount, in hundredths of the currency unit, so that totals stay exact.
    public var amount: Int64
    public var recipient: Recipient
    /// The class ids that receive it.
    public var classes: [String]
    public var lines: [Line]

    public struct Line: Sendable, Equatable {
        public var scope: String
        public var key: String
        public var name: String
        public var households: Int64
        public var persons: Int64
        /// In hundredths.
        public var cost: Int64
    }

    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case amount
        case unknownClass(String, known: [String])
        case tooLarge

        public var description: String {
            switch self {
            case .amount: "the benefit must be an amount above 0, with at most two decimals"
            case .unknownClass(let id, let known): "\"\(id)\" is not a class of the run's policy; its classes are \(known.joined(separator: ", "))"
            case .tooLarge: "the cost is too large to count"
            }
        }
    }

    /// `classes` empty means the policy's first class (the poor, the eligible, group A…).
    public init(report: RunReport, amount: Int64, recipient: Recipient, classes: [String]) throws(Problem) {
        guard amount > 0 else { throw .amount }
        let known = report.policy.classes.map(\.id)
        let chosen = classes.isEmpty ? [known[0]] : classes
        var selected: [Int] = []
        for id in chosen {
            guard let index = known.firstIndex(of: id) else { throw .unknownClass(id, known: known) }
            selected.append(index)
        }
        self.amount = amount
        self.recipient = recipient
        self.classes = chosen
        // A report has a row per population and way of counting: pair them up.
        var order: [String] = []
        var counts: [String: (row: RunReport.Row, households: Double, persons: Double)] = [:]
        for row in report.rows {
            let id = row.scope + "\u{0}" + row.key
            let covered = selected.reduce(0.0) { $0 + row.tally.classes[$1] }
            if counts[id] == nil { order.append(id); counts[id] = (row, 0, 0) }
            if row.weighting == .households { counts[id]!.households = covered } else { counts[id]!.persons = covered }
        }
        var lines: [Line] = []
        for id in order {
            guard let entry = counts[id] else { continue }
            let households = Int64(entry.households.rounded()), persons = Int64(entry.persons.rounded())
            let (cost, overflow) = (recipient == .household ? households : persons).multipliedReportingOverflow(by: amount)
            guard !overflow else { throw .tooLarge }
            lines.append(Line(scope: entry.row.scope, key: entry.row.key, name: entry.row.name,
                              households: households, persons: persons, cost: cost))
        }
        self.lines = lines
    }
}

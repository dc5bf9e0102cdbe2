/// A targeting policy: how households are scored and sorted into classes.
///
/// A policy is data, read from a JSON file (see `docs/targeting-policies.md`), and once
/// published it never changes: a new version is a new policy, so a run can always be
/// traced to the exact rules that produced it.
public struct TargetingPolicy: Sendable, Hashable {
    /// Lower-case letters, digits and `-`, e.g. `colombia-mpi`.
    public var name: String
    public var version: Int
    public var title: LocalizedText
    public var description: LocalizedText?
    /// Marks a policy shipped as an illustration (such as the example PMT), never to be enacted as is.
    public var isExample: Bool
    public var method: Method
    /// The JSON text the policy was read from, kept as published.
    public var source: JSONValue

    /// How a policy scores a household.
    public enum Method: Sendable, Hashable {
        case mpi(MPIDefinition)
        case proxyMeansTest(ProxyMeansTest)
        case rules(EligibilityRules)
        case climate(ClimateVulnerabilityIndex)
    }

    /// `name@version`, as runs and compositions cite it.
    public var reference: String { "\(name)@\(version)" }

    /// The kind as written in the file: `composition` stays itself, though it runs as rules.
    public var kind: String {
        if case .string(let written)? = source["kind"] { return written }
        return switch method {
        case .mpi: "mpi"
        case .proxyMeansTest: "pmt"
        case .rules: "rules"
        case .climate: "climate"
        }
    }

    /// The classes a household can be put in, in order; `missing` comes last for every policy.
    public var classes: [PolicyClass] {
        let assessed: [PolicyClass]
        switch method {
        case .mpi:
            assessed = [PolicyClass.poor, PolicyClass.notPoor]
        case .proxyMeansTest(let test):
            assessed = test.groups.map { PolicyClass(id: $0.id, title: $0.title) }
        case .rules:
            assessed = [PolicyClass.eligible, PolicyClass.notEligible]
        case .climate(let index):
            assessed = index.classes.map { PolicyClass(id: $0.id, title: $0.title) }
        }
        return assessed + [PolicyClass.missing]
    }
}

/// A class a policy sorts households into.
public struct PolicyClass: Sendable, Hashable {
    public var id: String
    public var title: LocalizedText

    public static let poor = PolicyClass(id: "poor", title: LocalizedText(es: "pobre", pt: "pobre", en: "poor"))
    public static let notPoor = PolicyClass(id: "not_poor", title: LocalizedText(es: "no pobre", pt: "não pobre", en: "not poor"))
    public static let eligible = PolicyClass(id: "eligible", title: LocalizedText(es: "elegible", pt: "elegível", en: "eligible"))
    public static let notEligible = PolicyClass(
        id: "not_eligible", title: LocalizedText(es: "no elegible", pt: "não elegível", en: "not eligible"))
    public static let missing = PolicyClass(
        id: "missing",
        title: LocalizedText(es: "faltan datos", pt: "faltam dados", en: "data missing"))
}

/// An Alkire–Foster multidimensional poverty index.
public struct MPIDefinition: Sendable, Hashable {
    /// The poverty cut-off: a household is poor when its weighted deprivations reach k.
    public var k: Fraction
    public var dimensions: [Dimension]
    public var indicators: [Indicator]

    /// The unit scores are counted in: the least common denominator of the weights (100 for
    /// weights in hundredths, 18 for the global MPI's), so that every score is a whole number.
    public var scoreDenominator: Int64 {
        indicators.reduce(Int64(1)) { Fraction.lcm($0, $1.weight.denominator) }
    }

    public struct Dimension: Sendable, Hashable {
        public var id: String
        public var title: LocalizedText
    }

    public struct Indicator: Sendable, Hashable {
        public var id: String
        public var dimension: String
        public var title: LocalizedText
        public var weight: Fraction
        public var deprivedWhen: Condition
    }
}

/// A proxy means test: a predicted welfare (usually log income per person) from household
/// variables, cut into groups by thresholds.
public struct ProxyMeansTest: Sendable, Hashable {
    public var intercept: Fraction
    public var variables: [Variable]
    /// From the poorest up; each but the last has an upper threshold, exclusive.
    public var groups: [Group]

    public struct Variable: Sendable, Hashable {
        public var id: String
        public var title: LocalizedText
        public var coefficient: Fraction
        public var value: Quantity
    }

    public struct Group: Sendable, Hashable {
        public var id: String
        public var title: LocalizedText
        /// The prediction is below this to be in the group; nil for the last group.
        public var below: Fraction?
    }

    /// What a variable measures of a household.
    public enum Quantity: Sendable, Hashable {
        /// 1 when the condition holds, else 0 (a one-hot code, a flag).
        case indicator(Condition)
        /// A numeric answer of the household.
        case field(String)
        case members
        /// The natural logarithm of the number of members.
        case logMembers
        case countMembers(Condition.MemberScope)
        case shareOfMembers(Condition.MemberScope)
    }
}

/// Categorical eligibility rules, and compositions of other policies' classes.
public struct EligibilityRules: Sendable, Hashable {
    public var eligibleWhen: Condition
}

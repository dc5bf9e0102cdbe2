/// A condition over a household's data, as a policy file writes it.
///
/// The grammar is small and closed so that every policy can be checked before it is
/// published, evaluated fast over millions of households, and explained in words:
///
/// - `{"field": "floor", "in": ["earth"]}`: an answer of the household, or of a person
///   inside a member condition (where `age` is the person's age at the reference date);
///   the test is one of `in`, `not_in`, `equals`, `at_least`, `at_most`, `below`, `above`;
/// - `{"sum": {"age": 1, "schooling_years": -1}, "plus": -6, "at_least": 2}`: a linear sum
///   with whole coefficients;
/// - `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`;
/// - `{"by_zone": {"urban": {...}, "rural": {...}}}`;
/// - `{"any_member": {"aged": [15, null], "where": {...}}}` and `{"no_member": ...}`; a
///   household with no member of those ages is never deprived by them;
/// - `{"count_members": {"aged": [0, 17]}, "at_least": 1}`;
/// - `{"mean_of_members": {"aged": [15, null], "field": "schooling_years"}, "below": 9}`;
/// - `{"count_of": ["asset_radio", "asset_tv"], "at_most": 1}`: how many of these flags are 1;
/// - `{"members_per": "sleeping_rooms", "at_least": 3, "when_zero": true}`;
/// - `{"area_in": ["11", "12101"]}`: the household lives in one of these areas or below;
/// - `{"policy": "colombia-mpi", "class_in": ["poor"]}`: the class another policy gives.
public indirect enum Condition: Sendable, Hashable {
    case field(String, Test)
    case sum(terms: [Term], plus: Int64, Test)
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case byZone(urban: Condition, rural: Condition)
    case anyMember(MemberScope)
    case noMember(MemberScope)
    case countMembers(MemberScope, Test)
    case meanOfMembers(MemberScope, field: String, Test)
    case countOf([String], Test)
    case membersPer(String, Test, whenZero: Bool)
    case areaIn([String])
    case policyClass(policy: String, classes: [String])

    /// One term of a linear sum.
    public struct Term: Sendable, Hashable {
        public var field: String
        public var coefficient: Int64
    }

    /// Which members a member condition looks at: by age, and by a condition on each.
    public struct MemberScope: Sendable, Hashable {
        public var minimumAge: Int?
        public var maximumAge: Int?
        public var condition: Condition?
    }

    /// What an answer is compared with.
    public enum Test: Sendable, Hashable {
        case oneOf([String])
        case noneOf([String])
        case compare(Comparison, Fraction)
    }

    public enum Comparison: String, Sendable, Hashable {
        case equals, atLeast = "at_least", atMost = "at_most", below, above
    }

    /// The names of the policies this condition reads the class of.
    var policiesNamed: [String] {
        switch self {
        case .policyClass(let policy, _): [policy]
        case .all(let parts), .any(let parts): parts.flatMap(\.policiesNamed)
        case .not(let part): part.policiesNamed
        case .byZone(let urban, let rural): urban.policiesNamed + rural.policiesNamed
        default: []
        }
    }
}

extension Condition {
    /// Reads a condition from its JSON form; the error names the place in the file.
    static func read(_ json: JSONValue, at path: PolicyPath) throws(PolicyError) -> Condition {
        guard case .object(let members) = json else { throw PolicyError(path, "a condition must be a JSON object") }
        let keys = Set(members.map(\.0))
        func value(_ key: String) -> JSONValue { json[key]! }
        func only(_ allowed: Set<String>) throws(PolicyError) {
            if let extra = keys.subtracting(allowed).sorted().first {
                throw PolicyError(path, "\"\(extra)\" does not belong in this condition")
            }
        }
        let testKeys: Set<String> = ["in", "not_in", "equals", "at_least", "at_most", "below", "above"]
        func test(_ extra: Set<String> = []) throws(PolicyError) -> Test {
            let given = keys.intersection(testKeys)
            guard given.count == 1, let key = given.first else {
                throw PolicyError(path, "give exactly one test: in, not_in, equals, at_least, at_most, below or above")
            }
            try only(extra.union([key]))
            return try Test.read(key, value(key), at: path.key(key))
        }
        if keys.contains("field") {
            guard case .string(let name) = value("field") else { throw PolicyError(path.key("field"), "must be a field name") }
            return .field(name, try test(["field"]))
        }
        if keys.contains("sum") {
            guard case .object(let pairs) = value("sum"), !pairs.isEmpty else {
                throw PolicyError(path.key("sum"), "must map field names to whole coefficients, e.g. {\"age\": 1}")
            }
            var terms: [Term] = []
            for (field, coefficient) in pairs {
                guard case .number(let digits) = coefficient, let whole = Int64(digits) else {
                    throw PolicyError(path.key("sum").key(field), "a coefficient must be a whole number")
                }
                terms.append(Term(field: field, coefficient: whole))
            }
            var plus: Int64 = 0
            if let constant = json["plus"] {
                guard case .number(let digits) = constant, let whole = Int64(digits) else {
                    throw PolicyError(path.key("plus"), "must be a whole number")
                }
                plus = whole
            }
            return .sum(terms: terms, plus: plus, try test(["sum", "plus"]))
        }
        if keys.contains("all") || keys.contains("any") {
            let key = keys.contains("all") ? "all" : "any"
            try only([key])
            guard case .array(let parts) = value(key), !parts.isEmpty else {
                throw PolicyError(path.key(key), "must be a non-empty list of conditions")
            }
            var conditions: [Condition] = []
            for (index, part) in parts.enumerated() { conditions.append(try read(part, at: path.key(key).index(index))) }
            return key == "all" ? .all(conditions) : .any(conditions)
        }
        if keys.contains("not") {
            try only(["not"])
            return .not(try read(value("not"), at: path.key("not")))
        }
        if keys.contains("by_zone") {
            try only(["by_zone"])
            let zones = value("by_zone")
            guard let urban = zones["urban"], let rural = zones["rural"] else {
                throw PolicyError(path.key("by_zone"), "needs a condition for \"urban\" and one for \"rural\"")
            }
            return .byZone(urban: try read(urban, at: path.key("by_zone").key("urban")),
                           rural: try read(rural, at: path.key("by_zone").key("rural")))
        }
        for key in ["any_member", "no_member"] where keys.contains(key) {
            try only([key])
            let scope = try MemberScope.read(value(key), at: path.key(key), requiresCondition: true)
            return key == "any_member" ? .anyMember(scope) : .noMember(scope)
        }
        if keys.contains("count_members") {
            let scope = try MemberScope.read(value("count_members"), at: path.key("count_members"), requiresCondition: false)
            return .countMembers(scope, try test(["count_members"]))
        }
        if keys.contains("mean_of_members") {
            let spec = value("mean_of_members")
            guard case .string(let field)? = spec["field"] else {
                throw PolicyError(path.key("mean_of_members"), "needs \"field\": the answer to average")
            }
            let scope = try MemberScope.read(spec, at: path.key("mean_of_members"), requiresCondition: false, also: ["field"])
            return .meanOfMembers(scope, field: field, try test(["mean_of_members"]))
        }
        if keys.contains("count_of") {
            guard case .array(let names) = value("count_of"), !names.isEmpty else {
                throw PolicyError(path.key("count_of"), "must be a non-empty list of yes/no fields")
            }
            var fields: [String] = []
            for (index, name) in names.enumerated() {
                guard case .string(let field) = name else { throw PolicyError(path.key("count_of").index(index), "must be a field name") }
                fields.append(field)
            }
            return .countOf(fields, try test(["count_of"]))
        }
        if keys.contains("members_per") {
            guard case .string(let field) = value("members_per") else {
                throw PolicyError(path.key("members_per"), "must be a field name, e.g. \"sleeping_rooms\"")
            }
            var whenZero = true
            if let zero = json["when_zero"] {
                guard case .bool(let flag) = zero else { throw PolicyError(path.key("when_zero"), "must be true or false") }
                whenZero = flag
            }
            return .membersPer(field, try test(["members_per", "when_zero"]), whenZero: whenZero)
        }
        if keys.contains("area_in") {
            try only(["area_in"])
            return .areaIn(try strings(value("area_in"), at: path.key("area_in")))
        }
        if keys.contains("policy") {
            try only(["policy", "class_in"])
            guard case .string(let policy) = value("policy") else { throw PolicyError(path.key("policy"), "must be a policy name") }
            guard let classes = json["class_in"] else { throw PolicyError(path, "needs \"class_in\": the classes that count") }
            return .policyClass(policy: policy, classes: try strings(classes, at: path.key("class_in")))
        }
        throw PolicyError(path, "not a condition this version knows: expected one of field, sum, all, any, not, by_zone, "
            + "any_member, no_member, count_members, mean_of_members, count_of, members_per, area_in, policy")
    }
}

extension Condition.MemberScope {
    static func read(_ json: JSONValue, at path: PolicyPath, requiresCondition: Bool,
                     also: Set<String> = []) throws(PolicyError) -> Self {
        guard case .object(let members) = json else { throw PolicyError(path, "must be an object with \"aged\" and \"where\"") }
        if let extra = Set(members.map(\.0)).subtracting(also.union(["aged", "where"])).sorted().first {
            throw PolicyError(path, "\"\(extra)\" does not belong here; expected \"aged\" and \"where\"")
        }
        var scope = Self(minimumAge: nil, maximumAge: nil, condition: nil)
        if let aged = json["aged"] {
            guard case .array(let bounds) = aged, bounds.count == 2 else {
                throw PolicyError(path.key("aged"), "must be [youngest, oldest] in whole years, null for no bound")
            }
            func age(_ bound: JSONValue, _ index: Int) throws(PolicyError) -> Int? {
                switch bound {
                case .null: return nil
                case .number(let digits):
                    guard let years = Int(digits), (0...150).contains(years) else {
                        throw PolicyError(path.key("aged").index(index), "an age must be whole years from 0 to 150")
                    }
                    return years
                default: throw PolicyError(path.key("aged").index(index), "an age must be a whole number or null")
                }
            }
            scope.minimumAge = try age(bounds[0], 0)
            scope.maximumAge = try age(bounds[1], 1)
            if let low = scope.minimumAge, let high = scope.maximumAge, low > high {
                throw PolicyError(path.key("aged"), "the youngest age is above the oldest")
            }
        }
        if let condition = json["where"] {
            scope.condition = try Condition.read(condition, at: path.key("where"))
        } else if requiresCondition {
            throw PolicyError(path, "needs \"where\": the condition a member must meet")
        }
        return scope
    }
}

extension Condition.Test {
    static func read(_ key: String, _ json: JSONValue, at path: PolicyPath) throws(PolicyError) -> Self {
        switch key {
        case "in": return .oneOf(try strings(json, at: path))
        case "not_in": return .noneOf(try strings(json, at: path))
        default:
            let comparison = Condition.Comparison(rawValue: key)!
            if comparison == .equals, case .string(let code) = json, Fraction(parsing: code) == nil { return .oneOf([code]) }
            return .compare(comparison, try fraction(json, at: path))
        }
    }
}

/// A list of strings, or a clear error.
func strings(_ json: JSONValue, at path: PolicyPath) throws(PolicyError) -> [String] {
    guard case .array(let values) = json, !values.isEmpty else { throw PolicyError(path, "must be a non-empty list of text values") }
    var out: [String] = []
    for (index, value) in values.enumerated() {
        guard case .string(let text) = value else { throw PolicyError(path.index(index), "must be text in quotes") }
        out.append(text)
    }
    return out
}

/// A number written as JSON number or as text (`0.04`, `"0.04"`, `"1/18"`), read exactly.
func fraction(_ json: JSONValue, at path: PolicyPath) throws(PolicyError) -> Fraction {
    switch json {
    case .number(let digits), .string(let digits):
        guard let value = Fraction(parsing: digits) else {
            throw PolicyError(path, "\"\(digits)\" is not a number such as 0.04 or a fraction such as \"1/18\"")
        }
        return value
    default:
        throw PolicyError(path, "must be a number such as 0.04 or a fraction such as \"1/18\"")
    }
}

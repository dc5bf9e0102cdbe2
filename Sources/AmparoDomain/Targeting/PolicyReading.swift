extension TargetingPolicy {
    /// Reads a policy file (JSON text) and checks it: its structure, that weights are
    /// positive and add up to exactly 1, that k is in (0, 1], and, through `PolicyEngine`,
    /// that every field and code exists in the questionnaire.
    public static func read(_ text: some Collection<UInt8>, questionnaire: Questionnaire = .standard,
                            policies: [String: TargetingPolicy] = [:]) throws(PolicyError) -> TargetingPolicy {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            throw PolicyError(.root, "not valid JSON at \(error)")
        }
        let policy = try TargetingPolicy(json: json)
        _ = try PolicyEngine(policy: policy, questionnaire: questionnaire, policies: policies)
        return policy
    }

    init(json: JSONValue) throws(PolicyError) {
        let path = PolicyPath.root
        guard case .object(let members) = json else { throw PolicyError(path, "a policy must be a JSON object") }
        let allowed: Set<String> = ["name", "version", "title", "description", "example", "kind", "mpi", "pmt", "rules", "climate"]
        if let extra = Set(members.map(\.0)).subtracting(allowed).sorted().first {
            throw PolicyError(path.key(extra), "is not part of a policy; expected \(allowed.sorted().joined(separator: ", "))")
        }
        guard case .string(let name)? = json["name"], !name.isEmpty, name.count <= 60,
              name.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }) else {
            throw PolicyError(path.key("name"), "needs a name of lower-case letters, digits and '-', e.g. \"colombia-mpi\"")
        }
        guard case .number(let digits)? = json["version"], let version = Int(digits), version >= 1 else {
            throw PolicyError(path.key("version"), "needs a whole version number, 1 or more")
        }
        self.name = name
        self.version = version
        self.title = try localized(json["title"], at: path.key("title"))
        self.description = try json["description"].map { value throws(PolicyError) in
            try localized(value, at: path.key("description"))
        }
        switch json["example"] {
        case nil: isExample = false
        case .bool(let flag)?: isExample = flag
        default: throw PolicyError(path.key("example"), "must be true or false")
        }
        self.source = json
        guard case .string(let kind)? = json["kind"] else {
            throw PolicyError(path.key("kind"), "needs a kind: \"mpi\", \"pmt\", \"rules\", \"composition\" or \"climate\"")
        }
        switch kind {
        case "mpi":
            method = .mpi(try MPIDefinition(json: json["mpi"], at: path.key("mpi")))
        case "pmt":
            method = .proxyMeansTest(try ProxyMeansTest(json: json["pmt"], at: path.key("pmt")))
        case "rules", "composition":
            guard let rules = json["rules"], let condition = rules["eligible_when"] else {
                throw PolicyError(path.key("rules"), "needs {\"eligible_when\": condition}")
            }
            method = .rules(EligibilityRules(eligibleWhen: try Condition.read(condition, at: path.key("rules").key("eligible_when"))))
        case "climate":
            method = .climate(try ClimateVulnerabilityIndex(json: json["climate"], at: path.key("climate")))
        default:
            throw PolicyError(path.key("kind"), "\"\(kind)\" is not a kind of policy; expected mpi, pmt, rules, composition or climate")
        }
        for other in ["mpi", "pmt", "rules", "climate"] where json[other] != nil && other != (kind == "composition" ? "rules" : kind) {
            throw PolicyError(path.key(other), "does not belong in a policy of kind \(kind)")
        }
    }
}

extension MPIDefinition {
    init(json: JSONValue?, at path: PolicyPath) throws(PolicyError) {
        guard let json, case .object = json else { throw PolicyError(path, "needs the index: k, dimensions and indicators") }
        guard let kValue = json["k"] else { throw PolicyError(path.key("k"), "needs the poverty cut-off k") }
        k = try fraction(kValue, at: path.key("k"))
        guard k > .zero, k <= .one else {
            throw PolicyError(path.key("k"), "k must be above 0 and at most 1; it is \(k.decimal(places: 4))")
        }
        dimensions = []
        if let list = json["dimensions"] {
            guard case .array(let items) = list else { throw PolicyError(path.key("dimensions"), "must be a list") }
            for (index, item) in items.enumerated() {
                let at = path.key("dimensions").index(index)
                guard case .string(let id)? = item["id"] else { throw PolicyError(at.key("id"), "needs an id") }
                dimensions.append(Dimension(id: id, title: try localized(item["title"], at: at.key("title"))))
            }
        }
        guard case .array(let items)? = json["indicators"], !items.isEmpty else {
            throw PolicyError(path.key("indicators"), "needs a non-empty list of indicators")
        }
        guard items.count <= 64 else { throw PolicyError(path.key("indicators"), "at most 64 indicators") }
        indicators = []
        for (index, item) in items.enumerated() {
            let at = path.key("indicators").index(index)
            guard case .string(let id)? = item["id"], !id.isEmpty else { throw PolicyError(at.key("id"), "needs an id") }
            if indicators.contains(where: { $0.id == id }) { throw PolicyError(at.key("id"), "\"\(id)\" is used twice") }
            let dimension: String
            switch item["dimension"] {
            case .string(let name)?:
                guard dimensions.isEmpty || dimensions.contains(where: { $0.id == name }) else {
                    throw PolicyError(at.key("dimension"), "\"\(name)\" is not one of the dimensions listed")
                }
                dimension = name
            case nil: dimension = id
            default: throw PolicyError(at.key("dimension"), "must be a dimension id")
            }
            guard let weightValue = item["weight"] else { throw PolicyError(at.key("weight"), "needs a weight") }
            let weight = try fraction(weightValue, at: at.key("weight"))
            guard weight > .zero else { throw PolicyError(at.key("weight"), "a weight must be above 0") }
            guard let condition = item["deprived_when"] else {
                throw PolicyError(at.key("deprived_when"), "needs the condition under which a household is deprived")
            }
            indicators.append(Indicator(
                id: id, dimension: dimension, title: try localized(item["title"], at: at.key("title")),
                weight: weight, deprivedWhen: try Condition.read(condition, at: at.key("deprived_when"))))
        }
        let total = indicators.reduce(Fraction.zero) { $0 + $1.weight }
        guard total == .one else {
            throw PolicyError(path.key("indicators"), "the weights add up to \(total) (\(total.decimal(places: 6))), not 1")
        }
    }
}

extension ProxyMeansTest {
    init(json: JSONValue?, at path: PolicyPath) throws(PolicyError) {
        guard let json, case .object = json else { throw PolicyError(path, "needs intercept, variables and groups") }
        guard let interceptValue = json["intercept"] else { throw PolicyError(path.key("intercept"), "needs an intercept") }
        intercept = try fraction(interceptValue, at: path.key("intercept"))
        guard case .array(let items)? = json["variables"], !items.isEmpty else {
            throw PolicyError(path.key("variables"), "needs a non-empty list of variables")
        }
        variables = []
        for (index, item) in items.enumerated() {
            let at = path.key("variables").index(index)
            guard case .string(let id)? = item["id"], !id.isEmpty else { throw PolicyError(at.key("id"), "needs an id") }
            guard let coefficientValue = item["coefficient"] else { throw PolicyError(at.key("coefficient"), "needs a coefficient") }
            guard let value = item["value"] else { throw PolicyError(at.key("value"), "needs the value the coefficient multiplies") }
            variables.append(Variable(
                id: id, title: try localized(item["title"], at: at.key("title")),
                coefficient: try fraction(coefficientValue, at: at.key("coefficient")),
                value: try Quantity(json: value, at: at.key("value"))))
        }
        guard case .array(let groupItems)? = json["groups"], groupItems.count >= 2 else {
            throw PolicyError(path.key("groups"), "needs at least two groups, from the poorest up")
        }
        groups = []
        for (index, item) in groupItems.enumerated() {
            let at = path.key("groups").index(index)
            guard case .string(let id)? = item["id"], !id.isEmpty, id != "missing" else {
                throw PolicyError(at.key("id"), "needs an id (not \"missing\", which is kept for households that cannot be scored)")
            }
            let last = index == groupItems.count - 1
            var below: Fraction?
            if let threshold = item["below"] {
                guard !last else { throw PolicyError(at.key("below"), "the last group takes everyone above the others: no threshold") }
                below = try fraction(threshold, at: at.key("below"))
                if let previous = groups.last?.below, let below, below <= previous {
                    throw PolicyError(at.key("below"), "thresholds must rise from one group to the next")
                }
            } else if !last {
                throw PolicyError(at.key("below"), "every group but the last needs the threshold its prediction is below")
            }
            groups.append(Group(id: id, title: try localized(item["title"], at: at.key("title")), below: below))
        }
    }
}

extension ProxyMeansTest.Quantity {
    init(json: JSONValue, at path: PolicyPath) throws(PolicyError) {
        switch json {
        case .string("members"): self = .members
        case .string("log_members"): self = .logMembers
        case .object(let members) where members.count == 1 && members[0].0 == "field":
            guard case .string(let field) = members[0].1 else { throw PolicyError(path.key("field"), "must be a field name") }
            self = .field(field)
        case .object(let members) where members.count == 1 && members[0].0 == "count_members":
            self = .countMembers(try .read(members[0].1, at: path.key("count_members"), requiresCondition: false))
        case .object(let members) where members.count == 1 && members[0].0 == "share_of_members":
            self = .shareOfMembers(try .read(members[0].1, at: path.key("share_of_members"), requiresCondition: false))
        case .object(let members) where members.count == 1 && members[0].0 == "indicator":
            self = .indicator(try Condition.read(members[0].1, at: path.key("indicator")))
        default:
            throw PolicyError(path, "expected \"members\", \"log_members\", {\"field\": …}, {\"count_members\": …}, "
                + "{\"share_of_members\": …} or {\"indicator\": condition}")
        }
    }
}

/// A text in the three languages, all required: a policy is explained to people in each.
func localized(_ json: JSONValue?, at path: PolicyPath) throws(PolicyError) -> LocalizedText {
    guard let json else { throw PolicyError(path, "needs a text in es, pt and en") }
    var texts: [String: String] = [:]
    for language in Language.allCases {
        guard case .string(let text)? = json[language.rawValue], !text.isEmpty else {
            throw PolicyError(path.key(language.rawValue), "needs the text in \(language.rawValue)")
        }
        texts[language.rawValue] = text
    }
    return LocalizedText(es: texts["es"]!, pt: texts["pt"]!, en: texts["en"]!)
}

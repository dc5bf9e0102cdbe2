import Foundation

/// A policy compiled for scoring: it checks the policy against the questionnaire once, then
/// assesses household after household without allocating.
public struct PolicyEngine: Sendable {
    public let policy: TargetingPolicy
    /// What the engine reads of a household; fill `HouseholdFacts` in this layout.
    public let layout: FactLayout
    /// Policies a composition reads the class of, compiled on the same layout, in order.
    let parts: [Part]
    let method: CompiledMethod
    /// Every check of the policy and of its parts.
    let program: CheckProgram
    /// The hazard layers the policy (or a policy it composes) measures distances to.
    public let hazardLayerNames: Set<String>

    /// How many classes the policy has, the last being `missing` (`policy.classes` builds its list anew).
    let classCount: Int

    struct Part: Sendable {
        let policy: TargetingPolicy
        let method: CompiledMethod
        let classCount: Int
    }

    enum CompiledMethod: Sendable {
        /// `sweep` holds the checks a run answers without walking the program.
        case mpi(weights: [Int64], denominator: Int64, k: Fraction, checks: [CheckProgram.Entry], sweep: CheckProgram.Sweep)
        case proxyMeansTest(intercept: Double, variables: [(coefficient: Double, quantity: CompiledQuantity)], thresholds: [Double])
        case rules(CheckProgram.Entry)
        indirect case climate(CompiledClimate)
    }

    /// A climate vulnerability index, ready to score. Scores are exact: each factor counts
    /// in whole units of its own denominator, and the index in units of `denominator`, so
    /// that a household exactly at a class's threshold is in that class.
    struct CompiledClimate: Sendable {
        /// Per factor (housing, income, exposure): how many index units one unit of the
        /// factor is worth (its weight times the index's denominator over the factor's).
        let unitWeights: (housing: Int64, income: Int64, exposure: Int64)
        let denominator: Int64
        /// Points in units of 1/`housingDenominator`; the sum is capped at 1.
        let housing: [(points: Int64, check: CheckProgram.Entry)]
        let housingDenominator: Int64
        /// The proxy means test whose prediction the income factor reads.
        let incomeTest: CompiledMethod
        let incomeClassCount: Int
        /// Scores in units of 1/`incomeDenominator`.
        let incomeBands: [(below: Double?, score: Int64)]
        let incomeDenominator: Int64
        /// Per layer: its shapes on a grid (nil when the engine was built without layers, to
        /// check a policy) and its bands from the nearest up, scores in units of 1/`exposureDenominator`.
        let layers: [(layer: HazardIndex?, bands: [(within: Double, score: Int64)])]
        let exposureDenominator: Int64
        let latitudeSlot: Int
        let longitudeSlot: Int
        /// The score each class starts from, from the most vulnerable down.
        let thresholds: [Fraction]
    }

    enum CompiledQuantity: Sendable {
        case indicator(CheckProgram.Entry)
        case field(Int)
        case members
        case logMembers
        case countMembers(filter: CheckProgram.Entry)
        case shareOfMembers(filter: CheckProgram.Entry)
    }

    /// Compiles a policy; `policies` holds, by `name@version`, those a composition names.
    /// `hazards`, by name, are the layers a climate vulnerability index measures distances
    /// to; without them (to check a policy before it is published) exposure is not scored.
    public init(policy: TargetingPolicy, questionnaire: Questionnaire = .standard,
                policies: [String: TargetingPolicy] = [:], hazards: [String: HazardLayer]? = nil) throws(PolicyError) {
        var compiler = PolicyCompiler(questionnaire: questionnaire, policies: policies, hazards: hazards)
        let method = try compiler.compile(policy, depth: 0)
        self.policy = policy
        self.method = method
        self.parts = compiler.parts
        self.program = compiler.program
        self.classCount = policy.classes.count
        self.layout = compiler.layout
        self.hazardLayerNames = compiler.hazardLayerNames
    }

    /// The denominator MPI scores are counted in (100 for weights in hundredths); 1 otherwise.
    public var scoreDenominator: Int64 {
        if case .mpi(_, let denominator, _, _, _) = method { return denominator }
        if case .climate(let index) = method { return index.denominator }
        return 1
    }

    /// Scores one household.
    public func assess(_ facts: inout HouseholdFacts) -> Assessment {
        var trace = NoTrace()
        return assess(&facts, &trace)
    }

    func assess<Tracer: FactTracer>(_ facts: inout HouseholdFacts, _ tracer: inout Tracer) -> Assessment {
        if !parts.isEmpty {
            if facts.policyClasses.count != parts.count { facts.policyClasses = Array(repeating: 0, count: parts.count) }
            var quiet = NoTrace()
            for (index, part) in parts.enumerated() {
                facts.policyClasses[index] = part.method.assess(facts, program, classCount: part.classCount, &quiet).classIndex
            }
        }
        return method.assess(facts, program, classCount: classCount, &tracer)
    }
}

/// One household's result under a policy.
public struct Assessment: Sendable, Hashable {
    /// Position in `TargetingPolicy.classes`; the last is `missing`.
    public var classIndex: Int
    /// The deprivation score in units of the engine's `scoreDenominator` (MPI only).
    public var scoreUnits: Int64
    /// The prediction of a proxy means test.
    public var value: Double?
    /// Bit `j` set when the household is deprived in indicator `j` (MPI), or meets rule `j`.
    public var deprived: UInt64
    /// Bit `j` set when indicator `j` cannot be decided for lack of data.
    public var missing: UInt64

    public init(classIndex: Int, scoreUnits: Int64 = 0, value: Double? = nil, deprived: UInt64 = 0, missing: UInt64 = 0) {
        self.classIndex = classIndex
        self.scoreUnits = scoreUnits
        self.value = value
        self.deprived = deprived
        self.missing = missing
    }
}

extension PolicyEngine.CompiledMethod {
    func assess<Tracer: FactTracer>(_ facts: HouseholdFacts, _ program: CheckProgram, classCount: Int,
                                    _ tracer: inout Tracer) -> Assessment {
        let missingClass = classCount - 1
        switch self {
        case .mpi(let weights, let denominator, let k, let checks, let sweep):
            var units: Int64 = 0, deprived: UInt64 = 0, missing: UInt64 = 0, swept: UInt64 = 0
            // An explanation follows every member of every check, in the order of the checks.
            if !Tracer.followsEveryMember {
                (deprived, missing) = program.evaluate(sweep, facts)
                swept = sweep.bits
            }
            for index in checks.indices {
                let bit: UInt64 = 1 << UInt64(index)
                if swept & bit == 0 {
                    switch program.evaluate(checks[index], facts, member: 0, &tracer) {
                    case .yes: deprived |= bit
                    case .unknown: missing |= bit
                    case .no: break
                    }
                }
                if deprived & bit != 0 { units += weights[index] }
            }
            let poor = Int128(units) * Int128(k.denominator) >= Int128(k.numerator) * Int128(denominator)
            return Assessment(classIndex: missing != 0 ? missingClass : (poor ? 0 : 1),
                              scoreUnits: units, deprived: deprived, missing: missing)
        case .proxyMeansTest(let intercept, let variables, let thresholds):
            var prediction = intercept, missing: UInt64 = 0
            for (index, variable) in variables.enumerated() {
                if let value = variable.quantity.value(facts, program, &tracer) {
                    prediction += variable.coefficient * value
                } else {
                    missing |= 1 << UInt64(min(index, 63))
                }
            }
            if missing != 0 { return Assessment(classIndex: missingClass, missing: missing) }
            let group = thresholds.firstIndex { prediction < $0 } ?? thresholds.count
            return Assessment(classIndex: group, value: prediction)
        case .rules(let check):
            switch program.evaluate(check, facts, member: 0, &tracer) {
            case .yes: return Assessment(classIndex: 0, deprived: 1)
            case .no: return Assessment(classIndex: 1)
            case .unknown: return Assessment(classIndex: missingClass, missing: 1)
            }
        case .climate(let index):
            let factors = index.factors(facts, program, &tracer)
            guard factors.missing == 0, let housing = factors.housing, let income = factors.income, let exposure = factors.exposure else {
                return Assessment(classIndex: missingClass, deprived: factors.deprived, missing: factors.missing)
            }
            let units = index.unitWeights.housing * housing + index.unitWeights.income * income + index.unitWeights.exposure * exposure
            let group = index.thresholds.firstIndex { threshold in
                Int128(units) * Int128(threshold.denominator) >= Int128(threshold.numerator) * Int128(index.denominator)
            } ?? index.thresholds.count
            return Assessment(classIndex: group, scoreUnits: units, value: Double(units) / Double(index.denominator),
                              deprived: factors.deprived)
        }
    }
}

extension PolicyEngine.CompiledClimate {
    /// The three factors' scores in their units, nil where data is missing; `deprived` marks
    /// the housing weaknesses that hold (bits 0…), `missing` the factors that could not be
    /// scored (bit 0 housing, 1 income, 2 exposure).
    func factors<Tracer: FactTracer>(_ facts: HouseholdFacts, _ program: CheckProgram, _ tracer: inout Tracer)
        -> (housing: Int64?, income: Int64?, exposure: Int64?, deprived: UInt64, missing: UInt64) {
        var missing: UInt64 = 0, deprived: UInt64 = 0
        var points: Int64 = 0, housingKnown = true
        for (index, item) in housing.enumerated() {
            switch program.evaluate(item.check, facts, member: 0, &tracer) {
            case .yes: points += item.points; deprived |= 1 << UInt64(index)
            case .unknown: housingKnown = false
            case .no: break
            }
        }
        if !housingKnown { missing |= 1 }
        var income: Int64?
        if let prediction = incomeTest.assess(facts, program, classCount: incomeClassCount, &tracer).value {
            income = incomeScore(prediction)
        } else {
            missing |= 2
        }
        let exposure = self.exposure(facts, &tracer)
        if exposure == nil { missing |= 4 }
        return (housingKnown ? min(housingDenominator, points) : nil, income, exposure, deprived, missing)
    }

    /// The score of the band a PMT prediction falls in; the last band has no upper bound.
    func incomeScore(_ prediction: Double) -> Int64 {
        (incomeBands.first { band in band.below.map { prediction < $0 } ?? true } ?? incomeBands[incomeBands.count - 1]).score
    }

    /// The highest score of the layers near the household's point; nil without a point, or
    /// without the layers.
    func exposure<Tracer: FactTracer>(_ facts: HouseholdFacts, _ tracer: inout Tracer) -> Int64? {
        let latitude = facts.household[latitudeSlot], longitude = facts.household[longitudeSlot]
        tracer.read(member: nil, slot: latitudeSlot, value: latitude)
        tracer.read(member: nil, slot: longitudeSlot, value: longitude)
        guard latitude != HouseholdFacts.missing, longitude != HouseholdFacts.missing else { return nil }
        let point = GeoPoint(longitude: Double(longitude) / 1e6, latitude: Double(latitude) / 1e6)
        var best: Int64 = 0
        for entry in layers {
            guard let layer = entry.layer else { return nil }
            let metres = layer.distance(from: point)
            if let band = entry.bands.first(where: { metres <= $0.within }) { best = max(best, band.score) }
        }
        return best
    }

    /// Metres from the household's point to each layer, for an explanation.
    func distances(_ facts: HouseholdFacts) -> [Double?] {
        let latitude = facts.household[latitudeSlot], longitude = facts.household[longitudeSlot]
        guard latitude != HouseholdFacts.missing, longitude != HouseholdFacts.missing else { return layers.map { _ in nil } }
        let point = GeoPoint(longitude: Double(longitude) / 1e6, latitude: Double(latitude) / 1e6)
        return layers.map { $0.layer?.distance(from: point) }
    }
}

extension PolicyEngine.CompiledQuantity {
    func value<Tracer: FactTracer>(_ facts: HouseholdFacts, _ program: CheckProgram, _ tracer: inout Tracer) -> Double? {
        switch self {
        case .indicator(let check):
            switch program.evaluate(check, facts, member: 0, &tracer) {
            case .yes: return 1
            case .no: return 0
            case .unknown: return nil
            }
        case .field(let slot):
            let value = facts.household[slot]
            tracer.read(member: nil, slot: slot, value: value)
            return value == HouseholdFacts.missing ? nil : Double(value)
        case .members:
            return Double(facts.memberCount)
        case .logMembers:
            return facts.memberCount > 0 ? log(Double(facts.memberCount)) : nil
        case .countMembers(let filter), .shareOfMembers(let filter):
            var count = 0
            for person in 0..<facts.memberCount {
                switch program.matches(filter, facts, person, &tracer) {
                case .yes: count += 1
                case .unknown: return nil
                case .no: break
                }
            }
            if case .countMembers = self { return Double(count) }
            return facts.memberCount > 0 ? Double(count) / Double(facts.memberCount) : 0
        }
    }
}

/// Resolves a policy's names against the questionnaire and lays out the facts it reads.
struct PolicyCompiler {
    let questionnaire: Questionnaire
    let policies: [String: TargetingPolicy]
    let hazards: [String: HazardLayer]?
    var hazardLayerNames: Set<String> = []
    var layout = FactLayout()
    var program = CheckProgram()
    var parts: [PolicyEngine.Part] = []
    var partIndex: [String: Int] = [:]

    init(questionnaire: Questionnaire, policies: [String: TargetingPolicy], hazards: [String: HazardLayer]? = nil) {
        self.questionnaire = questionnaire
        self.policies = policies
        self.hazards = hazards
    }

    mutating func compile(_ policy: TargetingPolicy, depth: Int) throws(PolicyError) -> PolicyEngine.CompiledMethod {
        guard depth < 8 else { throw PolicyError(.root, "policies name each other too deeply (a cycle?)") }
        switch policy.method {
        case .mpi(let definition):
            let denominator = definition.scoreDenominator
            var checks: [CheckProgram.Entry] = []
            for (index, indicator) in definition.indicators.enumerated() {
                checks.append(try compileEntry(indicator.deprivedWhen, at: PolicyPath.root.key("mpi").key("indicators").index(index)
                    .key("deprived_when"), inMember: false, depth: depth))
            }
            let weights = definition.indicators.map { $0.weight.numerator * (denominator / $0.weight.denominator) }
            return .mpi(weights: weights, denominator: denominator, k: definition.k, checks: checks, sweep: program.sweep(checks))
        case .proxyMeansTest(let test):
            var variables: [(coefficient: Double, quantity: PolicyEngine.CompiledQuantity)] = []
            for (index, variable) in test.variables.enumerated() {
                let path = PolicyPath.root.key("pmt").key("variables").index(index).key("value")
                let quantity: PolicyEngine.CompiledQuantity
                switch variable.value {
                case .indicator(let condition): quantity = .indicator(try compileEntry(condition, at: path, inMember: false, depth: depth))
                case .field(let name):
                    let field = try householdField(name, at: path)
                    guard FactLayout.range(of: field).low != HouseholdFacts.missing else {
                        throw PolicyError(path, "\"\(name)\" is not a number; use {\"indicator\": …} for codes")
                    }
                    quantity = .field(layout.householdSlot(field))
                case .members: quantity = .members
                case .logMembers: quantity = .logMembers
                case .countMembers(let scope): quantity = .countMembers(filter: program.append(try filter(scope, at: path, depth: depth)))
                case .shareOfMembers(let scope): quantity = .shareOfMembers(filter: program.append(try filter(scope, at: path, depth: depth)))
                }
                variables.append((variable.coefficient.doubleValue, quantity))
            }
            return .proxyMeansTest(intercept: test.intercept.doubleValue, variables: variables,
                                   thresholds: test.groups.compactMap { $0.below?.doubleValue })
        case .rules(let rules):
            return .rules(try compileEntry(rules.eligibleWhen, at: PolicyPath.root.key("rules").key("eligible_when"),
                                      inMember: false, depth: depth))
        case .climate(let index):
            let path = PolicyPath.root.key("climate")
            let housingDenominator = index.housing.items.reduce(Int64(1)) { Fraction.lcm($0, $1.points.denominator) }
            let incomeDenominator = index.income.bands.reduce(Int64(1)) { Fraction.lcm($0, $1.score.denominator) }
            let exposureDenominator = index.exposure.layers.flatMap(\.bands).reduce(Int64(1)) { Fraction.lcm($0, $1.score.denominator) }
            func units(_ value: Fraction, _ denominator: Int64) -> Int64 { value.numerator * (denominator / value.denominator) }
            let weights = index.housing.weight, income = index.income.weight, exposure = index.exposure.weight
            let denominator = [weights.denominator * housingDenominator, income.denominator * incomeDenominator,
                               exposure.denominator * exposureDenominator].reduce(Int64(1), Fraction.lcm)
            func unitWeight(_ weight: Fraction, _ factor: Int64) -> Int64 { weight.numerator * (denominator / (weight.denominator * factor)) }
            var housing: [(points: Int64, check: CheckProgram.Entry)] = []
            for (position, item) in index.housing.items.enumerated() {
                housing.append((units(item.points, housingDenominator),
                                try compileEntry(item.when, at: path.key("housing").key("items").index(position).key("when"),
                                            inMember: false, depth: depth)))
            }
            guard let test = policies[index.income.policy], case .proxyMeansTest = test.method else {
                throw PolicyError(path.key("income").key("policy"), "\"\(index.income.policy)\" is not a published proxy means test")
            }
            let incomeTest = try compile(test, depth: depth + 1)
            var layers: [(layer: HazardIndex?, bands: [(within: Double, score: Int64)])] = []
            for (position, entry) in index.exposure.layers.enumerated() {
                var layer: HazardIndex?
                hazardLayerNames.insert(entry.layer)
                if let hazards {
                    guard let found = hazards[entry.layer] else {
                        throw PolicyError(path.key("exposure").key("layers").index(position).key("layer"),
                                          "no hazard layer \"\(entry.layer)\" is loaded; load it with amparo hazards load \(entry.layer) FILE")
                    }
                    // Indexed once per engine: a national layer has too many segments to scan per household.
                    layer = HazardIndex(found)
                }
                layers.append((layer, entry.bands.map { ($0.withinMetres.doubleValue, units($0.score, exposureDenominator)) }))
            }
            let latitude = try householdField("latitude", at: path.key("exposure"))
            let longitude = try householdField("longitude", at: path.key("exposure"))
            return .climate(PolicyEngine.CompiledClimate(
                unitWeights: (unitWeight(weights, housingDenominator), unitWeight(income, incomeDenominator),
                              unitWeight(exposure, exposureDenominator)),
                denominator: denominator, housing: housing, housingDenominator: housingDenominator,
                incomeTest: incomeTest, incomeClassCount: test.classes.count,
                incomeBands: index.income.bands.map { ($0.below?.doubleValue, units($0.score, incomeDenominator)) },
                incomeDenominator: incomeDenominator, layers: layers, exposureDenominator: exposureDenominator,
                latitudeSlot: layout.householdSlot(latitude), longitudeSlot: layout.householdSlot(longitude),
                thresholds: index.classes.compactMap(\.from)))
        }
    }

    func householdField(_ name: String, at path: PolicyPath) throws(PolicyError) -> Questionnaire.Field {
        guard let field = questionnaire.householdFields.first(where: { $0.name == name }) else {
            if questionnaire.individualFields.contains(where: { $0.name == name }) || name == "age" {
                throw PolicyError(path, "\"\(name)\" is an answer about a person: use it inside any_member, no_member or a member count")
            }
            throw PolicyError(path, "\"\(name)\" is not a field of the questionnaire")
        }
        return field
    }

    func memberField(_ name: String, at path: PolicyPath) throws(PolicyError) -> Questionnaire.Field {
        if name == "age" { return FactLayout.age }
        guard let field = questionnaire.individualFields.first(where: { $0.name == name }) else {
            if questionnaire.householdFields.contains(where: { $0.name == name }) {
                throw PolicyError(path, "\"\(name)\" is an answer about the household, not about a person")
            }
            throw PolicyError(path, "\"\(name)\" is not a field of a person in the questionnaire")
        }
        return field
    }

    mutating func predicate(_ test: Condition.Test, for field: Questionnaire.Field, at path: PolicyPath) throws(PolicyError) -> Check.Predicate {
        switch test {
        case .oneOf(let codes), .noneOf(let codes):
            switch field.kind {
            case .code, .openCode: return try codeBits(test, codes, field, at: path)
            default: throw PolicyError(path, "\"\(field.name)\" is not a coded answer; compare it with at_least, below, …")
            }
        case .compare(let comparison, let value):
            let range = FactLayout.range(of: field)
            guard range.low != HouseholdFacts.missing else {
                throw PolicyError(path, "\"\(field.name)\" is not a number: compare it with in or not_in")
            }
            return .number(Bound(comparison: comparison, value: value), low: range.low, high: range.high)
        }
    }

    mutating func codeBits(_ test: Condition.Test, _ codes: [String], _ field: Questionnaire.Field,
                           at path: PolicyPath) throws(PolicyError) -> Check.Predicate {
        var bits: UInt64 = 0
        for code in codes {
            guard let number = layout.code(code, of: field) else {
                var known = ""
                if case .code(let list) = field.kind { known = "; expected one of " + list.joined(separator: ", ") }
                throw PolicyError(path, "\"\(code)\" is not a code of \(field.name)\(known)")
            }
            guard number < 64 else { throw PolicyError(path, "too many codes of \(field.name) named in policies") }
            bits |= 1 << UInt64(number)
        }
        if case .oneOf = test { return .codes(bits) }
        return .notCodes(bits)
    }

    mutating func filter(_ scope: Condition.MemberScope, at path: PolicyPath, depth: Int) throws(PolicyError) -> Check.MemberFilter {
        _ = layout.memberSlot(FactLayout.age)
        return Check.MemberFilter(
            minimumAge: scope.minimumAge.map(Int64.init), maximumAge: scope.maximumAge.map(Int64.init),
            check: try scope.condition.map { condition throws(PolicyError) in
                try compile(condition, at: path.key("where"), inMember: true, depth: depth)
            })
    }

    /// Compiles a condition and lays it out in the program.
    mutating func compileEntry(_ condition: Condition, at path: PolicyPath, inMember: Bool, depth: Int) throws(PolicyError) -> CheckProgram.Entry {
        program.append(try compile(condition, at: path, inMember: inMember, depth: depth))
    }

    mutating func compile(_ condition: Condition, at path: PolicyPath, inMember: Bool, depth: Int) throws(PolicyError) -> Check {
        func memberOnly() throws(PolicyError) {
            if inMember { throw PolicyError(path, "a condition about the household cannot sit inside a member condition") }
        }
        switch condition {
        case .field(let name, let test):
            if inMember {
                let field = try memberField(name, at: path.key("field"))
                return .member(layout.memberSlot(field), try predicate(test, for: field, at: path))
            }
            let field = try householdField(name, at: path.key("field"))
            return .household(layout.householdSlot(field), try predicate(test, for: field, at: path))
        case .sum(let terms, let plus, let test):
            guard case .compare(let comparison, let value) = test else {
                throw PolicyError(path, "a sum is compared with equals, at_least, at_most, below or above")
            }
            var slots: [Check.SlotTerm] = []
            for term in terms {
                let field = inMember ? try memberField(term.field, at: path.key("sum").key(term.field))
                                     : try householdField(term.field, at: path.key("sum").key(term.field))
                let range = FactLayout.range(of: field)
                guard range.low != HouseholdFacts.missing else {
                    throw PolicyError(path.key("sum").key(term.field), "\"\(term.field)\" is not a number")
                }
                let slot = inMember ? layout.memberSlot(field) : layout.householdSlot(field)
                slots.append(Check.SlotTerm(slot: slot, coefficient: term.coefficient, low: range.low, high: range.high))
            }
            let bound = Bound(comparison: comparison, value: value)
            return inMember ? .memberSum(slots, plus: plus, bound) : .householdSum(slots, plus: plus, bound)
        case .all(let parts), .any(let parts):
            var checks: [Check] = []
            let key = if case .all = condition { "all" } else { "any" }
            for (index, part) in parts.enumerated() {
                checks.append(try compile(part, at: path.key(key).index(index), inMember: inMember, depth: depth))
            }
            if case .all = condition { return .all(checks) }
            return .any(checks)
        case .not(let part):
            return .not(try compile(part, at: path.key("not"), inMember: inMember, depth: depth))
        case .byZone(let urban, let rural):
            try memberOnly()
            let zone = try householdField("zone", at: path.key("by_zone"))
            let slot = layout.householdSlot(zone)
            guard let urbanCode = layout.code("urban", of: zone) else {
                throw PolicyError(path.key("by_zone"), "the questionnaire's zone has no code \"urban\"")
            }
            return .byZone(slot: slot, urban: urbanCode,
                           whenUrban: try compile(urban, at: path.key("by_zone").key("urban"), inMember: false, depth: depth),
                           whenRural: try compile(rural, at: path.key("by_zone").key("rural"), inMember: false, depth: depth))
        case .anyMember(let scope):
            try memberOnly()
            return .anyMember(try filter(scope, at: path.key("any_member"), depth: depth))
        case .noMember(let scope):
            try memberOnly()
            return .noMember(try filter(scope, at: path.key("no_member"), depth: depth))
        case .countMembers(let scope, let test):
            try memberOnly()
            guard case .compare(let comparison, let value) = test else {
                throw PolicyError(path, "a count is compared with equals, at_least, at_most, below or above")
            }
            return .countMembers(try filter(scope, at: path.key("count_members"), depth: depth),
                                 Bound(comparison: comparison, value: value))
        case .meanOfMembers(let scope, let name, let test):
            try memberOnly()
            let field = try memberField(name, at: path.key("mean_of_members").key("field"))
            let range = FactLayout.range(of: field)
            guard range.low != HouseholdFacts.missing, case .compare(let comparison, let value) = test else {
                throw PolicyError(path, "a mean is of a number, compared with at_least, at_most, below, above or equals")
            }
            let memberFilter = try filter(scope, at: path.key("mean_of_members"), depth: depth)
            return .meanOfMembers(memberFilter, slot: layout.memberSlot(field), low: range.low, high: range.high,
                                  Bound(comparison: comparison, value: value))
        case .countOf(let names, let test):
            try memberOnly()
            var slots: [Int] = []
            for (index, name) in names.enumerated() {
                let field = try householdField(name, at: path.key("count_of").index(index))
                guard field.kind == .flag else { throw PolicyError(path.key("count_of").index(index), "\"\(name)\" is not a yes/no field") }
                slots.append(layout.householdSlot(field))
            }
            guard case .compare(let comparison, let value) = test else {
                throw PolicyError(path, "a count is compared with equals, at_least, at_most, below or above")
            }
            return .countOf(slots, Bound(comparison: comparison, value: value))
        case .membersPer(let name, let test, let whenZero):
            try memberOnly()
            let field = try householdField(name, at: path.key("members_per"))
            guard case .integer = field.kind, case .compare(let comparison, let value) = test else {
                throw PolicyError(path, "members are counted per a whole-number field, compared with at_least, above, …")
            }
            return .membersPer(slot: layout.householdSlot(field), Bound(comparison: comparison, value: value), whenZero: whenZero)
        case .areaIn(let codes):
            try memberOnly()
            for (index, code) in codes.enumerated() where code.isEmpty || code.contains("/") {
                throw PolicyError(path.key("area_in").index(index), "\"\(code)\" is not an area code")
            }
            return .areaIn(codes.map { "/\($0)/" })
        case .policyClass(let reference, let classes):
            try memberOnly()
            guard let other = policies[reference] else {
                throw PolicyError(path.key("policy"), reference.contains("@")
                    ? "\"\(reference)\" is not a published policy"
                    : "name the policy with its version, e.g. \"\(reference)@1\", so that the composition never changes")
            }
            let index: Int
            if let known = partIndex[reference] {
                index = known
            } else {
                let method = try compile(other, depth: depth + 1)
                parts.append(PolicyEngine.Part(policy: other, method: method, classCount: other.classes.count))
                index = parts.count - 1
                partIndex[reference] = index
            }
            var bits: UInt64 = 0
            for (position, id) in classes.enumerated() {
                guard let classIndex = other.classes.firstIndex(where: { $0.id == id }) else {
                    throw PolicyError(path.key("class_in").index(position),
                        "\"\(id)\" is not a class of \(reference); its classes are \(other.classes.map(\.id).joined(separator: ", "))")
                }
                bits |= 1 << UInt64(classIndex)
            }
            return .policyClass(index, classes: bits)
        }
    }
}

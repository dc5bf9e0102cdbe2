/// Why a household got its class under a policy: which indicators, from which of its data,
/// and what change in which data would change the result. Shown to the caseworker and, in
/// plain words in their language, to the citizen who wants to challenge the decision.
public struct Explanation: Sendable {
    public var policy: TargetingPolicy
    public var assessment: Assessment
    /// The deprivation score and the cut-off, for an MPI.
    public var score: Fraction?
    public var cutoff: Fraction?
    public var findings: [Finding]

    /// One indicator (MPI), variable (PMT) or rule, with the data it read.
    public struct Finding: Sendable {
        public var id: String
        public var title: LocalizedText
        public var weight: Fraction?
        public var coefficient: Double?
        public var status: Truth
        /// The answers that decided it; for a missing indicator, those to collect.
        public var evidence: [Evidence]
    }

    /// One answer read: of the household (`member` nil) or of its member at that position.
    public struct Evidence: Sendable, Hashable {
        public var member: Int?
        public var field: String
        /// As the exchange format writes it; nil when not known.
        public var value: String?
    }

    public var className: String { policy.classes[assessment.classIndex].id }

    /// The smallest change of indicators that would change an MPI result, largest weights first:
    /// for a poor household, deprivations whose end would lift it out; for one not poor, the
    /// fewest further deprivations that would make it poor. Empty for other policies.
    public var decisiveIndicators: [Finding] {
        guard let score, let cutoff, assessment.missing == 0 else { return [] }
        let poor = score >= cutoff
        let candidates = findings.filter { poor ? $0.status == .yes : $0.status == .no }
            .sorted { ($0.weight ?? .zero) > ($1.weight ?? .zero) }
        var running = score
        var chosen: [Finding] = []
        for finding in candidates {
            guard let weight = finding.weight else { continue }
            chosen.append(finding)
            running = poor ? running - weight : running + weight
            if poor ? running < cutoff : running >= cutoff { return chosen }
        }
        return []
    }

    /// The explanation in sentences, for a person, in their language.
    public func sentences(_ language: Language, memberName: (Int) -> String) -> [String] {
        let words = ExplanationWords(language: language)
        var lines: [String] = []
        let classTitle = policy.classes[assessment.classIndex].title[language]
        let isClimate = if case .climate = policy.method { true } else { false }
        if let score, let cutoff {
            lines.append(words.score(words.number(score), words.number(cutoff), classTitle))
        } else if isClimate, let value = assessment.value {
            lines.append(words.vulnerability(words.number(Fraction(Int64((value * 1000).rounded()), 1000)), classTitle))
        } else if let value = assessment.value {
            lines.append(words.prediction(words.number(Fraction(Int64((value * 1000).rounded()), 1000)), classTitle))
        } else {
            lines.append(words.result(classTitle))
        }
        func describe(_ evidence: [Evidence]) -> String {
            evidence.map { item in
                let who = item.member.map(memberName) ?? words.household
                return "\(who): \(item.field) = \(item.value ?? words.unknown)"
            }.joined(separator: "; ")
        }
        for finding in findings where finding.status == .yes {
            let weight = finding.weight.map { " (\(words.weight) \(words.number($0)))" } ?? ""
            lines.append(isClimate ? words.adds(finding.title[language], describe(finding.evidence))
                                   : words.deprived(finding.title[language], weight, describe(finding.evidence)))
        }
        for finding in findings where finding.status == .unknown {
            lines.append(words.missing(finding.title[language], describe(finding.evidence.filter { $0.value == nil })))
        }
        let decisive = decisiveIndicators.map { $0.title[language] }
        if !decisive.isEmpty, let score, let cutoff {
            lines.append(score >= cutoff ? words.wouldLeave(decisive) : words.wouldEnter(decisive))
        }
        return lines
    }
}

/// The fixed words of an explanation, in each language.
struct ExplanationWords {
    let language: Language

    var household: String { ["es": "hogar", "pt": "domicílio", "en": "household"][language.rawValue]! }
    var unknown: String { ["es": "sin dato", "pt": "sem dado", "en": "not known"][language.rawValue]! }
    var weight: String { ["es": "peso", "pt": "peso", "en": "weight"][language.rawValue]! }

    /// Decimals as the language writes them: a comma in Spanish and Portuguese.
    func number(_ value: Fraction) -> String {
        let text = value.shortDecimal(places: 4)
        return language == .en ? text : text.replacingOccurrences(of: ".", with: ",")
    }

    func score(_ score: String, _ cutoff: String, _ classTitle: String) -> String {
        switch language {
        case .es: "Puntaje de privación \(score); el punto de corte es \(cutoff): \(classTitle)."
        case .pt: "Pontuação de privação \(score); o ponto de corte é \(cutoff): \(classTitle)."
        case .en: "Deprivation score \(score); the cut-off is \(cutoff): \(classTitle)."
        }
    }

    func prediction(_ value: String, _ classTitle: String) -> String {
        switch language {
        case .es: "Valor estimado \(value): \(classTitle)."
        case .pt: "Valor estimado \(value): \(classTitle)."
        case .en: "Predicted value \(value): \(classTitle)."
        }
    }

    func result(_ classTitle: String) -> String {
        switch language {
        case .es: "Resultado: \(classTitle)."
        case .pt: "Resultado: \(classTitle)."
        case .en: "Result: \(classTitle)."
        }
    }

    func vulnerability(_ score: String, _ classTitle: String) -> String {
        switch language {
        case .es: "Puntaje de vulnerabilidad \(score) de 1: \(classTitle)."
        case .pt: "Pontuação de vulnerabilidade \(score) de 1: \(classTitle)."
        case .en: "Vulnerability score \(score) out of 1: \(classTitle)."
        }
    }

    func adds(_ factor: String, _ evidence: String) -> String {
        switch language {
        case .es: "Suma a la vulnerabilidad: «\(factor)», por: \(evidence)."
        case .pt: "Soma à vulnerabilidade: «\(factor)», por: \(evidence)."
        case .en: "Adds to the vulnerability: “\(factor)”, because of: \(evidence)."
        }
    }

    func deprived(_ indicator: String, _ weight: String, _ evidence: String) -> String {
        switch language {
        case .es: "Privado en «\(indicator)»\(weight), por: \(evidence)."
        case .pt: "Privado em «\(indicator)»\(weight), por: \(evidence)."
        case .en: "Deprived in “\(indicator)”\(weight), because of: \(evidence)."
        }
    }

    func missing(_ indicator: String, _ fields: String) -> String {
        switch language {
        case .es: "No se puede decidir «\(indicator)»; faltan: \(fields)."
        case .pt: "Não é possível decidir «\(indicator)»; faltam: \(fields)."
        case .en: "“\(indicator)” cannot be decided; missing: \(fields)."
        }
    }

    func wouldLeave(_ indicators: [String]) -> String {
        let list = indicators.joined(separator: ", ")
        return switch language {
        case .es: "Dejaría de ser pobre si dejara de estar privado en: \(list)."
        case .pt: "Deixaria de ser pobre se deixasse de estar privado em: \(list)."
        case .en: "It would no longer be poor if it stopped being deprived in: \(list)."
        }
    }

    func wouldEnter(_ indicators: [String]) -> String {
        let list = indicators.joined(separator: ", ")
        return switch language {
        case .es: "Sería pobre si además estuviera privado en: \(list)."
        case .pt: "Seria pobre se também estivesse privado em: \(list)."
        case .en: "It would be poor if it were also deprived in: \(list)."
        }
    }
}

/// Records what an evaluation reads, for an explanation.
struct RecordingTrace: FactTracer {
    static var followsEveryMember: Bool { true }
    var reads: [(member: Int?, slot: Int, value: Int64)] = []
    var outcomes: [Int: Truth] = [:]

    mutating func read(member: Int?, slot: Int, value: Int64) { reads.append((member, slot, value)) }
    mutating func member(_ member: Int, found: Truth) { outcomes[member] = found }
}

extension PolicyEngine {
    /// Scores one household and says why.
    public func explain(_ facts: inout HouseholdFacts) -> Explanation {
        let assessment = assess(&facts)
        var findings: [Explanation.Finding] = []
        var score: Fraction?, cutoff: Fraction?
        switch (policy.method, method) {
        case (.mpi(let definition), .mpi(_, let denominator, let k, let checks, _)):
            score = Fraction(assessment.scoreUnits, denominator)
            cutoff = k
            for (index, indicator) in definition.indicators.enumerated() {
                var trace = RecordingTrace()
                let status = program.evaluate(checks[index], facts, member: 0, &trace)
                findings.append(Explanation.Finding(id: indicator.id, title: indicator.title, weight: indicator.weight,
                                                    coefficient: nil, status: status, evidence: evidence(trace, status)))
            }
        case (.proxyMeansTest(let test), .proxyMeansTest(_, let variables, _)):
            for (variable, compiled) in zip(test.variables, variables) {
                var trace = RecordingTrace()
                let value = compiled.quantity.value(facts, program, &trace)
                let status: Truth = value == nil ? .unknown : (value == 0 ? .no : .yes)
                findings.append(Explanation.Finding(id: variable.id, title: variable.title, weight: nil,
                                                    coefficient: compiled.coefficient, status: status, evidence: evidence(trace, status)))
            }
        case (.rules, .rules(let check)):
            var trace = RecordingTrace()
            let status = program.evaluate(check, facts, member: 0, &trace)
            findings.append(Explanation.Finding(id: "eligible_when", title: policy.title, weight: nil, coefficient: nil,
                                                status: status, evidence: evidence(trace, status)))
        case (.climate(let index), .climate(let compiled)):
            for (item, (_, check)) in zip(index.housing.items, compiled.housing) {
                var trace = RecordingTrace()
                let status = program.evaluate(check, facts, member: 0, &trace)
                findings.append(Explanation.Finding(id: item.id, title: item.title, weight: item.points, coefficient: nil,
                                                    status: status, evidence: evidence(trace, status)))
            }
            var trace = RecordingTrace()
            let prediction = compiled.incomeTest.assess(facts, program, classCount: compiled.incomeClassCount, &trace).value
            let incomeScore = prediction.map(compiled.incomeScore)
            findings.append(Explanation.Finding(
                id: "income", title: index.income.title, weight: index.income.weight, coefficient: prediction,
                status: incomeScore.map { $0 > 0 ? .yes : .no } ?? .unknown,
                evidence: [Explanation.Evidence(member: nil, field: "predicted_income", value: prediction.map { String(format: "%.3f", $0) })]))
            for (layer, metres) in zip(index.exposure.layers, compiled.distances(facts)) {
                let near = metres.map { distance in layer.bands.contains { distance <= $0.withinMetres.doubleValue } }
                findings.append(Explanation.Finding(
                    id: "exposure_" + layer.layer, title: layer.title, weight: index.exposure.weight, coefficient: nil,
                    status: near.map { $0 ? .yes : .no } ?? .unknown,
                    evidence: [Explanation.Evidence(member: nil, field: "distance_m", value: metres.map { String(Int($0.rounded())) })]))
            }
        default:
            break
        }
        return Explanation(policy: policy, assessment: assessment, score: score, cutoff: cutoff, findings: findings)
    }

    /// The answers that decided a finding: for a member condition, those of the members it
    /// found (or, when missing, the answers not known); each answer once.
    private func evidence(_ trace: RecordingTrace, _ status: Truth) -> [Explanation.Evidence] {
        var seen: Set<Explanation.Evidence> = []
        var out: [Explanation.Evidence] = []
        for read in trace.reads {
            if status == .unknown, read.value != HouseholdFacts.missing { continue }
            if status == .yes, let member = read.member, !trace.outcomes.isEmpty, trace.outcomes[member] != .yes { continue }
            let field = read.member == nil ? layout.householdFields[read.slot] : layout.memberFields[read.slot]
            let item = Explanation.Evidence(member: read.member, field: field.name, value: layout.text(read.value, of: field))
            if seen.insert(item).inserted { out.append(item) }
        }
        return out
    }
}

extension FactLayout {
    /// A fact back as the exchange format writes the answer; nil when not known.
    func text(_ value: Int64, of field: Questionnaire.Field) -> String? {
        if value == HouseholdFacts.missing { return nil }
        switch field.kind {
        case .code(let codes): return value >= 0 && value < codes.count ? codes[Int(value)] : nil
        case .openCode: return openCodeName(value, of: field)
        case .money: return Answer.money(hundredths: value).exchangeText
        default: return String(value)
        }
    }
}

/// A household's result explained in plain words to the citizen it is about: the result,
/// the circumstances of the household that led to it, what is not known, and what would
/// change it — so that they can tell whether their data are right and ask for a review.
///
/// It says the same as the caseworker's explanation, without codes or weights: answers are
/// named by what they mean (`FieldWords`), and members by their given names.
public struct CitizenExplanation: Sendable {
    public var result: String
    public var reasons: [String]
    public var unknown: [String]
    public var change: String?

    public init(_ explanation: Explanation, language: Language, memberName: (Int) -> String) {
        let words = FieldWords(language: language)
        let policy = explanation.policy.title[language]
        let className = explanation.policy.classes[explanation.assessment.classIndex].title[language]
        result = switch language {
        case .es: "Según «\(policy)», su hogar está en la categoría: \(className)."
        case .pt: "Segundo «\(policy)», seu domicílio está na categoria: \(className)."
        case .en: "Under “\(policy)”, your household is in the category: \(className)."
        }
        // Each person once, with the answers of theirs that counted: "Ana (age: 41, can read and write: no)".
        func describe(_ evidence: [Explanation.Evidence], known: Bool) -> String {
            var order: [Int?] = [], answers: [Int?: [String]] = [:]
            for item in evidence where (item.value != nil) == known {
                if answers[item.member] == nil { order.append(item.member) }
                let value = item.value.map { words.value($0, of: item.field) }
                answers[item.member, default: []].append(value.map { "\(words.field(item.field)): \($0)" } ?? words.field(item.field))
            }
            return order.map { member in
                "\(member.map(memberName) ?? words.household) (\(answers[member, default: []].joined(separator: ", ")))"
            }.joined(separator: "; ")
        }
        reasons = explanation.findings.filter { $0.status == .yes }.map { finding in
            let because = describe(finding.evidence, known: true)
            return because.isEmpty ? finding.title[language] : "\(finding.title[language]) — \(because)"
        }
        unknown = explanation.findings.filter { $0.status == .unknown }.map { finding in
            let missing = describe(finding.evidence, known: false)
            return missing.isEmpty ? finding.title[language] : "\(finding.title[language]) — \(missing)"
        }
        let decisive = explanation.decisiveIndicators.map { $0.title[language] }
        if !decisive.isEmpty, let score = explanation.score, let cutoff = explanation.cutoff {
            let list = decisive.joined(separator: ", ")
            change = switch (score >= cutoff, language) {
            case (true, .es): "Su hogar dejaría esta categoría si ya no tuviera estas privaciones: \(list)."
            case (true, .pt): "Seu domicílio deixaria esta categoria se não tivesse mais estas privações: \(list)."
            case (true, .en): "Your household would leave this category if it no longer had these deprivations: \(list)."
            case (false, .es): "Su hogar cambiaría de categoría si además tuviera estas privaciones: \(list)."
            case (false, .pt): "Seu domicílio mudaria de categoria se também tivesse estas privações: \(list)."
            case (false, .en): "Your household would change category if it also had these deprivations: \(list)."
            }
        }
    }
}

/// The questionnaire's answers in words a citizen reads: what a field asks, and what its
/// codes mean. Fields without words here are named by their own name, spaced out.
struct FieldWords {
    let language: Language

    var household: String { LocalizedText(es: "el hogar", pt: "o domicílio", en: "the household")[language] }

    func field(_ name: String) -> String {
        Self.fields[name]?[language] ?? name.replacingOccurrences(of: "_", with: " ")
    }

    func value(_ value: String, of field: String) -> String {
        if let words = Self.codes["\(field).\(value)"] { return words[language] }
        if Self.flags.contains(field) {
            return (value == "1" ? LocalizedText(es: "sí", pt: "sim", en: "yes") : LocalizedText(es: "no", pt: "não", en: "no"))[language]
        }
        return value.replacingOccurrences(of: "_", with: " ")
    }

    private typealias L = LocalizedText

    private static let flags: Set<String> = [
        "literate", "attends_school", "early_childhood_care", "works", "pension_contributor", "health_insurance",
        "needed_care_30d", "received_care_30d", "electricity", "sanitation_shared", "child_death_5y",
    ]

    private static let fields: [String: LocalizedText] = [
        "age": L(es: "edad", pt: "idade", en: "age"),
        "schooling_years": L(es: "años de estudio", pt: "anos de estudo", en: "years of schooling"),
        "literate": L(es: "sabe leer y escribir", pt: "sabe ler e escrever", en: "can read and write"),
        "attends_school": L(es: "asiste a la escuela", pt: "frequenta a escola", en: "attends school"),
        "early_childhood_care": L(es: "recibe atención de primera infancia", pt: "recebe atendimento na primeira infância",
                                  en: "gets early childhood care"),
        "works": L(es: "trabaja", pt: "trabalha", en: "works"),
        "unemployed_months": L(es: "meses sin empleo", pt: "meses sem emprego", en: "months without work"),
        "pension_contributor": L(es: "cotiza a pensión", pt: "contribui para a previdência", en: "pays into a pension"),
        "health_insurance": L(es: "tiene seguro de salud", pt: "tem seguro de saúde", en: "has health insurance"),
        "needed_care_30d": L(es: "necesitó atención de salud en los últimos 30 días",
                             pt: "precisou de atendimento de saúde nos últimos 30 dias",
                             en: "needed health care in the last 30 days"),
        "received_care_30d": L(es: "la recibió", pt: "recebeu", en: "received it"),
        "zone": L(es: "zona", pt: "zona", en: "zone"),
        "water_source": L(es: "fuente de agua", pt: "fonte de água", en: "water source"),
        "sanitation": L(es: "servicio sanitario", pt: "esgotamento sanitário", en: "sanitation"),
        "floor": L(es: "material del piso", pt: "material do piso", en: "floor"),
        "walls": L(es: "material de las paredes", pt: "material das paredes", en: "walls"),
        "sleeping_rooms": L(es: "cuartos para dormir", pt: "cômodos para dormir", en: "rooms to sleep in"),
        "electricity": L(es: "tiene electricidad", pt: "tem eletricidade", en: "has electricity"),
        "cooking_fuel": L(es: "combustible para cocinar", pt: "combustível para cozinhar", en: "cooking fuel"),
        "monthly_income": L(es: "ingreso mensual", pt: "renda mensal", en: "monthly income"),
    ]

    private static let codes: [String: LocalizedText] = [
        "zone.urban": L(es: "urbana", pt: "urbana", en: "urban"),
        "zone.rural": L(es: "rural", pt: "rural", en: "rural"),
        "water_source.piped_dwelling": L(es: "acueducto dentro de la vivienda", pt: "água encanada dentro de casa", en: "piped into the dwelling"),
        "water_source.piped_yard": L(es: "acueducto en el patio", pt: "água encanada no quintal", en: "piped to the yard"),
        "water_source.public_tap": L(es: "pila pública", pt: "torneira pública", en: "public tap"),
        "water_source.protected_well": L(es: "pozo protegido", pt: "poço protegido", en: "protected well"),
        "water_source.unprotected_well": L(es: "pozo sin protección", pt: "poço sem proteção", en: "unprotected well"),
        "water_source.spring": L(es: "manantial", pt: "nascente", en: "spring"),
        "water_source.river": L(es: "río o quebrada", pt: "rio ou córrego", en: "river or stream"),
        "water_source.rain": L(es: "agua lluvia", pt: "água da chuva", en: "rain water"),
        "water_source.truck": L(es: "carrotanque", pt: "caminhão-pipa", en: "water truck"),
        "water_source.bottled": L(es: "agua embotellada", pt: "água engarrafada", en: "bottled water"),
        "water_source.other": L(es: "otra", pt: "outra", en: "other"),
        "sanitation.sewer": L(es: "alcantarillado", pt: "rede de esgoto", en: "sewer"),
        "sanitation.septic": L(es: "pozo séptico", pt: "fossa séptica", en: "septic tank"),
        "sanitation.improved_latrine": L(es: "letrina mejorada", pt: "latrina melhorada", en: "improved latrine"),
        "sanitation.unimproved_latrine": L(es: "letrina sin mejorar", pt: "latrina não melhorada", en: "unimproved latrine"),
        "sanitation.none": L(es: "ninguno", pt: "nenhum", en: "none"),
        "sanitation.other": L(es: "otro", pt: "outro", en: "other"),
        "floor.earth": L(es: "tierra", pt: "terra", en: "earth"),
        "floor.cement": L(es: "cemento", pt: "cimento", en: "cement"),
        "floor.tile": L(es: "baldosa", pt: "cerâmica", en: "tile"),
        "floor.wood": L(es: "madera", pt: "madeira", en: "wood"),
        "floor.other": L(es: "otro", pt: "outro", en: "other"),
        "walls.brick": L(es: "ladrillo", pt: "tijolo", en: "brick"),
        "walls.concrete": L(es: "concreto", pt: "concreto", en: "concrete"),
        "walls.wood": L(es: "madera", pt: "madeira", en: "wood"),
        "walls.adobe": L(es: "adobe", pt: "adobe", en: "adobe"),
        "walls.bahareque": L(es: "bahareque", pt: "taipa", en: "wattle and daub"),
        "walls.zinc": L(es: "zinc", pt: "zinco", en: "zinc sheet"),
        "walls.cardboard": L(es: "cartón", pt: "papelão", en: "cardboard"),
        "walls.none": L(es: "sin paredes", pt: "sem paredes", en: "no walls"),
        "walls.other": L(es: "otro", pt: "outro", en: "other"),
    ]
}

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

    /// Whether a field, or one of its codes, has words of its own (rather than its name spaced out).
    static func hasWords(field name: String, code: String? = nil) -> Bool {
        guard let code else { return fields[name] != nil }
        return codes["\(name).\(code)"] != nil
    }

    func field(_ name: String) -> String {
        Self.fields[name]?[language] ?? name.replacingOccurrences(of: "_", with: " ")
    }

    func value(_ value: String, of field: String) -> String {
        if let words = Self.codes["\(field).\(value)"] { return words[language] }
        if field.hasPrefix("wg_"), let words = Self.difficulty[value] { return words[language] }
        if Self.flags.contains(field) {
            return (value == "1" ? LocalizedText(es: "sí", pt: "sim", en: "yes") : LocalizedText(es: "no", pt: "não", en: "no"))[language]
        }
        return value.replacingOccurrences(of: "_", with: " ")
    }

    private typealias L = LocalizedText

    private static let flags: Set<String> = [
        "literate", "attends_school", "early_childhood_care", "works", "pension_contributor", "health_insurance",
        "needed_care_30d", "received_care_30d", "electricity", "sanitation_shared", "child_death_5y", "undernourished",
        "asset_radio", "asset_tv", "asset_phone", "asset_computer", "asset_fridge", "asset_bicycle", "asset_motorbike",
        "asset_car", "asset_animal_cart",
    ]

    /// The Washington Group's answers, 1 to 4.
    private static let difficulty: [String: LocalizedText] = [
        "1": L(es: "sin dificultad", pt: "sem dificuldade", en: "no difficulty"),
        "2": L(es: "alguna dificultad", pt: "alguma dificuldade", en: "some difficulty"),
        "3": L(es: "mucha dificultad", pt: "muita dificuldade", en: "a lot of difficulty"),
        "4": L(es: "no puede hacerlo", pt: "não consegue", en: "cannot do it at all"),
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
        "roof": L(es: "material del techo", pt: "material do telhado", en: "roof"),
        "latitude": L(es: "ubicación de la vivienda (latitud)", pt: "localização da moradia (latitude)",
                      en: "location of the home (latitude)"),
        "longitude": L(es: "ubicación de la vivienda (longitud)", pt: "localização da moradia (longitude)",
                       en: "location of the home (longitude)"),
        "water_minutes": L(es: "minutos para traer agua", pt: "minutos para buscar água", en: "minutes to fetch water"),
        "sanitation_shared": L(es: "comparte el servicio sanitario", pt: "compartilha o banheiro", en: "shares the toilet"),
        "child_death_5y": L(es: "murió un niño o niña en los últimos 5 años", pt: "morreu uma criança nos últimos 5 anos",
                            en: "a child died in the last 5 years"),
        "undernourished": L(es: "desnutrición", pt: "desnutrição", en: "undernourished"),
        "asset_radio": L(es: "tiene radio", pt: "tem rádio", en: "has a radio"),
        "asset_tv": L(es: "tiene televisor", pt: "tem televisão", en: "has a TV"),
        "asset_phone": L(es: "tiene teléfono", pt: "tem telefone", en: "has a phone"),
        "asset_computer": L(es: "tiene computador", pt: "tem computador", en: "has a computer"),
        "asset_fridge": L(es: "tiene nevera", pt: "tem geladeira", en: "has a fridge"),
        "asset_bicycle": L(es: "tiene bicicleta", pt: "tem bicicleta", en: "has a bicycle"),
        "asset_motorbike": L(es: "tiene moto", pt: "tem moto", en: "has a motorbike"),
        "asset_car": L(es: "tiene carro", pt: "tem carro", en: "has a car"),
        "asset_animal_cart": L(es: "tiene carreta de tracción animal", pt: "tem carroça", en: "has an animal cart"),
        "wg_seeing": L(es: "dificultad para ver", pt: "dificuldade para enxergar", en: "difficulty seeing"),
        "wg_hearing": L(es: "dificultad para oír", pt: "dificuldade para ouvir", en: "difficulty hearing"),
        "wg_walking": L(es: "dificultad para caminar", pt: "dificuldade para andar", en: "difficulty walking"),
        "wg_cognition": L(es: "dificultad para recordar o concentrarse", pt: "dificuldade para lembrar ou se concentrar",
                          en: "difficulty remembering or concentrating"),
        "wg_selfcare": L(es: "dificultad para el cuidado propio", pt: "dificuldade para se cuidar", en: "difficulty with self-care"),
        "wg_communication": L(es: "dificultad para comunicarse", pt: "dificuldade para se comunicar", en: "difficulty communicating"),
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
        "roof.concrete": L(es: "concreto", pt: "concreto", en: "concrete"),
        "roof.tile": L(es: "teja", pt: "telha", en: "tile"),
        "roof.zinc": L(es: "zinc", pt: "zinco", en: "zinc sheet"),
        "roof.thatch": L(es: "paja", pt: "palha", en: "thatch"),
        "roof.other": L(es: "otro", pt: "outro", en: "other"),
        "cooking_fuel.electricity": L(es: "electricidad", pt: "eletricidade", en: "electricity"),
        "cooking_fuel.gas": L(es: "gas", pt: "gás", en: "gas"),
        "cooking_fuel.kerosene": L(es: "queroseno", pt: "querosene", en: "kerosene"),
        "cooking_fuel.charcoal": L(es: "carbón", pt: "carvão", en: "charcoal"),
        "cooking_fuel.wood": L(es: "leña", pt: "lenha", en: "wood"),
        "cooking_fuel.dung": L(es: "estiércol", pt: "esterco", en: "dung"),
        "cooking_fuel.none": L(es: "no cocina", pt: "não cozinha", en: "no cooking"),
    ]
}

@testable import AmparoDomain

/// Households written as the exchange format would, for the targeting tests.
struct TestHousehold {
    var answers: [String: String]
    var members: [[String: String]]
    var areaPath = "/AM/11/11101/"

    /// A household of the city deprived in nothing that colombia-mpi or global-mpi looks at:
    /// two working adults with secondary school, piped water, sewer, a cement floor.
    static let comfortable = TestHousehold(
        answers: [
            "zone": "urban", "water_source": "piped_dwelling", "water_minutes": "0", "sanitation": "sewer",
            "sanitation_shared": "0", "electricity": "1", "cooking_fuel": "gas", "floor": "cement",
            "walls": "brick", "roof": "concrete", "sleeping_rooms": "2", "child_death_5y": "0",
            "asset_radio": "1", "asset_tv": "1", "asset_phone": "1", "asset_computer": "0", "asset_fridge": "1",
            "asset_bicycle": "0", "asset_motorbike": "0", "asset_car": "0", "asset_animal_cart": "0",
        ],
        members: [adult(born: "1985-03-10"), adult(born: "1987-07-01")])

    static func adult(born: String) -> [String: String] {
        [
            "birth_date": born, "schooling_years": "11", "literate": "1", "works": "1", "pension_contributor": "1",
            "unemployed_months": "0", "health_insurance": "1", "needed_care_30d": "0", "received_care_30d": "0",
            "undernourished": "0",
        ]
    }

    /// A child born so as to be `age` on the test's reference date (2026-06-30), in school at grade level.
    static func child(age: Int, attends: String = "1") -> [String: String] {
        [
            "birth_date": "\(2026 - age)-01-15", "schooling_years": String(max(0, age - 6)), "literate": age >= 8 ? "1" : "0",
            "attends_school": attends, "early_childhood_care": "1", "works": "0", "pension_contributor": "0", "health_insurance": "1",
            "needed_care_30d": "0", "received_care_30d": "0", "undernourished": "0", "unemployed_months": "0",
        ]
    }

    func with(_ changes: [String: String?]) -> TestHousehold {
        var copy = self
        for (key, value) in changes { copy.answers[key] = value }
        return copy
    }

    func withMember(_ index: Int, _ changes: [String: String?]) -> TestHousehold {
        var copy = self
        for (key, value) in changes { copy.members[index][key] = value }
        return copy
    }

    func adding(_ member: [String: String]) -> TestHousehold {
        var copy = self
        copy.members.append(member)
        return copy
    }

    static let referenceDate = CalendarDate(year: 2026, month: 6, day: 30)!

    static func sheet(_ fields: [Questionnaire.Field], _ values: [String: String]) -> AnswerSheet {
        AnswerSheet(fields: fields, values: fields.map { field in
            guard let cell = values[field.name], case .success(let answer) = field.kind.answer(from: cell) else { return nil }
            return answer
        })
    }

    func assess(_ engine: PolicyEngine) -> Assessment {
        var facts = facts(engine)
        return engine.assess(&facts)
    }

    func facts(_ engine: PolicyEngine) -> HouseholdFacts {
        var facts = HouseholdFacts(layout: engine.layout)
        facts.load(layout: engine.layout,
                   household: Self.sheet(Questionnaire.standard.householdFields, answers),
                   members: members.map { Self.sheet(Questionnaire.standard.individualFields, $0) },
                   areaPath: areaPath, referenceDate: Self.referenceDate)
        return facts
    }
}

enum Presets {
    static let all = try! TargetingPreset.policies()
    static func engine(_ reference: String) -> PolicyEngine {
        try! PolicyEngine(policy: all[reference]!, policies: all)
    }
    static let colombia = engine("colombia-mpi@1")
    static let global = engine("global-mpi@1")
}

extension Assessment {
    func isDeprived(_ engine: PolicyEngine, _ indicator: String) -> Bool {
        guard case .mpi(let definition) = engine.policy.method,
              let index = definition.indicators.firstIndex(where: { $0.id == indicator }) else { return false }
        return deprived & (1 << UInt64(index)) != 0
    }

    func className(_ engine: PolicyEngine) -> String { engine.policy.classes[classIndex].id }
}

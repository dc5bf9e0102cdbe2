import Testing
@testable import AmparoDomain

@Suite("colombia-mpi at its edges")
struct ColombiaMPITests {
    let engine = Presets.colombia
    let base = TestHousehold.comfortable

    @Test func theComfortableHouseholdIsDeprivedInNothing() {
        let result = base.assess(engine)
        #expect(result.deprived == 0)
        #expect(result.missing == 0)
        #expect(result.className(engine) == "not_poor")
    }

    @Test func schoolAttendanceCountsFromSixToSixteen() {
        for (age, deprived) in [(5, false), (6, true), (16, true), (17, false)] {
            let result = base.adding(TestHousehold.child(age: age, attends: "0")).assess(engine)
            #expect(result.isDeprived(engine, "school_non_attendance") == deprived, "age \(age)")
        }
    }

    @Test func earlyChildhoodCountsUpToFive() {
        for (age, deprived) in [(0, true), (5, true), (6, false)] {
            var child = TestHousehold.child(age: age)
            child["early_childhood_care"] = "0"
            #expect(base.adding(child).assess(engine).isDeprived(engine, "early_childhood_barriers") == deprived, "age \(age)")
        }
    }

    @Test func childLabourCountsFromTwelveToSeventeen() {
        for (age, deprived) in [(11, false), (12, true), (17, true), (18, false)] {
            var child = TestHousehold.child(age: age)
            child["works"] = "1"
            child["pension_contributor"] = "0"
            let result = base.adding(child).assess(engine)
            #expect(result.isDeprived(engine, "child_labour") == deprived, "age \(age)")
            // At 18 the same person counts as an informal worker instead.
            #expect(result.isDeprived(engine, "informal_work") == (age == 18), "age \(age)")
        }
    }

    @Test func schoolLagIsAgeMinusSixMinusYearsOfSchooling() {
        var lagging = TestHousehold.child(age: 10)
        lagging["schooling_years"] = "2"  // (10 − 6) − 2 = 2
        #expect(base.adding(lagging).assess(engine).isDeprived(engine, "school_lag"))
        lagging["schooling_years"] = "3"  // 1 year behind
        #expect(!base.adding(lagging).assess(engine).isDeprived(engine, "school_lag"))
        var young = TestHousehold.child(age: 6)
        young["schooling_years"] = "0"
        #expect(!base.adding(young).assess(engine).isDeprived(engine, "school_lag"))
    }

    @Test func illiteracyAndSchoolingCountFromFifteen() {
        var fourteen = TestHousehold.child(age: 14)
        fourteen["literate"] = "0"
        fourteen["schooling_years"] = "0"
        let young = base.adding(fourteen).assess(engine)
        #expect(!young.isDeprived(engine, "illiteracy"))
        #expect(!young.isDeprived(engine, "low_educational_achievement"))
        var fifteen = TestHousehold.child(age: 15)
        fifteen["literate"] = "0"
        fifteen["schooling_years"] = "0"
        let older = base.adding(fifteen).assess(engine)
        #expect(older.isDeprived(engine, "illiteracy"))
        #expect(older.isDeprived(engine, "low_educational_achievement"))  // (11 + 11 + 0) / 3 < 9
    }

    @Test func urbanAndRuralDifferForWaterWallsAndCrowding() {
        let urbanWood = base.with(["walls": "wood", "water_source": "public_tap", "sanitation": "septic"]).assess(engine)
        #expect(urbanWood.isDeprived(engine, "inadequate_walls"))
        #expect(urbanWood.isDeprived(engine, "no_improved_water"))
        #expect(urbanWood.isDeprived(engine, "inadequate_sanitation"))
        let ruralWood = base.with(["zone": "rural", "walls": "wood", "water_source": "public_tap", "sanitation": "septic"])
            .assess(engine)
        #expect(!ruralWood.isDeprived(engine, "inadequate_walls"))
        #expect(!ruralWood.isDeprived(engine, "no_improved_water"))
        #expect(!ruralWood.isDeprived(engine, "inadequate_sanitation"))
        // Three people per room: overcrowded in a city, not yet in the countryside.
        let three = base.adding(TestHousehold.child(age: 8)).with(["sleeping_rooms": "1"])
        #expect(three.assess(engine).isDeprived(engine, "critical_overcrowding"))
        #expect(!three.with(["zone": "rural"]).assess(engine).isDeprived(engine, "critical_overcrowding"))
        #expect(three.adding(TestHousehold.child(age: 9)).with(["zone": "rural"]).assess(engine)
            .isDeprived(engine, "critical_overcrowding"))
    }

    @Test func noSleepingRoomIsOvercrowded() {
        for zone in ["urban", "rural"] {
            #expect(base.with(["zone": zone, "sleeping_rooms": "0"]).assess(engine).isDeprived(engine, "critical_overcrowding"))
        }
    }

    @Test func aScoreExactlyAtTheCutOffIsPoor() {
        // 0.1 + 0.1 + 0.05 + 0.04 + 0.04 = 0.33, which floating point makes 0.32999999999999996.
        var household = base.withMember(0, ["literate": "0", "unemployed_months": "24"])
            .with(["floor": "earth", "sleeping_rooms": "0"])
        household = household.adding(TestHousehold.child(age: 9, attends: "0"))
        let result = household.assess(engine)
        #expect(result.scoreUnits == 33)
        #expect(engine.scoreDenominator == 100)
        #expect(result.className(engine) == "poor")
        // One deprivation of 0.04 fewer: 0.29, not poor.
        let below = household.with(["floor": "cement"]).assess(engine)
        #expect(below.scoreUnits == 29)
        #expect(below.className(engine) == "not_poor")
    }

    @Test func missingDataIsMissingNotZero() {
        // Nobody deprived in illiteracy, but one adult's answer is not known: the indicator is missing.
        let unknown = base.withMember(1, ["literate": nil]).assess(engine)
        #expect(unknown.className(engine) == "missing")
        #expect(unknown.missing != 0)
        // When another adult is known to be illiterate the indicator is decided all the same.
        let decided = base.withMember(0, ["literate": "0"]).withMember(1, ["literate": nil]).assess(engine)
        #expect(decided.isDeprived(engine, "illiteracy"))
        #expect(decided.missing == 0)
        // A missing birth date leaves every age-bound indicator undecided unless another member decides it.
        let noAge = base.withMember(1, ["birth_date": nil]).assess(engine)
        #expect(noAge.className(engine) == "missing")
        // An answer whose value cannot matter does not make the indicator missing:
        // rooms unknown but zone known is still missing; zone unknown with piped water is missing for water.
        let noZone = base.with(["zone": nil]).assess(engine)
        #expect(noZone.className(engine) == "missing")
    }
}

@Suite("global-mpi")
struct GlobalMPITests {
    let engine = Presets.global
    let base = TestHousehold.comfortable

    @Test func weightsInEighteenthsAddUpExactly() {
        #expect(engine.scoreDenominator == 18)
        // Cooking fuel, electricity and housing (3/18) plus school attendance (3/18) = 1/3: poor.
        let household = base.with(["cooking_fuel": "wood", "electricity": "0", "roof": "thatch"])
            .adding(TestHousehold.child(age: 10, attends: "0"))
        let result = household.assess(engine)
        #expect(result.scoreUnits == 6)
        #expect(result.className(engine) == "poor")
    }

    @Test func yearsOfSchoolingNeedsSomeoneAgedTenOrMore() {
        let lowSchooling = base.withMember(0, ["schooling_years": "5"]).withMember(1, ["schooling_years": "3"])
        #expect(lowSchooling.assess(engine).isDeprived(engine, "years_of_schooling"))
        #expect(!lowSchooling.withMember(1, ["schooling_years": "6"]).assess(engine).isDeprived(engine, "years_of_schooling"))
        // Only young children: no one the indicator is about, so not deprived.
        let children = TestHousehold(answers: base.answers, members: [TestHousehold.child(age: 4), TestHousehold.child(age: 9)])
        #expect(!children.assess(engine).isDeprived(engine, "years_of_schooling"))
    }

    @Test func assetsAndWaterAndSanitation() {
        let fewAssets = base.with(["asset_tv": "0", "asset_phone": "0"])  // only a radio and a fridge: two
        #expect(!fewAssets.assess(engine).isDeprived(engine, "assets"))
        let oneAsset = fewAssets.with(["asset_fridge": "0"])
        #expect(oneAsset.assess(engine).isDeprived(engine, "assets"))
        #expect(!oneAsset.with(["asset_car": "1"]).assess(engine).isDeprived(engine, "assets"))
        #expect(base.with(["water_minutes": "31"]).assess(engine).isDeprived(engine, "drinking_water"))
        #expect(!base.with(["water_minutes": "30"]).assess(engine).isDeprived(engine, "drinking_water"))
        #expect(base.with(["sanitation_shared": "1"]).assess(engine).isDeprived(engine, "sanitation"))
        // Two assets known and two unknown: owning at most one is ruled out, so decided.
        let partly = base.with(["asset_computer": nil, "asset_bicycle": nil])
        #expect(partly.assess(engine).missing == 0)
    }
}

@Suite("Policies are checked before they are published")
struct PolicyValidationTests {
    func mpi(k: String = "\"0.5\"", indicators: String) -> String {
        """
        {"name": "test-mpi", "version": 1, "kind": "mpi",
         "title": {"es": "Prueba", "pt": "Teste", "en": "Test"},
         "mpi": {"k": \(k), "indicators": [\(indicators)]}}
        """
    }

    func indicator(_ id: String, _ weight: String, _ condition: String) -> String {
        """
        {"id": "\(id)", "weight": "\(weight)", "title": {"es": "x", "pt": "x", "en": "x"}, "deprived_when": \(condition)}
        """
    }

    func refusal(_ text: String) -> PolicyError? {
        do {
            _ = try TargetingPolicy.read(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func presetsAreValid() throws {
        let policies = try TargetingPreset.policies()
        #expect(policies.keys.sorted() == ["colombia-mpi@1", "example-cash-transfer@1", "example-climate@1", "example-disability@1",
                                           "example-pmt@1", "global-mpi@1"])
        #expect(policies["example-climate@1"]!.isExample)
        #expect(policies["example-pmt@1"]!.isExample)
        #expect(!policies["colombia-mpi@1"]!.isExample)
    }

    @Test func weightsMustAddUpToOne() {
        let error = refusal(mpi(indicators: indicator("a", "0.5", #"{"field": "floor", "in": ["earth"]}"#) + ","
                                + indicator("b", "0.4", #"{"field": "electricity", "equals": 0}"#)))
        #expect(error?.description == "mpi.indicators: the weights add up to 9/10 (0.900000), not 1")
    }

    @Test func kMustBeAboveZeroAndAtMostOne() {
        let one = indicator("a", "1", #"{"field": "floor", "in": ["earth"]}"#)
        #expect(refusal(mpi(k: "0", indicators: one))?.path.description == "mpi.k")
        #expect(refusal(mpi(k: "\"1.01\"", indicators: one))?.path.description == "mpi.k")
        #expect(refusal(mpi(k: "\"-1/3\"", indicators: one))?.path.description == "mpi.k")
        #expect(refusal(mpi(k: "1", indicators: one)) == nil)
    }

    @Test func unknownFieldsAndCodesAreNamed() {
        let field = refusal(mpi(indicators: indicator("a", "1", #"{"field": "flor", "in": ["earth"]}"#)))
        #expect(field?.description == "mpi.indicators[0].deprived_when.field: \"flor\" is not a field of the questionnaire")
        let code = refusal(mpi(indicators: indicator("a", "1", #"{"field": "floor", "in": ["mud"]}"#)))
        #expect(code?.reason.hasPrefix("\"mud\" is not a code of floor") == true)
        let person = refusal(mpi(indicators: indicator("a", "1", #"{"field": "literate", "equals": 0}"#)))
        #expect(person?.reason.contains("about a person") == true)
        let nested = refusal(mpi(indicators: indicator("a", "1",
            #"{"any_member": {"aged": [15, null], "where": {"field": "literat", "equals": 0}}}"#)))
        #expect(nested?.path.description == "mpi.indicators[0].deprived_when.any_member.where.field")
        let ages = refusal(mpi(indicators: indicator("a", "1", #"{"any_member": {"aged": [17, 6], "where": {"field": "works", "equals": 1}}}"#)))
        #expect(ages?.reason == "the youngest age is above the oldest")
    }

    @Test func malformedJSONSaysWhere() {
        let error = refusal("{\"name\": \"x\",\n \"version\": 1,,}")
        #expect(error?.reason.hasPrefix("not valid JSON at line 2, column") == true)
    }

    @Test func compositionsNameAVersion() {
        let text = """
        {"name": "c", "version": 1, "kind": "composition", "title": {"es": "c", "pt": "c", "en": "c"},
         "rules": {"eligible_when": {"policy": "colombia-mpi", "class_in": ["poor"]}}}
        """
        let error = refusal(text)
        #expect(error?.reason.contains("colombia-mpi@1") == true)
    }
}

@Suite("Proxy means tests, rules and compositions")
struct OtherPolicyTests {
    @Test func examplePMTPutsPoorerHouseholdsInLowerGroups() {
        let engine = Presets.engine("example-pmt@1")
        let comfortable = TestHousehold.comfortable.assess(engine)
        let poorer = TestHousehold.comfortable
            .with(["floor": "earth", "walls": "zinc", "water_source": "river", "sanitation": "none", "cooking_fuel": "wood",
                   "electricity": "0", "asset_fridge": "0", "zone": "rural"])
            .withMember(0, ["pension_contributor": "0"]).withMember(1, ["pension_contributor": "0"])
            .adding(TestHousehold.child(age: 3)).adding(TestHousehold.child(age: 7)).adding(TestHousehold.child(age: 10))
            .assess(engine)
        #expect(comfortable.value != nil && poorer.value != nil)
        #expect(poorer.value! < comfortable.value!)
        #expect(poorer.className(engine) == "A")
        #expect(poorer.classIndex < comfortable.classIndex)
        let unknown = TestHousehold.comfortable.with(["floor": nil]).assess(engine)
        #expect(unknown.className(engine) == "missing")
    }

    @Test func disabilityRulesFollowTheWashingtonGroupCutOff() {
        let engine = Presets.engine("example-disability@1")
        let base = TestHousehold.comfortable.withMember(0, [
            "wg_seeing": "2", "wg_hearing": "1", "wg_walking": "1", "wg_cognition": "1", "wg_selfcare": "1", "wg_communication": "1",
        ])
        let some = base.withMember(1, ["wg_seeing": "1", "wg_hearing": "1", "wg_walking": "2", "wg_cognition": "1",
                                       "wg_selfcare": "1", "wg_communication": "1"])
        #expect(some.assess(engine).className(engine) == "not_eligible")
        #expect(some.withMember(1, ["wg_walking": "3"]).assess(engine).className(engine) == "eligible")
        #expect(base.assess(engine).className(engine) == "missing")  // the second adult was not asked
    }

    @Test func compositionReadsTheClassesOfOtherPolicies() {
        let engine = Presets.engine("example-cash-transfer@1")
        let poorWithChild = TestHousehold.comfortable.withMember(0, ["literate": "0", "unemployed_months": "24"])
            .with(["floor": "earth", "sleeping_rooms": "0"]).adding(TestHousehold.child(age: 9, attends: "0"))
        #expect(Presets.colombia.assess(poorWithChild.facts(Presets.colombia)).className(Presets.colombia) == "poor")
        #expect(poorWithChild.assess(engine).className(engine) == "eligible")
        #expect(TestHousehold.comfortable.adding(TestHousehold.child(age: 9)).assess(engine).className(engine) == "not_eligible")
    }
}

extension PolicyEngine {
    func assess(_ facts: HouseholdFacts) -> Assessment {
        var copy = facts
        return assess(&copy)
    }
}

@Suite("Scoring a page of households")
struct MemberSweepTests {
    /// A run sweeps most indicators, those over members in one pass over them; an explanation
    /// evaluates each on its own. Both must find the same, with answers of the household and
    /// of its members missing here and there too.
    @Test(arguments: ["colombia-mpi@1", "global-mpi@1"])
    func sweepingTheMembersFindsWhatEachIndicatorFinds(_ reference: String) {
        let engine = Presets.engine(reference)
        let page = ScoringBenchmark(engine: engine, demo: DemoRegistry(households: 2_000, seed: 11),
                                    referenceDate: CalendarDate(year: 2026, month: 11, day: 24)!).page
        var facts = HouseholdFacts(layout: engine.layout)
        var mismatches: [String] = [], deprivedSeen = 0, missingSeen = 0
        for index in 0..<page.count {
            page.load(index, into: &facts)
            if index % 3 == 0 && facts.memberCount > 1 { facts.setMember(1, 0, HouseholdFacts.missing) }
            if index % 5 == 0 { facts.setMember(0, index / 5 % engine.layout.memberFields.count, HouseholdFacts.missing) }
            if index % 11 == 0 { facts.household[index / 11 % engine.layout.householdFields.count] = HouseholdFacts.missing }
            // Answers of 64 and more are past the sweep's lookups, and take the long way.
            if index % 7 == 0, let months = engine.layout.memberFields.firstIndex(where: { $0.name == "unemployed_months" }) {
                facts.setMember(facts.memberCount - 1, months, Int64(58 + index % 12))
            }
            let assessment = engine.assess(&facts)
            let explanation = engine.explain(&facts)
            deprivedSeen += assessment.deprived.nonzeroBitCount
            missingSeen += assessment.missing.nonzeroBitCount
            var deprived: UInt64 = 0, missing: UInt64 = 0
            for (bit, finding) in explanation.findings.enumerated() {
                if finding.status == .yes { deprived |= 1 << UInt64(bit) }
                if finding.status == .unknown { missing |= 1 << UInt64(bit) }
            }
            if assessment.deprived != deprived || assessment.missing != missing {
                mismatches.append("household \(index): deprived \(assessment.deprived) missing \(assessment.missing), "
                                  + "one by one \(deprived) and \(missing)")
            }
        }
        #expect(mismatches.count == 0, "\(mismatches.prefix(5))")
        // The comparison means something only if both kinds of result occur.
        #expect(deprivedSeen > 1_000)
        #expect(missingSeen > 100)
    }
}

@Suite("Thresholds over whole numbers")
struct BoundTests {
    /// A sweep answers a test of a large number by the range of whole numbers that meet it;
    /// that range must hold exactly the numbers the bound accepts one by one.
    @Test(arguments: [Condition.Comparison.atLeast, .above, .atMost, .below, .equals])
    func theWholeNumbersABoundAcceptsAreOneRange(_ comparison: Condition.Comparison) {
        for value in [Fraction(2), Fraction(0), Fraction(-3), Fraction(5, 2), Fraction(-5, 2), Fraction(1, 3), Fraction(64)] {
            let bound = Bound(comparison: comparison, value: value)
            let (low, high) = bound.wholeNumbers
            for number in Int64(-70)...70 {
                #expect((bound.test(low: number, high: number) == .yes) == (number >= low && number <= high),
                        "\(comparison) \(value) at \(number): range \(low)…\(high)")
            }
        }
    }
}

@Suite("Explanations and the right to challenge")
struct ExplanationTests {
    let engine = Presets.colombia
    let atCutOff = TestHousehold.comfortable.withMember(0, ["literate": "0", "unemployed_months": "24"])
        .with(["floor": "earth", "sleeping_rooms": "0"]).adding(TestHousehold.child(age: 9, attends: "0"))

    func explain(_ household: TestHousehold) -> Explanation {
        var facts = household.facts(engine)
        return engine.explain(&facts)
    }

    @Test func namesTheIndicatorsAndTheDataBehindThem() {
        let explanation = explain(atCutOff)
        #expect(explanation.className == "poor")
        #expect(explanation.score == Fraction(33, 100))
        #expect(explanation.cutoff == Fraction(33, 100))
        let illiteracy = explanation.findings.first { $0.id == "illiteracy" }
        #expect(illiteracy?.status == .yes)
        // Only the member who is illiterate is named, with the answer and the age that made them count.
        #expect(illiteracy?.evidence.contains(Explanation.Evidence(member: 0, field: "literate", value: "0")) == true)
        #expect(illiteracy?.evidence.contains { $0.member == 1 } == false)
        let floors = explanation.findings.first { $0.id == "inadequate_floors" }
        #expect(floors?.evidence == [Explanation.Evidence(member: nil, field: "floor", value: "earth")])
        #expect(explanation.findings.filter { $0.status == .yes }.count == 5)
    }

    @Test func saysWhatWouldChangeTheResult() {
        // Poor at exactly 0.33: ending any deprivation of weight 0.1 lifts it out.
        let poor = explain(atCutOff)
        #expect(poor.decisiveIndicators.count == 1)
        #expect(poor.decisiveIndicators.first?.weight == Fraction(1, 10))
        // Not poor at 0.29: one more deprivation of weight 0.1 makes it poor.
        let notPoor = explain(atCutOff.with(["floor": "cement"]))
        #expect(notPoor.className == "not_poor")
        #expect(notPoor.decisiveIndicators.map(\.weight) == [Fraction(1, 10)])
        let spanish = poor.sentences(.es) { "persona \($0 + 1)" }
        #expect(spanish.first == "Puntaje de privación 0,33; el punto de corte es 0,33: pobre.")
        #expect(spanish.contains("Privado en «Analfabetismo» (peso 0,1), por: persona 1: age = 41; persona 1: literate = 0."))
        #expect(spanish.last?.hasPrefix("Dejaría de ser pobre si dejara de estar privado en:") == true)
        let portuguese = notPoor.sentences(.pt) { "pessoa \($0 + 1)" }
        #expect(portuguese.last?.hasPrefix("Seria pobre se também estivesse privado em:") == true)
        #expect(notPoor.sentences(.en) { "person \($0 + 1)" }.first == "Deprivation score 0.29; the cut-off is 0.33: not poor.")
    }

    @Test func namesTheDataToCollect() {
        let explanation = explain(TestHousehold.comfortable.withMember(1, ["literate": nil]))
        #expect(explanation.className == "missing")
        let illiteracy = explanation.findings.first { $0.id == "illiteracy" }
        #expect(illiteracy?.status == .unknown)
        #expect(illiteracy?.evidence == [Explanation.Evidence(member: 1, field: "literate", value: nil)])
        #expect(explanation.decisiveIndicators.isEmpty)
        let english = explanation.sentences(.en) { "person \($0 + 1)" }
        #expect(english.contains("“Illiteracy” cannot be decided; missing: person 2: literate = not known."))
    }

    @Test func everyAnswerAPresetReadsHasWordsForTheCitizen() throws {
        let hazards = DemoRegistry(households: 0, seed: 1).hazardLayers
        for (reference, policy) in Presets.all.sorted(by: { $0.key < $1.key }) {
            let engine = try PolicyEngine(policy: policy, policies: Presets.all,
                                          hazards: Dictionary(uniqueKeysWithValues: hazards.map { ($0.name, $0) }))
            for field in engine.layout.householdFields + engine.layout.memberFields {
                #expect(FieldWords.hasWords(field: field.name), "\(reference) reads \(field.name), which has no words")
                if case .code(let codes) = field.kind {
                    for code in codes { #expect(FieldWords.hasWords(field: field.name, code: code), "\(field.name) = \(code)") }
                }
            }
        }
    }

    @Test func tellsTheCitizenInPlainWords() {
        let names = ["Ana", "Luis", "Sofía"]
        let poor = CitizenExplanation(explain(atCutOff), language: .es) { names[$0] }
        #expect(poor.result == "Según «IPM Colombia (DNP 2011)», su hogar está en la categoría: pobre.")
        // Answers by what they mean, codes by their words, members by name: no field names, no codes.
        #expect(poor.reasons.contains("Analfabetismo — Ana (edad: 41, sabe leer y escribir: no)"))
        #expect(poor.reasons.contains("Pisos inadecuados — el hogar (material del piso: tierra)"))
        #expect(poor.reasons.count == 5)
        #expect(poor.unknown.isEmpty)
        #expect(poor.change?.hasPrefix("Su hogar dejaría esta categoría si ya no tuviera estas privaciones:") == true)
        let notPoor = CitizenExplanation(explain(atCutOff.with(["floor": "cement"])), language: .pt) { names[$0] }
        #expect(notPoor.change?.hasPrefix("Seu domicílio mudaria de categoria se também tivesse estas privações:") == true)
        let missing = CitizenExplanation(explain(TestHousehold.comfortable.withMember(1, ["literate": nil])), language: .en) { names[$0] }
        #expect(missing.unknown == ["Illiteracy — Luis (can read and write)"])
        #expect(missing.change == nil)
    }
}

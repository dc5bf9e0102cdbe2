import Testing
@testable import AmparoDomain

/// The fast road from stored values to facts must give exactly what the slow road through
/// `Answer` gives, for every answer of the demo registry, under every preset's layout.
@Suite struct FactDecoderTests {
    /// An answer as a database would hand it over: numbers as numbers, the rest as text.
    private func withCell<T>(_ answer: Answer?, _ body: (FactCell) -> T) -> T {
        switch answer {
        case nil: return body(.null)
        case .integer(let value)?: return body(.integer(value))
        case .real(let value)?: return body(.real(value))
        case let other?:
            var text = other.exchangeText
            return text.withUTF8 { body(.text(UnsafeRawBufferPointer($0))) }
        }
    }

    private func withText<T>(_ text: String, _ body: (FactCell) -> T) -> T {
        var text = text
        return text.withUTF8 { body(.text(UnsafeRawBufferPointer($0))) }
    }

    @Test(arguments: ["colombia-mpi@1", "global-mpi@1", "example-pmt@1", "example-climate@1", "example-disability@1"])
    func everyDemoAnswerBecomesTheSameFact(_ reference: String) throws {
        let presets = try TargetingPreset.policies()
        let engine = try PolicyEngine(policy: try #require(presets[reference]), policies: presets)
        let layout = engine.layout
        let date = CalendarDate(year: 2026, month: 11, day: 24)!
        let decoder = FactDecoder(layout: layout, referenceDate: date)
        let householdColumns = ExchangeFormat.householdColumns(), individualColumns = ExchangeFormat.individualColumns()
        var compared = 0, known = 0
        DemoRegistry(households: 300, seed: 5).forEachHousehold { household, members in
            for (slot, field) in layout.householdFields.enumerated() {
                let answer = householdColumns.firstIndex(of: field.name).flatMap { column in
                    try? field.kind.answer(from: household[column]).get()
                }
                let expected = layout.fact(answer, of: field, referenceDate: date)
                #expect(withCell(answer) { decoder.household(slot, $0) } == expected, "\(field.name) \(String(describing: answer))")
                compared += 1
                if expected != HouseholdFacts.missing { known += 1 }
            }
            for member in members {
                for (slot, field) in layout.memberFields.enumerated() {
                    let name = field == FactLayout.age ? "birth_date" : field.name
                    let kind = field == FactLayout.age ? Questionnaire.Kind.date : field.kind
                    let answer = individualColumns.firstIndex(of: name).flatMap { column in try? kind.answer(from: member[column]).get() }
                    let expected = layout.fact(answer, of: field, referenceDate: date)
                    #expect(withCell(answer) { decoder.member(slot, $0) } == expected, "\(name) \(String(describing: answer))")
                    compared += 1
                    if expected != HouseholdFacts.missing { known += 1 }
                }
            }
        }
        #expect(compared > 1_000)
        #expect(known > compared / 2)
    }

    @Test func datesThatAreNoDayCodesNotListedAndTheUnbornAreMissing() throws {
        let engine = Presets.colombia
        let date = CalendarDate(year: 2026, month: 6, day: 30)!
        let decoder = FactDecoder(layout: engine.layout, referenceDate: date)
        #expect(withText("2024-02-30") { decoder.member(0, $0) } == HouseholdFacts.missing)
        #expect(withText("2026-07-01") { decoder.member(0, $0) } == HouseholdFacts.missing)
        #expect(withText("2020-06-30") { decoder.member(0, $0) } == 6)
        #expect(withText("2020-07-01") { decoder.member(0, $0) } == 5)
        #expect(withText("20-06-30") { decoder.member(0, $0) } == HouseholdFacts.missing)
        let floor = try #require(engine.layout.householdFields.firstIndex { $0.name == "floor" })
        #expect(withText("earth") { decoder.household(floor, $0) } != HouseholdFacts.missing)
        #expect(withText("eart") { decoder.household(floor, $0) } == HouseholdFacts.missing)
        #expect(withText("marble-ish") { decoder.household(floor, $0) } == HouseholdFacts.missing)
        #expect(decoder.household(floor, .null) == HouseholdFacts.missing)
        // Numbers may come as text too (PostgreSQL's packed member answers).
        let rooms = try #require(engine.layout.householdFields.firstIndex { $0.name == "sleeping_rooms" })
        #expect(withText("12") { decoder.household(rooms, $0) } == 12)
        #expect(withText("-3") { decoder.household(rooms, $0) } == -3)
        #expect(withText("1x") { decoder.household(rooms, $0) } == HouseholdFacts.missing)
        #expect(withText("-") { decoder.household(rooms, $0) } == HouseholdFacts.missing)
    }
}

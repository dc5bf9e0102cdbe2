/// Measures scoring alone: households of the demo registry turned into facts once, laid out
/// in a page as a run reads them, then assessed over and over, so the figure is the engine's
/// and not the database's.
public struct ScoringBenchmark: Sendable {
    public let engine: PolicyEngine
    /// The households scored.
    public private(set) var page: FactPage

    public init(engine: PolicyEngine, demo: DemoRegistry, referenceDate: CalendarDate) {
        self.engine = engine
        let householdColumns = ExchangeFormat.householdColumns()
        let individualColumns = ExchangeFormat.individualColumns()
        let questionnaire = Questionnaire.standard
        func sheet(_ fields: [Questionnaire.Field], _ columns: [String], _ row: [String]) -> AnswerSheet {
            AnswerSheet(fields: fields, values: fields.map { field in
                guard let index = columns.firstIndex(of: field.name), index < row.count,
                      case .success(let answer) = field.kind.answer(from: row[index]) else { return nil }
                return answer
            })
        }
        let areaColumn = householdColumns.firstIndex(of: "area_code")!
        var page = FactPage(layout: engine.layout)
        var facts = HouseholdFacts(layout: engine.layout)
        demo.forEachHousehold { household, members in
            facts.load(layout: engine.layout, household: sheet(questionnaire.householdFields, householdColumns, household),
                       members: members.map { sheet(questionnaire.individualFields, individualColumns, $0) },
                       areaPath: "/\(household[areaColumn])/", referenceDate: referenceDate)
            page.append(facts)
        }
        self.page = page
    }

    /// Scores `count` households, cycling through the page, each copied into the facts the
    /// engine reads as a run does; returns how many were poor (or in the first class), so
    /// that the work cannot be optimised away.
    public func score(count: Int) -> Int {
        var first = 0
        var facts = HouseholdFacts(layout: engine.layout)
        var index = 0
        for _ in 0..<count {
            page.load(index, into: &facts)
            if engine.assess(&facts).classIndex == 0 { first += 1 }
            index += 1
            if index == page.count { index = 0 }
        }
        return first
    }
}

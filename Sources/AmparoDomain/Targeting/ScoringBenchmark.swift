/// Measures scoring alone: households of the demo registry turned into facts once, then
/// assessed over and over, so the figure is the engine's and not the database's.
public struct ScoringBenchmark: Sendable {
    public let engine: PolicyEngine
    /// The households scored, as facts, kept small enough to stay in the processor's caches' neighbourhood.
    public private(set) var pool: [HouseholdFacts] = []

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
        var pool: [HouseholdFacts] = []
        demo.forEachHousehold { household, members in
            var facts = HouseholdFacts(layout: engine.layout)
            facts.load(layout: engine.layout, household: sheet(questionnaire.householdFields, householdColumns, household),
                       members: members.map { sheet(questionnaire.individualFields, individualColumns, $0) },
                       areaPath: "/\(household[areaColumn])/", referenceDate: referenceDate)
            pool.append(facts)
        }
        self.pool = pool
    }

    /// Scores `count` households, cycling through the pool; returns how many were poor (or in the
    /// first class), so that the work cannot be optimised away.
    public func score(count: Int) -> Int {
        var first = 0
        var pool = self.pool
        var index = 0
        for _ in 0..<count {
            if engine.assess(&pool[index]).classIndex == 0 { first += 1 }
            index += 1
            if index == pool.count { index = 0 }
        }
        return first
    }
}

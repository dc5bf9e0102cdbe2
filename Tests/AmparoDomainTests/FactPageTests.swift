import Testing
@testable import AmparoDomain

/// A run reads households into a `FactPage` and scores each from there: what it scores must
/// be exactly the household that went in, whatever the sizes of the households around it.
@Suite struct FactPageTests {
    /// Households of 0 to 5 members, some answers missing, in different areas.
    private var households: [TestHousehold] {
        let base = TestHousehold.comfortable
        var alone = base
        alone.members = [TestHousehold.adult(born: "1950-01-01").merging(["literate": "0"]) { $1 }]
        var empty = base
        empty.members = []
        empty.areaPath = "/AM/12/12201/"
        let crowded = base.with(["sleeping_rooms": "1", "zone": "rural", "floor": "earth"])
            .adding(TestHousehold.child(age: 7, attends: "0")).adding(TestHousehold.child(age: 13))
            .adding(TestHousehold.child(age: 2)).withMember(4, ["early_childhood_care": "0"])
        let unknown = base.with(["water_source": nil]).withMember(1, ["schooling_years": nil])
        return [base, crowded, alone, empty, unknown, crowded, base]
    }

    @Test(arguments: ["colombia-mpi@1", "global-mpi@1", "example-pmt@1"])
    func eachHouseholdScoresFromThePageAsItDoesAlone(_ reference: String) throws {
        let engine = Presets.engine(reference)
        var page = FactPage(layout: engine.layout)
        for household in households { page.append(household.facts(engine)) }
        #expect(page.count == households.count)
        var facts = HouseholdFacts(layout: engine.layout)
        var classes: Set<Int> = []
        for (index, household) in households.enumerated() {
            page.load(index, into: &facts)
            var alone = household.facts(engine)
            #expect(page.memberCount(of: index) == household.members.count)
            #expect(facts.memberCount == alone.memberCount)
            #expect(facts.areaPath == household.areaPath)
            #expect(facts.household == alone.household)
            #expect(Array(facts.members.prefix(alone.members.count)) == alone.members)
            let fromPage = engine.assess(&facts)
            #expect(fromPage == engine.assess(&alone), "household \(index)")
            classes.insert(fromPage.classIndex)
        }
        // The households differ enough to land in more than one class.
        #expect(classes.count > 1)
    }

    @Test func anEmptiedPageHoldsNothingOfThePreviousOne() {
        let engine = Presets.colombia
        var page = FactPage(layout: engine.layout)
        for household in households { page.append(household.facts(engine)) }
        page.removeAll()
        #expect(page.count == 0)
        let last = households[1]
        page.append(last.facts(engine))
        var facts = HouseholdFacts(layout: engine.layout)
        page.load(0, into: &facts)
        #expect(page.memberCount(of: 0) == last.members.count)
        #expect(engine.assess(&facts) == last.assess(engine))
    }
}

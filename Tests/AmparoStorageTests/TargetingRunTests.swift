import Foundation
import Testing
import SQLKit
import AmparoDomain
import AmparoStorage
@testable import AmparoStorage
import AmparoTestSupport

/// A small demo registry, the same every time.
func loadDemo(_ database: RegistryDatabase, households: Int = 120) async throws {
    _ = try await DemoLoader(database: database).load(DemoRegistry(households: households, seed: 11))
}

let referenceDate = CalendarDate(year: 2026, month: 11, day: 24)!

/// A row of a run's report or of its MPI side.
protocol ReportRow {
    var scope: String { get }
    var key: String { get }
}

extension RunReport.Row: ReportRow {}
extension MPIReport.Row: ReportRow {}

/// The demo's regions have two-digit codes; the country is AM.
///
/// Kept a named function passed by reference: under Swift 6.3, this suite's one-line
/// `filter { … }` closures over these rows returned the wrong rows in this test.
func isRegion(_ row: some ReportRow) -> Bool {
    let isArea = row.scope == "area"
    let twoDigits = row.key.count == 2 && row.key.allSatisfy(\.isNumber)
    return isArea && twoDigits
}

/// Expects every household of a run (in `areaPath`, or all) to hold the result the policy
/// gives it read on its own, with its members; returns the classes seen.
private func expectResultsOnTheirOwn(_ database: RegistryDatabase, run id: Int64, areaPath: String?, count: Int) async throws -> Set<String> {
    let runs = TargetingRunRepository(database: database)
    let run = try #require(try await runs.find(id))
    let policy = try await runs.policy(for: run)
    let households = try await HouseholdRepository(database: database).list(within: areaPath.map { [$0] }, after: nil, limit: 1000).households
    #expect(households.count == count)
    var classes: Set<String> = []
    for listed in households {
        let household = try #require(try await HouseholdRepository(database: database).find(id: listed.id))
        let area = try #require(try await AreaRepository(database: database).find(code: household.area.code))
        let explained = try #require(try await HouseholdAssessments(database: database)
            .explain(household, areaPath: area.path, policy: run.policyReference, on: referenceDate))
        let expected = explained.explanation.assessment
        let stored = try #require(try await runs.result(run: id, household: household.id, policy: policy))
        #expect(stored.assessment == expected, "household \(household.registryNumber)")
        #expect(stored.members == household.members?.count)
        classes.insert(policy.classes[expected.classIndex].id)
    }
    return classes
}

@Suite("Targeting runs over the registry")
struct TargetingRunTests {
    @Test("each stored result is what the policy gives the household read on its own", arguments: TestDatabaseKind.allCases)
    func resultsMatchTheSlowRoad(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database, households: 60)
            var job = TargetingRun(database: database)
            job.pageSize = 7
            let id = try await job.start(.published("colombia-mpi"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            let run = try #require(try await TargetingRunRepository(database: database).find(id))
            #expect(run.status == "completed")
            #expect(run.householdsDone == 60)
            let classes = try await expectResultsOnTheirOwn(database, run: id, areaPath: nil, count: 60)
            #expect(classes.isSuperset(of: ["poor", "not_poor"]))
        }
    }

    @Test("figures add up: areas and groups to the whole, households and persons", arguments: TestDatabaseKind.allCases)
    func figuresAddUp(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database)
            let id = try await TargetingRun(database: database)
                .start(.published("colombia-mpi@1"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            let report = try await TargetingRunRepository(database: database).report(id)
            let counts = try await RegistryStatistics(database: database).counts()
            for weighting in Weighting.allCases {
                let rows = report.rows.filter { $0.weighting == weighting }
                let whole = try #require(rows.first { $0.scope == "all" }).tally
                #expect(whole.classes.reduce(0, +) == (weighting == .households ? 120 : Double(counts.individuals)))
                let regions = rows.filter(isRegion)
                let regionCodes = regions.map(\.key)
                #expect(regionCodes == ["11", "15", "27", "33", "50", "91"])
                let country = try #require(rows.first { $0.scope == "area" && $0.key == "AM" }).tally
                #expect(country == whole)
                // The head of each household is found, whichever way the database hands the members over.
                for scope in ["head_sex", "head_ethnicity"] {
                    let known = Set(rows.filter { $0.scope == scope }.map(\.key)).subtracting(["unknown"])
                    #expect(known.count >= 2, "\(scope): \(known)")
                }
                for scope in ["zone", "head_sex"] {
                    var merged = PopulationTally(policy: report.policy)
                    for row in rows where row.scope == scope { merged.merge(row.tally) }
                    #expect(merged == whole, "\(scope) \(weighting)")
                }
                var byRegion = PopulationTally(policy: report.policy)
                for row in regions { byRegion.merge(row.tally) }
                #expect(byRegion == whole)
                // M0 of the whole is the population-weighted sum of the regions' M0.
                let figures = try #require(report.mpi?.rows.first { $0.scope == "all" && $0.weighting == weighting.rawValue }).figures
                let parts = try #require(report.mpi?.rows.filter(isRegion).filter { $0.weighting == weighting.rawValue })
                let recomposed = parts.reduce(0.0) { $0 + $1.figures.population / figures.population * $1.figures.adjustedHeadcountRatio }
                #expect(abs(recomposed - figures.adjustedHeadcountRatio) < 1e-12)
                #expect(abs(figures.contributions.reduce(0, +) - 1) < 1e-9)
            }
        }
    }

    @Test("a stopped run resumes to exactly what an uninterrupted run gives", arguments: TestDatabaseKind.allCases)
    func resumes(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database)
            var whole = TargetingRun(database: database)
            whole.pageSize = 25
            let reference = try await whole.start(.published("global-mpi"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            var stopping = whole
            stopping.stopAfterPages = 2
            await #expect(throws: CancellationError.self) {
                _ = try await stopping.start(.published("global-mpi"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            }
            let runs = TargetingRunRepository(database: database)
            let stopped = try #require(try await runs.list().first)
            #expect(stopped.status == "running")
            #expect(stopped.householdsDone == 50)
            try await whole.resume(stopped.id)
            await #expect(throws: TargetingError.runAlreadyCompleted(stopped.id)) { try await whole.resume(stopped.id) }
            let comparison = try await runs.compare(reference, stopped.id)
            #expect(comparison.transitions.allSatisfy { $0.fromClass == $0.toClass })
            #expect(comparison.transitions.map(\.households).reduce(0, +) == 120)
            let first = try await runs.report(reference).csv()
            let second = try await runs.report(stopped.id).csv()
            #expect(first == second)
        }
    }

    @Test("an area's run, a simulation and the comparison of two runs", arguments: TestDatabaseKind.allCases)
    func simulationAndComparison(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database)
            let job = TargetingRun(database: database)
            let enacted = try await job.start(.published("colombia-mpi"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            // A draft with a lower cut-off: nobody leaves, some enter.
            let text = try #require(try await PolicyCatalogue(database: database).policy("colombia-mpi")).source.text
                .replacingOccurrences(of: "\"k\":\"0.33\"", with: "\"k\":\"0.2\"")
                .replacingOccurrences(of: "\"version\":1", with: "\"version\":2")
            let draft = try TargetingPolicy.read(Array(text.utf8))
            let simulated = try await job.start(.draft(draft), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            let runs = TargetingRunRepository(database: database)
            #expect(try await runs.find(simulated)?.purpose == "simulation")
            #expect(try await PolicyCatalogue(database: database).policy("colombia-mpi@2") == nil)
            let comparison = try await runs.compare(enacted, simulated)
            let entering = comparison.transitions.first { $0.fromClass == "not_poor" && $0.toClass == "poor" }
            #expect((entering?.households ?? 0) > 0)
            #expect(!comparison.transitions.contains { $0.fromClass == "poor" && $0.toClass == "not_poor" })
            let changes = try await runs.changes(enacted, simulated, limit: 1000)
            #expect(Int64(changes.count) == entering?.households)
            // A run over one region scores only its households.
            let region = try #require(try await AreaRepository(database: database).all().first { $0.level == "region" })
            // Small pages, so that pages hold members of households outside the region between theirs.
            var regionalJob = job
            regionalJob.pageSize = 5
            let regional = try await regionalJob.start(.published("colombia-mpi"), referenceDate: referenceDate, areaCode: region.code, actor: "tester")
            let inRegion = try await HouseholdRepository(database: database).list(within: [region.path], after: nil, limit: 1000).households.count
            #expect(try await runs.find(regional)?.householdsDone == Int64(inRegion))
            _ = try await expectResultsOnTheirOwn(database, run: regional, areaPath: region.path, count: inRegion)
            await #expect(throws: TargetingError.unknownArea("ZZ")) {
                _ = try await job.start(.published("colombia-mpi"), referenceDate: referenceDate, areaCode: "ZZ", actor: "tester")
            }
            await #expect(throws: TargetingError.unknownPolicy("no-such-policy")) {
                _ = try await job.start(.published("no-such-policy"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            }
        }
    }

    @Test("on PostgreSQL, runs read the households' snapshot that imports keep current, and rebuild it when it is not")
    func snapshotFollowsTheRegistry() async throws {
        try await TestDatabase.with(.postgres) { database in
            try await loadDemo(database, households: 60)
            var job = TargetingRun(database: database)
            job.pageSize = 7
            let rebuilt = Collected(false)
            job.progress = { progress in if progress.rebuildingSnapshot { rebuilt.update { $0 = true } } }
            func snapshot() async throws -> (through: Int64?, latest: Int64, households: Int, members: Int, memberships: Int) {
                try await database.read { db in
                    let row = try #require(try await db.raw("""
                        SELECT (SELECT current_through FROM household_snapshot_state WHERE id = 1) AS through,
                               (SELECT MAX(id) FROM change_history) AS latest,
                               (SELECT COUNT(*) FROM household_snapshots) AS households,
                               (SELECT COALESCE(SUM(array_length(string_to_array(facts, E'\\x1E'), 1)), 0) FROM member_snapshots) AS members,
                               (SELECT COUNT(*) FROM memberships) AS memberships
                        """).first())
                    return (try row.decode(column: "through", as: Int64?.self), try row.decode(column: "latest", as: Int64.self),
                            try row.decode(column: "households", as: Int.self), try row.decode(column: "members", as: Int.self),
                            try row.decode(column: "memberships", as: Int.self))
                }
            }
            /// Each household's row, and its members' records in order, as the snapshot holds them.
            func contents() async throws -> [UUID: (household: String, members: [String])] {
                try await database.read { db in
                    var contents: [UUID: (household: String, members: [String])] = [:]
                    for row in try await db.raw("SELECT household_id, area_path || '|' || facts AS facts FROM household_snapshots").all() {
                        contents[try row.decode(column: "household_id", as: UUID.self)] = (try row.decode(column: "facts", as: String.self), [])
                    }
                    for row in try await db.raw("SELECT household_id, facts FROM member_snapshots").all() {
                        let id = try row.decode(column: "household_id", as: UUID.self)
                        contents[id, default: ("", [])].members += try row.decode(column: "facts", as: String.self)
                            .split(separator: "\u{1E}", omittingEmptySubsequences: false).map(String.init)
                    }
                    return contents.mapValues { ($0.household, $0.members.sorted()) }
                }
            }
            func run() async throws -> Int64 {
                rebuilt.update { $0 = false }
                return try await job.start(.published("colombia-mpi"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            }
            func setThrough(_ through: Int64?) async throws {
                try await database.transaction { db in
                    try await db.raw("UPDATE household_snapshot_state SET current_through = \(bind: through)").run()
                }
            }
            let runs = TargetingRunRepository(database: database)

            // The import that loaded the registry wrote the snapshot, and left it current.
            let loaded = try await snapshot()
            #expect(loaded.through == loaded.latest)
            #expect(loaded.households == 60 && loaded.members == loaded.memberships && loaded.members > 60)
            let written = try await contents()
            let first = try await run()
            #expect(!rebuilt.value)
            _ = try await expectResultsOnTheirOwn(database, run: first, areaPath: nil, count: 60)
            let policy = try await runs.policy(for: try #require(try await runs.find(first)))

            // One household's members gone from the snapshot alone: a run that reads the snapshot finds none.
            let households = try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 100).households
            let altered = try #require(households.first)
            try await database.transaction { db in
                try await db.raw("DELETE FROM member_snapshots WHERE household_id = \(bind: altered.id)").run()
            }
            let second = try await run()
            #expect(try await runs.result(run: second, household: altered.id, policy: policy)?.members == 0)

            // An import adds a person to a household, and writes the snapshot's row of them.
            let joined = try #require(households.last)
            let folder = try ExchangeFolder()
            defer { folder.delete() }
            try folder.write(ExchangeFormat.individualsFile, """
                person_ref,household_ref,relationship,given_names,first_surname,sex,birth_date,ethnicity,literate,schooling_years
                PX-1,\(joined.sourceRef),grandchild,Antônia,Muñoz,f,2019-05-01,none,0,

                """)
            _ = try await runImport(database, folder)
            let imported = try await snapshot()
            #expect(imported.through == imported.latest && imported.latest > loaded.latest)
            #expect(imported.members == loaded.members - (written[altered.id]?.members.count ?? 0) + 1)
            let third = try await run()
            #expect(!rebuilt.value)
            let before = try #require(try await runs.result(run: first, household: joined.id, policy: policy)?.members)
            #expect(try await runs.result(run: third, household: joined.id, policy: policy)?.members == before + 1)
            let joinedWritten = try #require(try await contents()[joined.id])

            // A few households changed since the snapshot was current: the next run rebuilds theirs
            // first, from the registry's tables, into exactly what the imports wrote.
            try await setThrough(loaded.latest)
            let fourth = try await run()
            #expect(!rebuilt.value)
            #expect(try await runs.result(run: fourth, household: joined.id, policy: policy)?.members == before + 1)
            #expect(try await snapshot().through == imported.latest)
            let joinedRebuilt = try #require(try await contents()[joined.id])
            #expect(joinedRebuilt.household == joinedWritten.household)
            #expect(joinedRebuilt.members == joinedWritten.members)

            // Not current (as after an upgrade): an import leaves it alone, and the next whole run rebuilds it all.
            try await setThrough(nil)
            try folder.write(ExchangeFormat.individualsFile, """
                person_ref,household_ref,relationship,given_names,first_surname,sex,birth_date,ethnicity
                PX-2,\(joined.sourceRef),grandchild,Nguyễn,Muñoz,m,2020-02-01,none

                """)
            _ = try await runImport(database, folder)
            let stale = try await snapshot()
            #expect(stale.through == nil && stale.members == imported.members && stale.memberships == imported.memberships + 1)
            // A run over one region cannot rebuild it all: it joins memberships to people instead.
            let region = try #require(try await AreaRepository(database: database).all().first { $0.level == "region" })
            let inRegion = try await HouseholdRepository(database: database).list(within: [region.path], after: nil, limit: 100).households.count
            let regional = try await job.start(.published("colombia-mpi"), referenceDate: referenceDate, areaCode: region.code, actor: "tester")
            #expect(!rebuilt.value)
            _ = try await expectResultsOnTheirOwn(database, run: regional, areaPath: region.path, count: inRegion)
            #expect(try await snapshot().through == nil)
            let fifth = try await run()
            #expect(rebuilt.value)
            let rebuiltAll = try await snapshot()
            #expect(rebuiltAll.through == rebuiltAll.latest && rebuiltAll.households == 60 && rebuiltAll.members == rebuiltAll.memberships)
            _ = try await expectResultsOnTheirOwn(database, run: fifth, areaPath: nil, count: 60)
            // Rebuilt from the registry's tables, every other household's rows are what the first import wrote.
            let everything = try await contents()
            #expect(everything.count == 60 && written.count == 60)
            for (id, rows) in written where id != joined.id {
                #expect(everything[id]?.household == rows.household, "household \(id)")
                #expect(everything[id]?.members == rows.members, "members of \(id)")
            }
            #expect(everything[joined.id]?.members.count == joinedWritten.members.count + 1)
        }
    }

    @Test("the snapshot rebuilt on its own, as after an upgrade, is read as it stands by the next run", arguments: TestDatabaseKind.allCases)
    func snapshotRebuiltOnItsOwn(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await loadDemo(database, households: 60)
            var refresh = HouseholdSnapshotRefresh(database: database)
            refresh.pageSize = 7
            guard kind == .postgres else {
                #expect(try await refresh.run() == .notKept)
                return
            }
            #expect(try await refresh.run() == .current)
            try await database.transaction { db in
                try await db.raw("UPDATE household_snapshot_state SET current_through = NULL").run()
            }
            // Stopped, it leaves the snapshot not current; run again, it rebuilds it all.
            let stopped = Task { try await refresh.run() }
            stopped.cancel()
            await #expect(throws: CancellationError.self) { try await stopped.value }
            let state = try await database.read { db in
                try await db.raw("SELECT current_through FROM household_snapshot_state").first()?.decode(column: "current_through", as: Int64?.self)
            }
            #expect(state == .some(nil))
            let again = try await refresh.run()
            #expect(again == .rebuilt(households: 60), "\(again)")
            #expect(try await refresh.run() == .current)
            var job = TargetingRun(database: database)
            job.pageSize = 7
            let rebuilt = Collected(false)
            job.progress = { progress in if progress.rebuildingSnapshot { rebuilt.update { $0 = true } } }
            let id = try await job.start(.published("colombia-mpi"), referenceDate: referenceDate, areaCode: nil, actor: "tester")
            #expect(!rebuilt.value)
            _ = try await expectResultsOnTheirOwn(database, run: id, areaPath: nil, count: 60)
        }
    }

    @Test("a published policy never changes", arguments: TestDatabaseKind.allCases)
    func publishedPoliciesAreImmutable(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let catalogue = PolicyCatalogue(database: database)
            // The presets were published by the migration; publishing them again adds nothing.
            try await catalogue.publishPresets()
            let policy = try #require(try await catalogue.policy("global-mpi"))
            #expect(try await catalogue.publish(policy, by: "tester") == .alreadyPublished)
            let changed = try TargetingPolicy.read(Array(policy.source.text
                .replacingOccurrences(of: "\"k\":\"1/3\"", with: "\"k\":\"1/2\"").utf8))
            await #expect(throws: TargetingError.policyConflict("global-mpi@1")) { try await catalogue.publish(changed, by: "tester") }
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    try await db.raw("UPDATE targeting_policies SET definition = '{}' WHERE name = 'global-mpi'").run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in try await db.raw("DELETE FROM targeting_policies").run() }
            }
            #expect(try await catalogue.entries().count == TargetingPreset.all.count)
        }
    }
}

import Foundation
import SQLKit
import AmparoDomain

/// Scores every household of the registry (or of an area) under a policy at a reference
/// date, and stores each household's result and the run's figures by area and group.
///
/// Households are read in pages in id order; each page's results and the run's cursor are
/// written in one transaction, so a run stopped at any moment resumes where it stopped and
/// ends with exactly what an uninterrupted run gives. Memory holds one page and the tallies.
public struct TargetingRun: Sendable {
    public let database: RegistryDatabase
    let questionnaire: Questionnaire
    public var pageSize = 10_000
    public var progress: @Sendable (Progress) -> Void = { _ in }
    /// Stops, as if interrupted, after this many pages; for the tests of resumption.
    var stopAfterPages: Int?
    /// Connections reading the members of pages ahead, side by side: on two cores, reading
    /// members costs a run more than scoring and storing results do.
    static let memberReaders = 2
    /// Connections writing results on PostgreSQL, a page each in turn: storing a page's
    /// results (COPY, then the commit) took a run longer than reading and scoring it.
    static let resultWriters = 2

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    /// How far a run has got.
    public struct Progress: Sendable {
        public var stage: Stage
        public var done: Int64
        public var total: Int64
        /// On PostgreSQL, whether the run rebuilds the households' snapshot as it reads (see
        /// `HouseholdSnapshots`), as a whole-registry run does when no import kept it current.
        public var rebuildingSnapshot = false
        public enum Stage: String, Sendable { case scoring, aggregating }
    }

    /// What to run: a published policy, or a draft for a simulation, which is stored with the run
    /// but not published.
    public enum Subject: Sendable {
        case published(String)
        case draft(TargetingPolicy)
    }

    /// Starts a run and carries it to the end; returns its id.
    public func start(_ subject: Subject, referenceDate: CalendarDate, areaCode: String?, actor: String) async throws -> Int64 {
        let policies = try await PolicyCatalogue(database: database, questionnaire: questionnaire).policies()
        let policy: TargetingPolicy
        let purpose: String
        switch subject {
        case .published(let reference):
            guard let found = PolicyCatalogue.policy(reference, in: policies) else { throw TargetingError.unknownPolicy(reference) }
            policy = found
            purpose = "run"
        case .draft(let draft):
            policy = draft
            purpose = "simulation"
        }
        let engine = try await HazardLayers(database: database).engine(for: policy, questionnaire: questionnaire, policies: policies)
        let areaPath: String?
        if let areaCode {
            guard let area = try await AreaRepository(database: database).find(code: areaCode) else {
                throw TargetingError.unknownArea(areaCode)
            }
            areaPath = area.path
        } else {
            areaPath = nil
        }
        let definition: String? = purpose == "simulation" ? policy.source.text : nil
        let id = try await database.transaction { db in
            try await db.raw("""
                INSERT INTO targeting_runs (policy_name, policy_version, purpose, definition, reference_date, area_code, area_path,
                                            status, score_denominator, started_by, started_at)
                VALUES (\(bind: policy.name), \(bind: policy.version), \(bind: purpose), \(bind: definition),
                        \(bind: referenceDate.description), \(bind: areaCode), \(bind: areaPath), 'running',
                        \(bind: engine.scoreDenominator), \(bind: actor), \(bind: Timestamp.now()))
                RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
        }
        try await carry(id, engine: engine)
        return id
    }

    /// Carries an interrupted run to the end.
    public func resume(_ id: Int64) async throws {
        let runs = TargetingRunRepository(database: database, questionnaire: questionnaire)
        guard let run = try await runs.find(id) else { throw TargetingError.unknownRun(id) }
        guard run.status != "completed" else { throw TargetingError.runAlreadyCompleted(id) }
        try await carry(id, engine: try await runs.engine(for: run))
    }

    private func carry(_ id: Int64, engine: PolicyEngine) async throws {
        let runs = TargetingRunRepository(database: database, questionnaire: questionnaire)
        guard let run = try await runs.find(id) else { throw TargetingError.unknownRun(id) }
        var figures = RunAggregation(policy: engine.policy, areas: try await AreaRepository(database: database).all())
        if run.householdsDone > 0 {
            progress(Progress(stage: .aggregating, done: 0, total: run.householdsDone))
            try await figures.addStored(runID: id, database: database)
        }
        let pageSize = pageSize, stopAfterPages = stopAfterPages, progress = progress
        let start = figures
        let tablePages = HouseholdPages(dialect: database.dialect, layout: engine.layout, referenceDate: run.referenceDate,
                                        areaPath: run.areaPath, pageSize: pageSize)
        let snapshots = HouseholdSnapshots(questionnaire: questionnaire)
        let writingLanes = database.dialect == .postgres ? Self.resultWriters : 1
        figures = try await database.withDirectConnections(readers: 1 + Self.memberReaders + writingLanes - 1,
                                                            readerSettings: HouseholdPages.postgresSettings) { connections, connection in
            let readers = Array(connections.prefix(1 + Self.memberReaders))
            let writers = [connection] + connections.dropFirst(1 + Self.memberReaders)
            var figures = start
            var pages = tablePages
            var markThrough: Int64?
            if pages.dialect == .postgres {
                let wholeRegistry = run.areaPath == nil && run.householdsDone == 0
                switch try await snapshots.prepare(on: readers[0], wholeRegistry: wholeRegistry) {
                case .current:
                    pages.snapshot = .init(snapshots: snapshots, rebuilding: false)
                case .stale(let through?):
                    pages.snapshot = .init(snapshots: snapshots, rebuilding: true)
                    markThrough = through
                case .stale(nil):
                    // Not current, and this run cannot rebuild it all: it joins memberships to people.
                    break
                }
            }
            let total = try await pages.count(on: readers[0])
            var done = run.householdsDone
            var facts = HouseholdFacts(layout: engine.layout)
            let classIDs = engine.policy.classes.map(\.id)
            let columns = [
                "run_id", "household_id", "area_id", "zone", "head_sex", "head_ethnicity", "members", "class",
                "score_units", "value", "deprived", "missing",
            ]
            var count = 0
            var pipeline = WritePipeline(lanes: writers.count)
            let rebuilding = pages.snapshot?.rebuilding ?? false
            var ahead = PageReadAhead(pages: pages, finding: readers[0], gathering: Array(readers.dropFirst()),
                                      cursor: run.cursor?.uuidString)
            do {
                while let page = try await ahead.next() {
                    let last = page.households.last!.id
                    guard UUID(uuidString: last) != nil else { throw StorageError.inconsistent("household id \(last) is not a UUID") }
                    // Stopping between pages leaves the run exactly resumable.
                    try Task.checkCancellation()
                    if let stopAfterPages, count == stopAfterPages { throw CancellationError() }
                    count += 1
                    var rows = BulkRows(table: "targeting_results", columns: columns, reservingRows: page.households.count)
                    for (index, household) in page.households.enumerated() {
                        page.facts.load(index, into: &facts)
                        let assessment = engine.assess(&facts)
                        // A stopped run's figures are dropped, and a resumed one adds back those of the
                        // results stored: a page may count in them before its results are stored.
                        figures.add(assessment, areaID: household.areaID, zone: household.zone, headSex: household.headSex,
                                    headEthnicity: household.headEthnicity, members: facts.memberCount)
                        rows.appendInteger(id)
                        rows.appendText(household.id)
                        rows.appendText(household.areaID)
                        rows.appendText(orNull: household.zone)
                        rows.appendText(orNull: household.headSex)
                        rows.appendText(orNull: household.headEthnicity)
                        rows.appendInteger(Int64(facts.memberCount))
                        rows.appendText(classIDs[assessment.classIndex])
                        rows.appendInteger(assessment.scoreUnits)
                        if let value = assessment.value { rows.appendReal(value) } else { rows.appendNull() }
                        rows.appendInteger(Int64(bitPattern: assessment.deprived))
                        rows.appendInteger(Int64(bitPattern: assessment.missing))
                        rows.endRow()
                    }
                    let scored = Int64(page.households.count)
                    let ready = rows, before = pipeline.newest
                    // The next page is scored while this one is written. On PostgreSQL pages go to two
                    // connections in turn, but each page's results and the cursor past them commit
                    // only after the page before: a stop leaves the first pages stored, as the cursor says.
                    try await pipeline.submit { lane in
                        let writer = writers[lane]
                        var rows = ready
                        try await writer.inTransaction {
                            try await writer.write(&rows)
                            if let before { _ = try await before.value }
                            try await writer.execute(["""
                                UPDATE targeting_runs SET cursor_id = '\(last)', households_done = households_done + \(scored)
                                WHERE id = \(id)
                                """])
                        }
                        return WritePipeline.Outcome(added: Int(scored), refused: 0)
                    }
                    done += scored
                    progress(Progress(stage: .scoring, done: done, total: total, rebuildingSnapshot: rebuilding))
                }
                _ = try await pipeline.finish()
            } catch {
                // The connections close when this returns: let the reads and writes under way end first.
                await ahead.finish()
                _ = try? await pipeline.finish()
                throw error
            }
            // Every page rebuilt, from the first: the snapshot is current through the entry the run started from.
            if let markThrough { try await snapshots.markCurrent(through: markThrough, on: connection) }
            return figures
        }
        try await figures.store(runID: id, database: database)
        try await database.transaction { db in
            try await db.raw("""
                UPDATE targeting_runs SET status = 'completed', finished_at = \(bind: Timestamp.now()) WHERE id = \(bind: id)
                """).run()
        }
    }
}

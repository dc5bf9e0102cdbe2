import Foundation
import SQLKit
import AmparoDomain

/// A targeting run as stored.
public struct StoredRun: Sendable, Encodable {
    public var id: Int64
    public var policyName: String
    public var policyVersion: Int
    /// `run`, or `simulation` for a draft policy that was not published.
    public var purpose: String
    public var referenceDate: CalendarDate
    public var areaCode: String?
    public var areaPath: String?
    /// `running` until every household is scored and the figures are stored, then `completed`.
    public var status: String
    public var householdsDone: Int64
    public var scoreDenominator: Int64
    public var startedBy: String
    public var startedAt: String
    public var finishedAt: String?
    var cursor: UUID?
    var definition: String?

    public var policyReference: String { "\(policyName)@\(policyVersion)" }

    enum CodingKeys: String, CodingKey {
        case id, policyName, policyVersion, purpose, referenceDate, areaCode, status, householdsDone, startedBy, startedAt, finishedAt
    }
}

/// How households moved between the classes of two runs.
public struct RunComparison: Sendable, Encodable {
    public var from: Int64
    public var to: Int64
    public var transitions: [Transition]

    /// Households (and their members) that were in class `from` in the first run and in `to` in
    /// the second; `none` where a household was not in that run.
    public struct Transition: Sendable, Encodable, Equatable {
        public var fromClass: String
        public var toClass: String
        public var households: Int64
        public var persons: Int64
    }
}

/// One household that changed class between two runs.
public struct ClassChange: Sendable, Encodable, Equatable {
    public var householdID: UUID
    public var registryNumber: String
    public var fromClass: String
    public var toClass: String
}

/// One household's stored result in a run.
public struct StoredResult: Sendable {
    public var runID: Int64
    public var householdID: UUID
    public var members: Int
    public var assessment: Assessment
}

/// Reads targeting runs, their figures and their results.
public struct TargetingRunRepository: Sendable {
    public let database: RegistryDatabase
    let questionnaire: Questionnaire

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    private static let columns = """
        id, policy_name, policy_version, purpose, definition, reference_date, area_code, area_path, status, cursor_id,
        households_done, score_denominator, started_by, started_at, finished_at
        """

    public func find(_ id: Int64) async throws -> StoredRun? {
        let row = try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM targeting_runs WHERE id = \(bind: id)").first()
        }
        return try row.map(Self.run)
    }

    /// Every run, the latest first.
    public func list(limit: Int = 100) async throws -> [StoredRun] {
        let rows = try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM targeting_runs ORDER BY id DESC LIMIT \(bind: limit)").all()
        }
        return try rows.map(Self.run)
    }

    /// The policy a run applied: the published one, or the draft stored with a simulation.
    public func policy(for run: StoredRun) async throws -> TargetingPolicy {
        try policy(for: run, among: try await PolicyCatalogue(database: database, questionnaire: questionnaire).policies())
    }

    private func policy(for run: StoredRun, among policies: [String: TargetingPolicy]) throws -> TargetingPolicy {
        if let definition = run.definition {
            return try TargetingPolicy.read(Array(definition.utf8), questionnaire: questionnaire, policies: policies)
        }
        guard let policy = policies[run.policyReference] else { throw TargetingError.unknownPolicy(run.policyReference) }
        return policy
    }

    public func engine(for run: StoredRun) async throws -> PolicyEngine {
        let policies = try await PolicyCatalogue(database: database, questionnaire: questionnaire).policies()
        return try await HazardLayers(database: database)
            .engine(for: try policy(for: run, among: policies), questionnaire: questionnaire, policies: policies)
    }

    /// A run's figures; `scopes` limits them (e.g. `["all", "area"]`), `weighting` to one way of counting.
    public func report(_ id: Int64, scopes: Set<String>? = nil, weighting: Weighting? = nil) async throws -> RunReport {
        guard let run = try await find(id) else { throw TargetingError.unknownRun(id) }
        let policy = try await policy(for: run)
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT g.scope, g.key, g.weighting, g.tally, a.name AS area_name, a.path AS area_path, a.level AS area_level
                FROM targeting_aggregates g LEFT JOIN areas a ON g.scope = 'area' AND a.code = g.key
                WHERE g.run_id = \(bind: id)
                """).all()
        }
        let order = ["all": 0, "area": 1, "zone": 2, "head_sex": 3, "head_ethnicity": 4]
        let decoder = JSONDecoder()
        var report: [(sort: String, row: RunReport.Row)] = []
        for row in rows {
            let scope = try row.decode(column: "scope", as: String.self)
            guard let counting = Weighting(rawValue: try row.decode(column: "weighting", as: String.self)) else { continue }
            if let scopes, !scopes.contains(scope) { continue }
            if let weighting, weighting != counting { continue }
            let key = try row.decode(column: "key", as: String.self)
            let tally = try decoder.decode(PopulationTally.self, from: Data(try row.decode(column: "tally", as: String.self).utf8))
            let name = try row.decode(column: "area_name", as: String?.self) ?? (key.isEmpty ? "all" : key)
            let path = try row.decode(column: "area_path", as: String?.self) ?? key
            let sort = "\(order[scope] ?? 9)\(path)\u{0}\(counting == .households ? 0 : 1)"
            let level = try row.decode(column: "area_level", as: String?.self).flatMap(AreaLevel.init(rawValue:))
            report.append((sort, RunReport.Row(scope: scope, key: key, name: name, weighting: counting, tally: tally, level: level)))
        }
        return RunReport(policy: policy, rows: report.sorted { $0.sort < $1.sort }.map(\.row))
    }

    /// How households moved between classes from run `a` to run `b`.
    public func compare(_ a: Int64, _ b: Int64) async throws -> RunComparison {
        for id in [a, b] where try await find(id) == nil { throw TargetingError.unknownRun(id) }
        // Both directions of the outer join, written as a union so that SQLite needs no FULL JOIN.
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT from_class, to_class, COUNT(*) AS households, SUM(members) AS persons FROM (
                    SELECT ra.class AS from_class, COALESCE(rb.class, 'none') AS to_class, COALESCE(rb.members, ra.members) AS members
                    FROM targeting_results ra
                    LEFT JOIN targeting_results rb ON rb.run_id = \(bind: b) AND rb.household_id = ra.household_id
                    WHERE ra.run_id = \(bind: a)
                    UNION ALL
                    SELECT 'none', rb.class, rb.members FROM targeting_results rb
                    WHERE rb.run_id = \(bind: b) AND NOT EXISTS (
                        SELECT 1 FROM targeting_results ra WHERE ra.run_id = \(bind: a) AND ra.household_id = rb.household_id)
                ) t GROUP BY from_class, to_class ORDER BY from_class, to_class
                """).all()
        }
        return RunComparison(from: a, to: b, transitions: try rows.map { row in
            RunComparison.Transition(fromClass: try row.decode(column: "from_class", as: String.self),
                                     toClass: try row.decode(column: "to_class", as: String.self),
                                     households: try row.decode(column: "households", as: Int64.self),
                                     persons: try row.decode(column: "persons", as: Int64.self))
        })
    }

    /// Households whose class differs between run `a` and run `b`, in registry-number order.
    public func changes(_ a: Int64, _ b: Int64, after cursor: Int64? = nil, limit: Int = 100) async throws -> [ClassChange] {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT h.id, h.registry_sequence, ra.class AS from_class, rb.class AS to_class
                FROM targeting_results ra
                JOIN targeting_results rb ON rb.household_id = ra.household_id AND rb.run_id = \(bind: b)
                JOIN households h ON h.id = ra.household_id
                WHERE ra.run_id = \(bind: a) AND ra.class <> rb.class AND h.registry_sequence > \(bind: cursor ?? 0)
                ORDER BY h.registry_sequence LIMIT \(bind: limit)
                """).all()
        }
        return try rows.map { row in
            ClassChange(householdID: try row.decode(column: "id", as: UUID.self),
                        registryNumber: RegistryNumber(sequence: try row.decode(column: "registry_sequence", as: Int64.self)).description,
                        fromClass: try row.decode(column: "from_class", as: String.self),
                        toClass: try row.decode(column: "to_class", as: String.self))
        }
    }

    /// A household's stored result in a run, or nil when the run did not score it.
    public func result(run id: Int64, household: UUID, policy: TargetingPolicy) async throws -> StoredResult? {
        let row = try await database.read { db in
            try await db.raw("""
                SELECT members, class, score_units, value, deprived, missing FROM targeting_results
                WHERE run_id = \(bind: id) AND household_id = \(bind: household)
                """).first()
        }
        guard let row else { return nil }
        let className = try row.decode(column: "class", as: String.self)
        guard let index = policy.classes.firstIndex(where: { $0.id == className }) else {
            throw StorageError.inconsistent("run \(id) holds class \(className), which \(policy.reference) does not have")
        }
        return StoredResult(
            runID: id, householdID: household, members: try row.decode(column: "members", as: Int.self),
            assessment: Assessment(
                classIndex: index, scoreUnits: try row.decode(column: "score_units", as: Int64.self),
                value: try row.decode(column: "value", as: Double?.self),
                deprived: UInt64(bitPattern: try row.decode(column: "deprived", as: Int64.self)),
                missing: UInt64(bitPattern: try row.decode(column: "missing", as: Int64.self))))
    }

    private static func run(_ row: any SQLRow) throws -> StoredRun {
        let date = try row.decode(column: "reference_date", as: String.self)
        guard let referenceDate = CalendarDate(iso: date) else { throw StorageError.inconsistent("run reference date \(date)") }
        return StoredRun(
            id: try row.decode(column: "id", as: Int64.self), policyName: try row.decode(column: "policy_name", as: String.self),
            policyVersion: try row.decode(column: "policy_version", as: Int.self),
            purpose: try row.decode(column: "purpose", as: String.self), referenceDate: referenceDate,
            areaCode: try row.decode(column: "area_code", as: String?.self), areaPath: try row.decode(column: "area_path", as: String?.self),
            status: try row.decode(column: "status", as: String.self),
            householdsDone: try row.decode(column: "households_done", as: Int64.self),
            scoreDenominator: try row.decode(column: "score_denominator", as: Int64.self),
            startedBy: try row.decode(column: "started_by", as: String.self), startedAt: try row.decode(column: "started_at", as: String.self),
            finishedAt: try row.decode(column: "finished_at", as: String?.self),
            cursor: try row.decode(column: "cursor_id", as: UUID?.self), definition: try row.decode(column: "definition", as: String?.self))
    }
}

import Foundation
import SQLKit
import AmparoDomain

/// A run's figures as they add up: for the whole, for every area at every level, by zone
/// and by the sex and ethnicity of the head, counted by households and by persons.
///
/// A run adds each household as it scores it. A resumed run first adds back the results it
/// had stored before it stopped, so that it ends with the same figures as an uninterrupted one.
struct RunAggregation: Sendable {
    let policy: TargetingPolicy
    /// The codes of each area's path from the top, by area id.
    private let paths: [UUID: [String]]
    private let classIndex: [String: Int]
    private var keys: [Key: Int] = [:]
    private var byHouseholds: [PopulationTally] = []
    private var byPersons: [PopulationTally] = []
    /// What the households of each area add up to (the area's own, not those below it), and
    /// of each combination of groups: each household adds to one of each, and these are
    /// rolled up into every area above, the whole and each group when the figures are
    /// stored. Tallies merge exactly (see `MPITally`), so the figures are those of adding each
    /// household everywhere at once, at a fifth of the work.
    private var direct = DirectTallies<String>()
    private var combined = DirectTallies<GroupKey>()

    struct Key: Hashable {
        var scope: String
        var key: String
    }

    /// A household's zone and the sex and ethnicity of its head.
    struct GroupKey: Hashable {
        var zone: String?
        var headSex: String?
        var headEthnicity: String?
    }

    init(policy: TargetingPolicy, areas: [StoredArea]) {
        self.policy = policy
        var paths: [UUID: [String]] = [:]
        for area in areas { paths[area.id] = area.path.split(separator: "/").map(String.init) }
        self.paths = paths
        classIndex = Dictionary(uniqueKeysWithValues: policy.classes.enumerated().map { ($1.id, $0) })
    }

    private mutating func tally(_ key: Key) -> Int {
        if let index = keys[key] { return index }
        keys[key] = byHouseholds.count
        byHouseholds.append(PopulationTally(policy: policy))
        byPersons.append(PopulationTally(policy: policy))
        return byHouseholds.count - 1
    }

    /// Adds one household's result.
    mutating func add(_ assessment: Assessment, areaID: String, zone: String?, headSex: String?, headEthnicity: String?,
                      members: Int) {
        let persons = Double(members)
        direct.add(assessment, persons, to: areaID, policy: policy)
        combined.add(assessment, persons, to: GroupKey(zone: zone, headSex: headSex, headEthnicity: headEthnicity), policy: policy)
    }

    /// The figures of every area at every level, the whole and each group, from the tallies
    /// of each area's own households and of each combination of groups.
    private func rolledUp() -> RunAggregation {
        var rolled = self
        for (areaID, households, persons) in direct.tallies {
            let chain = UUID(uuidString: areaID).flatMap { paths[$0] } ?? []
            for key in [Key(scope: "all", key: "")] + chain.map({ Key(scope: "area", key: $0) }) {
                rolled.merge(households, persons, into: key)
            }
        }
        for (group, households, persons) in combined.tallies {
            rolled.merge(households, persons, into: Key(scope: "zone", key: group.zone ?? "unknown"))
            rolled.merge(households, persons, into: Key(scope: "head_sex", key: group.headSex ?? "unknown"))
            rolled.merge(households, persons, into: Key(scope: "head_ethnicity", key: group.headEthnicity ?? "unknown"))
        }
        rolled.direct = DirectTallies()
        rolled.combined = DirectTallies()
        return rolled
    }

    private mutating func merge(_ households: PopulationTally, _ persons: PopulationTally, into key: Key) {
        let index = tally(key)
        byHouseholds[index].merge(households)
        byPersons[index].merge(persons)
    }

    /// Adds back the results a run stored before it stopped, a page at a time.
    mutating func addStored(runID id: Int64, database: RegistryDatabase) async throws {
        var cursor: UUID?
        while true {
            let after = cursor
            let rows = try await database.read { db in
                var query = SQLQueryString("""
                    SELECT household_id, area_id, zone, head_sex, head_ethnicity, members, class, score_units, deprived, missing
                    FROM targeting_results WHERE run_id = \(bind: id)
                    """)
                if let after { query += " AND household_id > \(bind: after)" }
                query += " ORDER BY household_id LIMIT 20000"
                return try await db.raw(query).all()
            }
            guard let last = rows.last else { return }
            for row in rows {
                let className = try row.decode(column: "class", as: String.self)
                guard let index = classIndex[className] else {
                    throw StorageError.inconsistent("run \(id) holds class \(className), which \(policy.reference) does not have")
                }
                let assessment = Assessment(
                    classIndex: index, scoreUnits: try row.decode(column: "score_units", as: Int64.self),
                    deprived: UInt64(bitPattern: try row.decode(column: "deprived", as: Int64.self)),
                    missing: UInt64(bitPattern: try row.decode(column: "missing", as: Int64.self)))
                add(assessment, areaID: try row.decode(column: "area_id", as: UUID.self).uuidString,
                    zone: try row.decode(column: "zone", as: String?.self),
                    headSex: try row.decode(column: "head_sex", as: String?.self),
                    headEthnicity: try row.decode(column: "head_ethnicity", as: String?.self),
                    members: Int(try row.decode(column: "members", as: Int64.self)))
            }
            cursor = try last.decode(column: "household_id", as: UUID.self)
        }
    }

    /// Stores the figures, replacing any the run had.
    func store(runID id: Int64, database: RegistryDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var records: [(Key, String, String)] = []
        let figures = rolledUp()
        let (keys, byHouseholds, byPersons) = (figures.keys, figures.byHouseholds, figures.byPersons)
        for (key, index) in keys {
            records.append((key, Weighting.households.rawValue, String(decoding: try encoder.encode(byHouseholds[index]), as: UTF8.self)))
            records.append((key, Weighting.persons.rawValue, String(decoding: try encoder.encode(byPersons[index]), as: UTF8.self)))
        }
        let batch = records
        try await database.transaction { db in
            try await db.raw("DELETE FROM targeting_aggregates WHERE run_id = \(bind: id)").run()
            for chunk in stride(from: 0, to: batch.count, by: 500) {
                var insert = db.insert(into: "targeting_aggregates").columns("run_id", "scope", "key", "weighting", "tally")
                for (key, weighting, tally) in batch[chunk..<min(chunk + 500, batch.count)] {
                    insert = insert.values(SQLBind(id), SQLBind(key.scope), SQLBind(key.key), SQLBind(weighting), SQLBind(tally))
                }
                try await insert.run()
            }
        }
    }
}

/// Tallies by households and by persons, one pair per key, added to as households come.
struct DirectTallies<Key: Hashable & Sendable>: Sendable {
    private var positions: [Key: Int] = [:]
    private var households: [PopulationTally] = []
    private var persons: [PopulationTally] = []

    mutating func add(_ assessment: Assessment, _ weight: Double, to key: Key, policy: TargetingPolicy) {
        let position: Int
        if let known = positions[key] {
            position = known
        } else {
            position = households.count
            positions[key] = position
            households.append(PopulationTally(policy: policy))
            persons.append(PopulationTally(policy: policy))
        }
        households[position].add(assessment, weight: 1)
        persons[position].add(assessment, weight: weight)
    }

    /// Each key with its tallies by households and by persons.
    var tallies: [(key: Key, households: PopulationTally, persons: PopulationTally)] {
        positions.map { ($0.key, households[$0.value], persons[$0.value]) }
    }
}

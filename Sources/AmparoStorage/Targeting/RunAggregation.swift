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
    private let chains: [UUID: [String]]
    private let classIndex: [String: Int]
    private var keys: [Key: Int] = [:]
    private var byHouseholds: [PopulationTally] = []
    private var byPersons: [PopulationTally] = []
    /// The tallies a household adds to, by area id as its rows spell it.
    private var areaTallies: [String: [Int]] = [:]
    private var groupTallies: [Key: Int] = [:]

    struct Key: Hashable {
        var scope: String
        var key: String
    }

    init(policy: TargetingPolicy, areas: [StoredArea]) {
        self.policy = policy
        var chains: [UUID: [String]] = [:]
        for area in areas { chains[area.id] = area.path.split(separator: "/").map(String.init) }
        self.chains = chains
        classIndex = Dictionary(uniqueKeysWithValues: policy.classes.enumerated().map { ($1.id, $0) })
    }

    private mutating func tally(_ key: Key) -> Int {
        if let index = keys[key] { return index }
        keys[key] = byHouseholds.count
        byHouseholds.append(PopulationTally(policy: policy))
        byPersons.append(PopulationTally(policy: policy))
        return byHouseholds.count - 1
    }

    private mutating func group(_ scope: String, _ value: String?) -> Int {
        let key = Key(scope: scope, key: value ?? "unknown")
        if let index = groupTallies[key] { return index }
        let index = tally(key)
        groupTallies[key] = index
        return index
    }

    /// Adds one household's result.
    mutating func add(_ assessment: Assessment, areaID: String, zone: String?, headSex: String?, headEthnicity: String?,
                      members: Int) {
        let areas: [Int]
        if let known = areaTallies[areaID] {
            areas = known
        } else {
            let codes = UUID(uuidString: areaID).flatMap { chains[$0] } ?? []
            areas = [tally(Key(scope: "all", key: ""))] + codes.map { tally(Key(scope: "area", key: $0)) }
            areaTallies[areaID] = areas
        }
        let persons = Double(members)
        for index in areas { count(assessment, persons, in: index) }
        let zoneTally = group("zone", zone), sexTally = group("head_sex", headSex)
        let ethnicityTally = group("head_ethnicity", headEthnicity)
        count(assessment, persons, in: zoneTally)
        count(assessment, persons, in: sexTally)
        count(assessment, persons, in: ethnicityTally)
    }

    private mutating func count(_ assessment: Assessment, _ persons: Double, in index: Int) {
        byHouseholds[index].add(assessment, weight: 1)
        byPersons[index].add(assessment, weight: persons)
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

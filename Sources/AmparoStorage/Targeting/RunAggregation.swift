import Foundation
import SQLKit
import AmparoDomain

/// Adds up a run's stored results into its figures: for the whole, for every area at every
/// level, by zone and by the sex and ethnicity of the head, counted by households and by
/// persons. It reads the results back rather than keeping tallies during scoring, so a
/// resumed run and an uninterrupted one end with the same figures.
struct RunAggregation: Sendable {
    let database: RegistryDatabase
    let policy: TargetingPolicy
    let runID: Int64
    let progress: @Sendable (TargetingRun.Progress) -> Void

    struct Key: Hashable {
        var scope: String
        var key: String
    }

    func aggregate() async throws {
        let areas = try await AreaRepository(database: database).all()
        var chains: [UUID: [String]] = [:]
        for area in areas { chains[area.id] = area.path.split(separator: "/").map(String.init) }
        let classIndex = Dictionary(uniqueKeysWithValues: policy.classes.enumerated().map { ($1.id, $0) })
        let empty = PopulationTally(policy: policy)
        var byHouseholds: [Key: PopulationTally] = [:]
        var byPersons: [Key: PopulationTally] = [:]
        var cursor: UUID?
        var done: Int64 = 0
        let id = runID
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
            guard let last = rows.last else { break }
            for row in rows {
                let className = try row.decode(column: "class", as: String.self)
                guard let index = classIndex[className] else {
                    throw StorageError.inconsistent("run \(id) holds class \(className), which \(policy.reference) does not have")
                }
                let assessment = Assessment(
                    classIndex: index, scoreUnits: try row.decode(column: "score_units", as: Int64.self),
                    deprived: UInt64(bitPattern: try row.decode(column: "deprived", as: Int64.self)),
                    missing: UInt64(bitPattern: try row.decode(column: "missing", as: Int64.self)))
                let members = Double(try row.decode(column: "members", as: Int64.self))
                var keys = [Key(scope: "all", key: "")]
                for code in chains[try row.decode(column: "area_id", as: UUID.self)] ?? [] { keys.append(Key(scope: "area", key: code)) }
                keys.append(Key(scope: "zone", key: try row.decode(column: "zone", as: String?.self) ?? "unknown"))
                keys.append(Key(scope: "head_sex", key: try row.decode(column: "head_sex", as: String?.self) ?? "unknown"))
                keys.append(Key(scope: "head_ethnicity", key: try row.decode(column: "head_ethnicity", as: String?.self) ?? "unknown"))
                for key in keys {
                    byHouseholds[key, default: empty].add(assessment, weight: 1)
                    byPersons[key, default: empty].add(assessment, weight: members)
                }
            }
            cursor = try last.decode(column: "household_id", as: UUID.self)
            done += Int64(rows.count)
            progress(TargetingRun.Progress(stage: .aggregating, done: done, total: done))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var records: [(Key, String, String)] = []
        for (weighting, tallies) in [(Weighting.households, byHouseholds), (.persons, byPersons)] {
            for (key, tally) in tallies {
                records.append((key, weighting.rawValue, String(decoding: try encoder.encode(tally), as: UTF8.self)))
            }
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

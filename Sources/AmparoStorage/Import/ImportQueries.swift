import PostgresNIO

/// The registry's keys and counter, as an import reads and moves them.
extension DirectConnection {
    /// The id and registration date of each household of `refs` the registry holds.
    func households(refs: [String]) async throws -> [String: HouseholdPlace] {
        let found = Collected<[String: HouseholdPlace]>([:])
        switch self {
        case .sqlite(let file):
            // One indexed lookup a ref through a statement prepared once beats building an IN list.
            try await blocking {
                for ref in refs {
                    try file.query("SELECT id, registered_on FROM households WHERE source_ref = ?", binds: [ref]) { row in
                        if let id = row[0], let place = HouseholdPlace(stored: id, registeredOn: row[1]) { found.update { $0[ref] = place } }
                    }
                }
            }
        case .postgres(let connection, let logger):
            var bindings = PostgresBindings()
            bindings.append(refs)
            let rows = try await connection.query(PostgresQuery(
                unsafeSQL: "SELECT source_ref, CAST(id AS TEXT), registered_on FROM households WHERE source_ref = ANY($1)",
                binds: bindings), logger: logger)
            for try await (ref, id, registeredOn) in rows.decode((String, String, String?).self) {
                if let place = HouseholdPlace(stored: id, registeredOn: registeredOn) { found.update { $0[ref] = place } }
            }
        }
        return found.value
    }

    /// The household counter, read inside the transaction that will move it.
    func householdCounter() async throws -> Int64 {
        let value = Collected<Int64>(0)
        try await eachRow("SELECT CAST(value AS TEXT) FROM registry_counters WHERE name = 'household'") { row in
            value.update { $0 = row.first.flatMap { $0 }.flatMap { Int64($0) } ?? 0 }
        }
        return value.value
    }

    func setHouseholdCounter(_ value: Int64) async throws {
        switch self {
        case .sqlite(let file):
            try await blocking { try file.execute("UPDATE registry_counters SET value = \(value) WHERE name = 'household'") }
        case .postgres(let connection, let logger):
            try await connection.query("UPDATE registry_counters SET value = \(value) WHERE name = 'household'", logger: logger)
        }
    }
}

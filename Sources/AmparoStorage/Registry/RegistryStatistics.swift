import SQLKit

/// How much the registry holds.
public struct RegistryCounts: Sendable, Codable, Equatable {
    public var areas: Int
    public var households: Int
    public var individuals: Int
    public var memberships: Int
    public var changeHistoryEntries: Int

    public init(areas: Int, households: Int, individuals: Int, memberships: Int, changeHistoryEntries: Int) {
        self.areas = areas
        self.households = households
        self.individuals = individuals
        self.memberships = memberships
        self.changeHistoryEntries = changeHistoryEntries
    }
}

/// Counts the registry's records, for `amparo stats` and for monitoring.
public struct RegistryStatistics: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    public func counts() async throws -> RegistryCounts {
        try await database.read { db in
            let row = try await db.raw("""
                SELECT (SELECT COUNT(*) FROM areas) AS areas,
                       (SELECT COUNT(*) FROM households) AS households,
                       (SELECT COUNT(*) FROM individuals) AS individuals,
                       (SELECT COUNT(*) FROM memberships) AS memberships,
                       (SELECT COUNT(*) FROM change_history) AS history
                """).first()
            guard let row else { return RegistryCounts(areas: 0, households: 0, individuals: 0, memberships: 0, changeHistoryEntries: 0) }
            return RegistryCounts(
                areas: try row.decode(column: "areas", as: Int.self),
                households: try row.decode(column: "households", as: Int.self),
                individuals: try row.decode(column: "individuals", as: Int.self),
                memberships: try row.decode(column: "memberships", as: Int.self),
                changeHistoryEntries: try row.decode(column: "history", as: Int.self))
        }
    }
}

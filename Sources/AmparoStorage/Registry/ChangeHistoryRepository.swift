import Foundation
import SQLKit
import AmparoDomain

/// Reads the append-only change history. Entries are only ever added, by the jobs and
/// repositories that change the registry, in the same transaction as the change.
public struct ChangeHistoryRepository: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// The history of a household and of the people in it, oldest first, after a cursor.
    public func entries(household id: UUID, after cursor: Int64?, limit: Int) async throws -> (entries: [ChangeEntry], nextCursor: Int64?) {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT id, entity, entity_id, field, old_value, new_value, actor, channel, occurred_at, reason
                FROM change_history WHERE household_id = \(bind: id) AND id > \(bind: cursor ?? 0)
                ORDER BY id LIMIT \(unsafeRaw: String(limit + 1))
                """).all()
        }
        let entries = try rows.prefix(limit).map { row in
            ChangeEntry(
                id: try row.decode(column: "id", as: Int64.self),
                entity: try row.decode(column: "entity", as: String.self),
                entityID: try row.decode(column: "entity_id", as: UUID.self),
                field: try row.decode(column: "field", as: String.self),
                oldValue: try row.decode(column: "old_value", as: String?.self),
                newValue: try row.decode(column: "new_value", as: String?.self),
                actor: try row.decode(column: "actor", as: String.self),
                channel: try row.decode(column: "channel", as: String.self),
                occurredAt: try row.decode(column: "occurred_at", as: String.self),
                reason: try row.decode(column: "reason", as: String?.self))
        }
        return (entries, rows.count > limit ? entries.last?.id : nil)
    }
}

import Foundation
import AmparoDomain

/// A value on its way into a staging table.
typealias StageValue = BulkValue

/// A scratch table an import fills with the rows that passed the checks of the format,
/// so that the checks across files (duplicate refs, unknown areas, missing households)
/// and the final copy into the registry run inside the database, with memory flat.
///
/// Rows are buffered and written in batches by each database's fast road: COPY on
/// PostgreSQL, multi-row inserts of reused shape inside one transaction on SQLite.
struct StagingTable: Sendable {
    let name: String
    let columns: [(name: String, type: String)]

    func createStatements(dialect: RegistryDatabase.Dialect) -> [String] {
        // Unlogged: a staging table is rebuilt from the files after a crash, so it needs no WAL.
        let create = dialect == .postgres ? "CREATE UNLOGGED TABLE" : "CREATE TABLE"
        let body = (["line \(dialect == .postgres ? "BIGINT" : "INTEGER") PRIMARY KEY"]
                    + columns.map { "\($0.name) \($0.type)" }
                    + ["status TEXT NOT NULL DEFAULT 'new'"]).joined(separator: ", ")
        return ["DROP TABLE IF EXISTS \(name)", "\(create) \(name) (\(body))"]
    }

    /// Rows waiting to be written: the line, then one value per column.
    struct Buffer: Sendable {
        let table: StagingTable
        private var pending: BulkRows
        var rows: Int { pending.rows }

        init(table: StagingTable) {
            self.table = table
            pending = BulkRows(table: table.name, columns: ["line"] + table.columns.map(\.name))
        }

        mutating func append(line: Int, _ row: [StageValue]) {
            precondition(row.count == table.columns.count)
            pending.append(.integer(Int64(line)))
            for value in row { pending.append(value) }
            pending.endRow()
        }

        mutating func flush(to connection: BulkConnection) async throws {
            try await pending.flush(to: connection)
        }
    }
}

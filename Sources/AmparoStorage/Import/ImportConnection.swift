import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Synchronization

/// The connection an import reads the registry's keys through and writes its rows by:
/// reused prepared inserts on a plain SQLite connection, COPY on PostgreSQL.
///
/// Every query here returns its columns as text (the SQL casts them), so one shape of code
/// reads both databases.
enum ImportConnection: Sendable {
    case sqlite(SQLiteFile)
    case postgres(PostgresConnection, Logger)

    func begin() async throws {
        switch self {
        // IMMEDIATE: take the write lock now rather than fail half-way on a busy file.
        case .sqlite(let file): try await blocking { try file.execute("BEGIN IMMEDIATE") }
        case .postgres(let connection, let logger): try await connection.query("BEGIN", logger: logger)
        }
    }

    func commit() async throws {
        switch self {
        case .sqlite(let file): try await blocking { try file.execute("COMMIT") }
        case .postgres(let connection, let logger): try await connection.query("COMMIT", logger: logger)
        }
    }

    func rollback() async {
        switch self {
        case .sqlite(let file): try? await blocking { try file.execute("ROLLBACK") }
        case .postgres(let connection, let logger): _ = try? await connection.query("ROLLBACK", logger: logger)
        }
    }

    var dialect: RegistryDatabase.Dialect {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Runs statements that return nothing, outside any transaction.
    func execute(_ statements: [String]) async throws {
        for statement in statements {
            switch self {
            case .sqlite(let file): try await blocking { try file.execute(statement) }
            case .postgres(let connection, let logger):
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func inTransaction<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await begin()
        do {
            let result = try await body()
            try await commit()
            return result
        } catch {
            await rollback()
            throw error
        }
    }

    /// Writes the buffered rows and empties the buffer.
    func write(_ rows: inout BulkRows) async throws {
        guard rows.rows > 0 else { return }
        let batch = rows.take()
        switch self {
        case .sqlite(let file):
            let sql = batch.insertStatement
            try await blocking { try file.run(sql, values: batch.values, width: batch.columns.count) }
        case .postgres(let connection, _):
            try await batch.copy(into: connection)
        }
    }

    /// Runs a query whose columns are all text (or NULL) and hands over each row.
    func eachRow(_ sql: String, binds: [String] = [], _ body: @escaping @Sendable ([String?]) throws -> Void) async throws {
        switch self {
        case .sqlite(let file):
            try await blocking { try file.query(sql, binds: binds, body) }
        case .postgres(let connection, let logger):
            var bindings = PostgresBindings()
            for bind in binds { bindings.append(bind) }
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            for try await row in rows {
                try body(try row.map { try $0.decode(String?.self) })
            }
        }
    }

    /// The id and registration date of each household of `refs` the registry holds.
    func households(refs: [String]) async throws -> [String: (id: String, registeredOn: String?)] {
        let found = Collected<[String: (id: String, registeredOn: String?)]>([:])
        switch self {
        case .sqlite(let file):
            // One indexed lookup a ref through a statement prepared once beats building an IN list.
            try await blocking {
                for ref in refs {
                    try file.query("SELECT id, registered_on FROM households WHERE source_ref = ?", binds: [ref]) { row in
                        if let id = row[0] { found.update { $0[ref] = (id, row[1]) } }
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
                found.update { $0[ref] = (id, registeredOn) }
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

    /// SQLite's calls block: they run on NIO's thread pool, as SQLiteNIO's own do, and not on
    /// the cooperative threads that the reading of the files needs.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

/// What the row callbacks of a query gather, safe to reach from the thread that runs them.
final class Collected<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ initial: Value) { state = Mutex(initial) }
    func update(_ body: (inout Value) -> Void) { state.withLock { body(&$0) } }
    var value: Value { state.withLock { $0 } }
}

import Foundation
import Logging
import NIOPosix
import PostgresNIO
import Synchronization

/// A connection for bulk work, below SQLKit: a plain SQLite connection with prepared
/// statements reused row after row, or the PostgreSQL driver's own with COPY. An import
/// reads the registry's keys and writes its rows through one, a targeting run its
/// households and results.
enum DirectConnection: Sendable {
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

    /// Runs statements that return nothing.
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
            try await blocking { try file.run(batch) }
        case .postgres(let connection, _):
            try await batch.copy(into: connection)
        }
    }

    /// Runs a query whose one row holds one whole number, as SQLite hands it over (PostgreSQL's
    /// numbers would need casting to text first).
    func count(_ sql: String) async throws -> Int64 {
        let total = Collected(Int64(0))
        try await eachRow(sql) { row in total.update { $0 = Int64(row[0] ?? "") ?? 0 } }
        return total.value
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

    /// SQLite's calls block: they run on NIO's thread pool, as SQLiteNIO's own do, and not on
    /// the cooperative threads that the reading of the files needs.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}

/// What the row callbacks of a query gather, safe to reach from the thread that runs them.
final class Collected<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ initial: Value) { state = Mutex(initial) }
    @discardableResult
    func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result { state.withLock { body(&$0) } }
    var value: Value { state.withLock { $0 } }
}

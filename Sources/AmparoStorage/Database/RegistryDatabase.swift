@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The registry's database, on SQLite or PostgreSQL, and the one way in for every repository and job.
///
/// Reads and transactions go through closures so that a transaction always holds one
/// connection (a PostgreSQL pool hands out many) and, on SQLite, so that two tasks never
/// interleave statements on its single connection.
public final class RegistryDatabase: Sendable {
    public enum Dialect: String, Sendable { case sqlite, postgres }

    public let dialect: Dialect
    public let location: DatabaseLocation
    public let logger: Logger
    private let backend: Backend
    /// The one writer of the audit trail's chain in this process.
    public let auditTrail = AuditTrail()

    private enum Backend: Sendable {
        case sqlite(SQLiteConnection, SerialGate)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    private init(dialect: Dialect, location: DatabaseLocation, logger: Logger, backend: Backend) {
        self.dialect = dialect
        self.location = location
        self.logger = logger
        self.backend = backend
    }

    /// Opens the database; nothing is created in it until `migrate()`.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "amparo.storage")) async throws -> RegistryDatabase {
        switch location {
        case .sqlite(let path):
            let storage: SQLiteConnection.Storage = path == ":memory:" ? .memory : .file(path: path)
            let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
            for pragma in Self.sqliteSettings {
                try await connection.query(pragma, []) { _ in }
            }
            return RegistryDatabase(dialect: .sqlite, location: location, logger: logger,
                                    backend: .sqlite(connection, SerialGate()))
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StorageError.badLocation("not a PostgreSQL URL: \(location)")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                // A targeting run holds five at once (three reading, two writing), and a
                // request may land on any loop: with four a loop, one could wait for ever.
                maxConnectionsPerEventLoop: 8,
                requestTimeout: .seconds(30),
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton
            )
            let database = RegistryDatabase(dialect: .postgres, location: location, logger: logger, backend: .postgres(pool))
            do {
                try await database.read { try await $0.raw("SELECT 1").run() }
            } catch {
                try? await pool.shutdownAsync()
                throw StorageError.unreachable("cannot reach \(location): \(String(reflecting: error))")
            }
            return database
        }
    }

    /// How every connection to an SQLite registry is set up. WAL lets readers go on while an
    /// import writes; NORMAL sync is safe with WAL. The page cache is capped at 64 MB and
    /// sorts spill to temporary files, so memory stays flat however large the registry grows.
    ///
    /// A new file gets pages of 8 KiB, set before WAL fixes them: a million-household import
    /// took 67.0 s on average with them against 72.5 s with SQLite's 4 KiB (four runs each,
    /// in turn), its B-trees splitting half as often. A file made earlier keeps its size.
    static let sqliteSettings = [
        "PRAGMA page_size = 8192", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON",
        "PRAGMA busy_timeout = 10000", "PRAGMA cache_size = -65536", "PRAGMA temp_store = FILE",
    ]

    /// Runs queries that need no transaction.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connection, let gate):
            return try await gate.run { try await body(connection.sql(queryLogLevel: .trace)) }
        case .postgres(let pool):
            return try await pool.database(logger: logger).sql(queryLogLevel: .trace).withSession(body)
        }
    }

    /// Runs `body` in one transaction: all of it is stored, or, if it throws, none of it.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        // IMMEDIATE takes SQLite's write lock at once, so a transaction never fails half-way on a busy file.
        let begin: SQLQueryString = dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await session { database in
            try await database.raw(begin).run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs `body` on one connection, without opening a transaction.
    func session<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connection, let gate):
            return try await gate.run { try await body(connection.sql(queryLogLevel: .trace)) }
        case .postgres(let pool):
            return try await pool.database(logger: logger).sql(queryLogLevel: .trace).withSession(body)
        }
    }

    /// The driver's own connection, for the bulk paths that SQLKit does not offer (COPY, reused binds).
    func withBulkConnection<T: Sendable>(_ body: @escaping @Sendable (BulkConnection) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connection, let gate):
            return try await gate.run { try await body(.sqlite(connection)) }
        case .postgres(let pool):
            let connection = try await pool.requestConnection(logger: logger).get()
            do {
                let result = try await body(.postgres(connection))
                pool.releaseConnection(connection, logger: logger)
                return result
            } catch {
                pool.releaseConnection(connection, logger: logger)
                throw error
            }
        }
    }

    /// A connection of its own for a bulk job: a plain connection to the SQLite file (the
    /// database's own waits meanwhile), or one of the pool's on PostgreSQL.
    func withDirectConnection<T: Sendable>(_ body: @escaping @Sendable (DirectConnection) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(_, let gate):
            let path = try fileForBulkWork()
            return try await gate.run {
                let file = try SQLiteFile(path: path)
                defer { file.close() }
                return try await LogCheckpointer.beside(path) { try await body(.sqlite(file)) }
            }
        case .postgres(let pool):
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await body(.postgres(connection, logger))
        }
    }

    /// Connections of its own for a bulk job that reads on `readers` connections while it
    /// writes on another: on SQLite plain connections to the file, which its write-ahead log
    /// lets read while the other writes. On PostgreSQL `readerSettings` (name to value) hold
    /// on the reading connections for the job's length.
    func withDirectConnections<T: Sendable>(
        readers: Int, readerSettings: [String: String] = [:],
        _ body: @escaping @Sendable (_ reading: [DirectConnection], _ writing: DirectConnection) async throws -> T
    ) async throws -> T {
        switch backend {
        case .sqlite(_, let gate):
            let path = try fileForBulkWork()
            return try await gate.run {
                var files: [SQLiteFile] = []
                defer { for file in files { file.close() } }
                for _ in 0..<readers {
                    let reading = try SQLiteFile(path: path)
                    files.append(reading)
                    // A whole-registry read goes through the file once: mapped, its pages are read
                    // where they lie instead of being copied into SQLite's cache one call at a time.
                    try reading.execute("PRAGMA mmap_size = 4294967296")
                }
                let writing = try SQLiteFile(path: path)
                files.append(writing)
                return try await LogCheckpointer.beside(path) {
                    try await body(files.dropLast().map { .sqlite($0) }, .sqlite(writing))
                }
            }
        case .postgres(let pool):
            var connections: [PostgresConnection] = []
            defer { for connection in connections { pool.releaseConnection(connection, logger: logger) } }
            for _ in 0...readers { connections.append(try await pool.requestConnection(logger: logger).get()) }
            let reading = connections.dropLast().map { DirectConnection.postgres($0, logger) }
            // The job already reads side by side on its own connections: a parallel worker
            // under each query would only add a process and a copy of every row between the two.
            let settings = readerSettings.merging(["max_parallel_workers_per_gather": "0"]) { job, _ in job }.sorted { $0.key < $1.key }
            for connection in reading {
                try await connection.execute(settings.map { "SET \($0.key) = \($0.value)" })
            }
            // The connections go back to the pool as they came, whatever the job did.
            func reset() async {
                for connection in reading { try? await connection.execute(settings.map { "RESET \($0.key)" }) }
            }
            do {
                let result = try await body(reading, .postgres(connections.last!, logger))
                await reset()
                return result
            } catch {
                await reset()
                throw error
            }
        }
    }

    /// Connections on which a bulk job may write beside its own, each in transactions of its
    /// own: `count` of them on PostgreSQL, where each is a server process of its own; none on
    /// SQLite, which takes one writer at a time.
    func withWritingLanes<T: Sendable>(_ count: Int, _ body: @escaping @Sendable ([DirectConnection]) async throws -> T) async throws -> T {
        guard case .postgres(let pool) = backend, count > 0 else { return try await body([]) }
        var connections: [PostgresConnection] = []
        defer { for connection in connections { pool.releaseConnection(connection, logger: logger) } }
        for _ in 0..<count { connections.append(try await pool.requestConnection(logger: logger).get()) }
        return try await body(connections.map { .postgres($0, logger) })
    }

    /// Runs a query whose one row holds one whole number on a connection of its own, so that
    /// it may go on beside a bulk job's work on others: on SQLite a plain connection to the
    /// file, which its write-ahead log lets read while another writes.
    func countBeside(_ sql: String) async throws -> Int64 {
        switch backend {
        case .sqlite:
            let file = try SQLiteFile(path: try fileForBulkWork())
            defer { file.close() }
            return try await DirectConnection.sqlite(file).count(sql)
        case .postgres(let pool):
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await DirectConnection.postgres(connection, logger).count(sql)
        }
    }

    /// The SQLite file a bulk job opens its own connections to.
    private func fileForBulkWork() throws -> String {
        guard case .sqlite(let path) = location, path != ":memory:" else {
            throw StorageError.badLocation("a bulk job needs an SQLite file, not a database in memory")
        }
        return path
    }

    /// A connection of its own for an import, held alone (see `ImportLock`).
    func withImportConnection<T: Sendable>(_ body: @escaping @Sendable (DirectConnection) async throws -> T) async throws -> T {
        if case .sqlite(let path) = location, path != ":memory:" {
            let lock = try ImportLock.File(beside: path, location: location.description)
            defer { lock.release() }
            return try await withDirectConnection(body)
        }
        return try await withDirectConnection { connection in
            guard case .postgres(let postgres, let logger) = connection else { return try await body(connection) }
            // A targeting run, and `serve` once a minute, hold the lock for the moment they look at
            // the change history (see HouseholdSnapshots): an import waits that long before it is refused.
            var locked = false
            for attempt in 0..<ImportLock.attempts where !locked {
                if attempt > 0 { try await Task.sleep(for: ImportLock.pause) }
                let rows = try await postgres.query("SELECT pg_try_advisory_lock(\(ImportLock.advisoryKey))", logger: logger)
                for try await (taken) in rows.decode(Bool.self) { locked = taken }
            }
            guard locked else { throw ImportError.busy(self.location.description) }
            let result: T
            do {
                result = try await body(connection)
            } catch {
                await ImportLock.release(on: postgres, logger: logger)
                throw error
            }
            await ImportLock.release(on: postgres, logger: logger)
            return result
        }
    }

    public func close() async throws {
        switch backend {
        case .sqlite(let connection, let gate):
            try await gate.run { try await connection.close() }
        case .postgres(let pool):
            try await pool.shutdownAsync()
        }
    }
}

/// A connection of one of the two drivers, held for a bulk job.
enum BulkConnection: Sendable {
    case sqlite(SQLiteConnection)
    case postgres(PostgresConnection)

    var sql: any SQLDatabase {
        switch self {
        case .sqlite(let connection): connection.sql(queryLogLevel: .trace)
        case .postgres(let connection): connection.sql(queryLogLevel: .trace)
        }
    }
}

extension BulkConnection {
    /// Runs `body` in a transaction on this connection: committed if it returns, rolled back if it throws.
    func inTransaction(_ body: () async throws -> Void) async throws {
        try await sql.raw("BEGIN").run()
        do {
            try await body()
            try await sql.raw("COMMIT").run()
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }
}

/// What went wrong with the database itself, as opposed to the data.
public enum StorageError: Error, Sendable, CustomStringConvertible {
    case badLocation(String)
    case unreachable(String)
    case inconsistent(String)
    /// What the database server said when it refused a statement.
    case refused(String)

    public var description: String {
        switch self {
        case .badLocation(let text), .unreachable(let text), .inconsistent(let text), .refused(let text): text
        }
    }

    /// The server's own words for an error of the PostgreSQL driver, whose description
    /// says nothing so as not to leak data into logs; nil for any other error.
    static func refusal(_ error: any Error) -> StorageError? {
        guard let error = error as? PSQLError else { return nil }
        guard let info = error.serverInfo, let message = info[.message] else {
            return .refused("PostgreSQL: \(error.code)" + (error.underlying.map { ": \($0)" } ?? ""))
        }
        var text = "PostgreSQL refused a statement: \(message)"
        if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
        if let detail = info[.detail] { text += ". \(detail)" }
        if let hint = info[.hint] { text += " Hint: \(hint)" }
        return .refused(text)
    }
}

extension RegistryDatabase {
    /// Brings the schema up to date if asked, runs `body`, and closes the database whatever happens.
    public func run<T: Sendable>(migrating: Bool, _ body: (RegistryDatabase) async throws -> T) async throws -> T {
        do {
            if migrating { try await Migrator(database: self).migrate() }
            let result = try await body(self)
            try await close()
            return result
        } catch {
            try? await close()
            throw StorageError.refusal(error) ?? error
        }
    }

    /// Runs one statement of the administrator's, outside any transaction (CREATE DATABASE cannot run in one).
    public func execute(_ statement: String) async throws {
        try await session { try await $0.raw(SQLQueryString(statement)).run() }
    }
}

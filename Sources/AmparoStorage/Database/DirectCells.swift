import NIOCore
import PostgresNIO
import VaporCSQLite
import AmparoDomain

/// The cells of one row of a query on a `DirectConnection`, read front to back in place,
/// without a `String` or an enum of the driver's made for each. Valid only inside the
/// callback that receives them.
struct DirectCells {
    // Two stored properties rather than an enum of the two: a cursor kept in an enum's
    // payload is copied out and back for every cell, with the row it holds.
    private let statement: OpaquePointer?
    private var column: Int32 = 0
    private var postgres: PostgresRow.Iterator?

    init(sqlite statement: OpaquePointer) { self.statement = statement }
    init(postgres row: PostgresRow) {
        statement = nil
        postgres = row.makeIterator()
    }

    /// Hands the next cell to `body`.
    mutating func next<T>(_ body: (FactCell) throws -> T) rethrows -> T {
        if let statement {
            let column = column
            self.column += 1
            switch sqlite_nio_sqlite3_column_type(statement, column) {
            case SQLITE_NULL: return try body(.null)
            case SQLITE_INTEGER: return try body(.integer(sqlite_nio_sqlite3_column_int64(statement, column)))
            case SQLITE_FLOAT: return try body(.real(sqlite_nio_sqlite3_column_double(statement, column)))
            default:
                let text = sqlite_nio_sqlite3_column_text(statement, column)
                let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                return try body(.text(UnsafeRawBufferPointer(start: text, count: count)))
            }
        }
        guard let cell = postgres?.next() else { preconditionFailure("read past the last column of a row") }
        guard var bytes = cell.bytes else { return try body(.null) }
        switch (cell.format, cell.dataType) {
        case (.binary, .int8): return try body(.integer(bytes.readInteger(as: Int64.self) ?? 0))
        case (.binary, .int4): return try body(.integer(Int64(bytes.readInteger(as: Int32.self) ?? 0)))
        case (.binary, .int2): return try body(.integer(Int64(bytes.readInteger(as: Int16.self) ?? 0)))
        case (.binary, .float8): return try body(.real(Double(bitPattern: bytes.readInteger(as: UInt64.self) ?? 0)))
        case (.binary, .float4): return try body(.real(Double(Float(bitPattern: bytes.readInteger(as: UInt32.self) ?? 0))))
        default: return try bytes.withUnsafeReadableBytes { try body(.text($0)) }
        }
    }

    /// Reads the next `count` cells as the facts of household slots `0..<count`.
    mutating func appendHouseholdFacts(_ decoder: FactDecoder, count: Int, to facts: inout [Int64]) {
        for slot in 0..<count { facts.append(next { decoder.household(slot, $0) }) }
    }

    /// Reads the next `count` cells as the facts of the page's last member, slots `0..<count`.
    mutating func setMemberFacts(_ decoder: FactDecoder, count: Int, in page: inout FactPage) {
        for slot in 0..<count { page.setMemberAnswer(slot, next { decoder.member(slot, $0) }) }
    }

    /// The next cell as text; nil when it is NULL.
    mutating func text() -> String? {
        next { cell in
            switch cell {
            case .null: nil
            case .integer(let value): String(value)
            case .real(let value): String(value)
            case .text(let bytes): String(decoding: bytes, as: UTF8.self)
            }
        }
    }

    /// Whether the next cell is exactly this text.
    mutating func nextEquals(_ text: String) -> Bool {
        next { cell in
            guard case .text(let bytes) = cell else { return false }
            return bytes.elementsEqual(text.utf8)
        }
    }
}

/// A query of a bulk read, and what each of its rows adds to the state being gathered.
struct DirectQuery<State>: Sendable {
    /// With binds numbered `$1`, `$2`, … (`?1`, `?2`, … on SQLite: see `DirectConnection.read`).
    var sql: String
    var binds: [String]
    var row: @Sendable (inout State, inout DirectCells) throws -> Void
}

extension DirectConnection {
    /// Runs queries one after another, handing every row with `state` to its query's reader,
    /// and returns what they gathered. On SQLite it all runs on one blocking call.
    func read<State: Sendable>(into state: State, _ queries: [DirectQuery<State>]) async throws -> State {
        switch self {
        case .sqlite(let file):
            return try await blocking {
                var state = state
                for query in queries {
                    let sql = query.sql.replacingOccurrences(of: "$", with: "?")
                    try file.rows(sql, binds: query.binds) { cells in try query.row(&state, &cells) }
                }
                return state
            }
        case .postgres(let connection, let logger):
            // Each row goes to its reader on the connection's event loop as it is decoded. Taken
            // through the driver's asynchronous sequence instead, every batch of rows cost a task
            // switch, a lock and a cancellation handler, about a tenth of a targeting run's
            // time. A page is bounded by its query, so it needs no back-pressure.
            let gathering = RowsGathered(state)
            for query in queries {
                var bindings = PostgresBindings()
                for bind in query.binds { bindings.append(bind) }
                _ = try await connection.query(PostgresQuery(unsafeSQL: query.sql, binds: bindings), logger: logger) { row in
                    var cells = DirectCells(postgres: row)
                    try query.row(&gathering.state.pointee, &cells)
                }.get()
            }
            return gathering.state.pointee
        }
    }
}

/// What the rows of a PostgreSQL query gather, on the connection's event loop.
///
/// Unchecked: the driver hands a query's rows over one at a time on one event loop, one
/// query after another, and `state` is read only once the last query's future has
/// completed, which orders every write before that read. The state lies behind a pointer
/// because a class's stored property is checked for exclusive access at run time, on
/// every row.
private final class RowsGathered<State>: @unchecked Sendable {
    let state: UnsafeMutablePointer<State>

    init(_ initial: State) {
        state = .allocate(capacity: 1)
        state.initialize(to: initial)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }
}

import Foundation
import VaporCSQLite

/// A second, plain connection to the registry's SQLite file, for bulk writes.
///
/// SQLiteNIO prepares a statement on every call and hands each value over as an enum, which
/// at millions of rows costs more than the writing itself. Here an insert is prepared once
/// and its binds are reset row after row. It is the same SQLite library SQLiteNIO links (its
/// symbols carry the `sqlite_nio_` prefix), so the two connections share SQLite's own file
/// locking; two copies of the library in one process would not.
///
/// One task at a time uses it; calls block, so callers run them off the cooperative pool.
final class SQLiteFile: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    let path: String

    init(path: String) throws(SQLiteFileError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite_nio_sqlite3_close_v2(handle)
            handle = nil
            throw SQLiteFileError(message: "\(path): \(message)")
        }
        for pragma in RegistryDatabase.sqliteSettings { try execute(pragma) }
        // Fewer, larger checkpoints: a bulk load rewrites the same hot pages (the ends of its
        // indexes) commit after commit, and each checkpoint copies them back to the file.
        try execute("PRAGMA wal_autocheckpoint = 16384")
        // A bulk load appends at the ends of its indexes (the others are built afterwards),
        // so a small cache serves it as well as a large one; it also bounds the memory of
        // the sorts that build those indexes.
        try execute("PRAGMA cache_size = -16384")
        // The sorts that build indexes after a load may use another core or two: at a million
        // households the three built at the end took 7.9 and 8.5 s with a helper thread on
        // two cores, 10.6 and 11.2 s without. Each helper sorts in memory of its own (about
        // 30 MB more at the peak with one), hence no more than two.
        try execute("PRAGMA threads = \(min(2, max(0, ProcessInfo.processInfo.activeProcessorCount - 1)))")
    }

    deinit { close() }

    func close() {
        // Leave the log short for the readers that come after the bulk load.
        if handle != nil { try? execute("PRAGMA wal_checkpoint(PASSIVE)") }
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Copies what it can of the write-ahead log into the file without waiting for anyone.
    func checkpointPassively() {
        sqlite_nio_sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws(SQLiteFileError) {
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, &error)
        guard status == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "status \(status)"
            sqlite_nio_sqlite3_free(error)
            throw SQLiteFileError(message: message)
        }
    }

    /// The statement for `sql`, prepared on first use and kept.
    private func statement(_ sql: String) throws(SQLiteFileError) -> OpaquePointer {
        if let statement = statements[sql] {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
            return statement
        }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw lastError() }
        statements[sql] = statement
        return statement
    }

    /// Rows one insert statement takes at most: SQLite keeps its cursors on the table and its
    /// indexes open from one row of a statement to the next, so a row that lands at the end
    /// of an index (the ids, made in order) is put there without a search from the root, and
    /// the cursors are opened and closed once for all the rows rather than once for each.
    /// The people of a million-household import took 24–29 s so, against 32–34 s one row a
    /// statement; 64 and 1,024 rows did no better than 256.
    static let rowsPerInsert = 256

    /// Inserts the batch's rows, `rowsPerInsert` at a time, the rest one by one.
    func run(_ batch: BulkBatch) throws(SQLiteFileError) {
        let width = batch.columns.count
        let rowCount = batch.cells.count / width
        // SQLite numbers at most 32,766 parameters in a statement.
        let groupRows = max(1, min(Self.rowsPerInsert, 32_766 / width))
        let group = rowCount >= groupRows ? try statement(batch.insertStatement(rows: groupRows)) : nil
        let single = try statement(batch.insertStatement(rows: 1))
        // Bindings point into the batch's bytes only while its rows are inserted; none is left behind.
        defer {
            if let group { sqlite_nio_sqlite3_clear_bindings(group) }
            sqlite_nio_sqlite3_clear_bindings(single)
        }
        let failure = batch.bytes.withUnsafeBufferPointer { bytes in
            batch.cells.withUnsafeBufferPointer { cells -> SQLiteFileError? in
                var start = 0
                while start < cells.count {
                    let (statement, rows) = if let group, cells.count - start >= groupRows * width { (group, groupRows) } else { (single, 1) }
                    let end = start + rows * width
                    let status = insert(statement, cells[start..<end], bytes)
                    // SQLite's message, read before the reset that follows every statement.
                    let failure = status == SQLITE_DONE ? nil : lastError()
                    sqlite_nio_sqlite3_reset(statement)
                    if let failure { return failure }
                    start = end
                }
                return nil
            }
        }
        if let failure { throw failure }
    }

    /// Binds the cells of one or more rows and inserts them; returns SQLite's status. A text
    /// is bound in place (no destructor: SQLITE_STATIC), without SQLite's copy of it (a
    /// `malloc` and a `free` for most cells of a load), which is sound because the rows are
    /// inserted while the caller lends the bytes.
    private func insert(_ statement: OpaquePointer, _ cells: Slice<UnsafeBufferPointer<BulkCell>>,
                        _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        for (parameter, cell) in zip(1..., cells) {
            let position = Int32(parameter)
            let status: Int32
            switch cell.kind {
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, position)
            case .integer: status = sqlite_nio_sqlite3_bind_int64(statement, position, cell.payload)
            case .real: status = sqlite_nio_sqlite3_bind_double(statement, position, Double(bitPattern: UInt64(bitPattern: cell.payload)))
            case .text, .id:
                // An empty text needs an address all the same, or SQLite would take it for NULL.
                let text = bytes.baseAddress.map { UnsafeRawPointer($0 + Int(cell.payload)) }
                    ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                status = sqlite_nio_sqlite3_bind_text64(statement, position, text.assumingMemoryBound(to: CChar.self),
                                                        UInt64(cell.length), nil, UInt8(SQLITE_UTF8))
            }
            guard status == SQLITE_OK else { return status }
        }
        return sqlite_nio_sqlite3_step(statement)
    }

    /// Runs a query with text binds and hands each row's columns, as text or nil, to `row`.
    func query(_ sql: String, binds: [String] = [], _ row: ([String?]) throws -> Void) throws {
        let width = Int(sqlite_nio_sqlite3_column_count(try statement(sql)))
        try rows(sql, binds: binds) { cells in try row((0..<width).map { _ in cells.text() }) }
    }

    /// Runs a query with text binds (numbered `?1`, `?2`, …) and hands each row's cells, in
    /// place, to `row`.
    func rows(_ sql: String, binds: [String], _ row: (inout DirectCells) throws -> Void) throws {
        let statement = try statement(sql)
        defer { sqlite_nio_sqlite3_reset(statement) }
        for (index, bind) in binds.enumerated() {
            let status = sqlite_nio_sqlite3_bind_text64(statement, Int32(index + 1), bind, UInt64(bind.utf8.count),
                                                        SQLiteFile.transient, UInt8(SQLITE_UTF8))
            guard status == SQLITE_OK else { throw lastError() }
        }
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw lastError() }
            var cells = DirectCells(sqlite: statement)
            try row(&cells)
        }
    }

    private func lastError() -> SQLiteFileError {
        SQLiteFileError(message: handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "closed")
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// What SQLite said when a bulk write failed.
struct SQLiteFileError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { "SQLite: \(message)" }
}

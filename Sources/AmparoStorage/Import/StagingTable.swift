import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO
import AmparoDomain

/// A value on its way into a staging table.
enum StageValue: Sendable {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)

    init(_ answer: Answer?) {
        switch answer {
        case nil: self = .null
        case .text(let text)?: self = .text(text)
        case .integer(let value)?: self = .integer(value)
        case .money(let hundredths)?: self = .text(Answer.money(hundredths: hundredths).exchangeText)
        case .real(let value)?: self = .real(value)
        case .date(let date)?: self = .text(date.description)
        }
    }
}

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
        var values: [StageValue] = []
        var rows = 0

        init(table: StagingTable) {
            self.table = table
            values.reserveCapacity(table.columns.count * 4_096)
        }

        mutating func append(line: Int, _ row: [StageValue]) {
            precondition(row.count == table.columns.count)
            values.append(.integer(Int64(line)))
            values.append(contentsOf: row)
            rows += 1
        }

        mutating func flush(to connection: BulkConnection) async throws {
            guard rows > 0 else { return }
            let batch = values
            values.removeAll(keepingCapacity: true)
            rows = 0
            switch connection {
            case .postgres(let postgres): try await table.copy(batch, into: postgres)
            case .sqlite(let sqlite): try await table.insert(batch, into: sqlite)
            }
        }
    }

    private var allColumns: [String] { ["line"] + columns.map(\.name) }

    private func copy(_ values: [StageValue], into connection: PostgresConnection) async throws {
        var buffer = ByteBufferAllocator().buffer(capacity: values.count * 12)
        let width = allColumns.count
        for (index, value) in values.enumerated() {
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .integer(let number): buffer.writeString(String(number))
            case .real(let number): buffer.writeString(String(number))
            case .text(let text): StagingTable.writeCopyText(text, to: &buffer)
            }
            buffer.writeInteger(index % width == width - 1 ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
        }
        try await connection.copyFrom(table: name, columns: allColumns, logger: connection.logger) { writer in
            try await writer.write(buffer)
        }
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped.
    private static func writeCopyText(_ text: String, to buffer: inout ByteBuffer) {
        if !text.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            buffer.writeString(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 92: buffer.writeStaticString("\\\\")
            case 9: buffer.writeStaticString("\\t")
            case 10: buffer.writeStaticString("\\n")
            case 13: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    private func insert(_ values: [StageValue], into connection: SQLiteConnection) async throws {
        let width = allColumns.count
        // SQLite allows 32,766 parameters per statement.
        let rowsPerStatement = max(1, min(500, 32_000 / width))
        let placeholders = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        let head = "INSERT INTO \(name) (\(allColumns.joined(separator: ","))) VALUES "
        let fullSQL = head + Array(repeating: placeholders, count: rowsPerStatement).joined(separator: ",")
        var start = 0
        while start < values.count {
            let end = min(values.count, start + rowsPerStatement * width)
            let rows = (end - start) / width
            let sql = rows == rowsPerStatement ? fullSQL : head + Array(repeating: placeholders, count: rows).joined(separator: ",")
            let binds: [SQLiteData] = values[start..<end].map { value in
                switch value {
                case .null: .null
                case .integer(let number): .integer(Int(number))
                case .real(let number): .float(number)
                case .text(let text): .text(text)
                }
            }
            try await connection.query(sql, binds) { _ in }
            start = end
        }
    }
}

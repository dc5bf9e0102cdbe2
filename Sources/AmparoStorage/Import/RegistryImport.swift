import Foundation
import SQLKit
import Synchronization
import AmparoDomain

/// `amparo import DIR`: reads areas.csv, households.csv and individuals.csv of the exchange
/// format into the registry.
///
/// It works in two passes so that memory stays flat and a bad row never leaves half a batch:
/// first every row is read, checked against the format and staged in scratch tables, and
/// the checks across files run in the database; then, unless the mode forbids it, the good
/// rows are copied into the registry in transactions of `chunkLines` lines. Rows are keyed
/// by the source's refs and a ref already in the registry is left alone, so running the
/// same import again — after it finished, or after it was killed at any moment — ends with
/// exactly what one uninterrupted run gives.
public struct RegistryImport: Sendable {
    public let database: RegistryDatabase
    public let questionnaire: Questionnaire

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    static let areaStage = "import_stage_areas"
    static let householdStage = "import_stage_households"
    static let individualStage = "import_stage_individuals"

    /// Imports the files of `directory` (any of the three may be absent).
    /// Every refused row goes to `problems` as soon as it is found.
    public func run(
        directory: String,
        options: ImportOptions = ImportOptions(),
        problems: @escaping @Sendable (RowProblem) -> Void,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let files = ImportFiles(directory: directory)
        guard files.areas != nil || files.households != nil || files.individuals != nil else {
            throw ImportError.noFiles(directory: directory)
        }
        let job = ImportJob(questionnaire: questionnaire, dialect: database.dialect, options: options,
                            problems: problems, progress: progress)
        return try await database.withBulkConnection { connection in
            try await job.run(files: files, connection: connection)
        }
    }
}

/// The paths of the three files, where they exist.
struct ImportFiles: Sendable {
    var areas: String?
    var households: String?
    var individuals: String?

    init(directory: String) {
        func path(_ name: String) -> String? {
            let path = (directory as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        areas = path(ExchangeFormat.areasFile)
        households = path(ExchangeFormat.householdsFile)
        individuals = path(ExchangeFormat.individualsFile)
    }
}

/// One run of an import, on one connection.
struct ImportJob: Sendable {
    let questionnaire: Questionnaire
    let dialect: RegistryDatabase.Dialect
    let options: ImportOptions
    let problems: @Sendable (RowProblem) -> Void
    let progress: @Sendable (ImportProgress) -> Void

    var reader: ExchangeRowReader { ExchangeRowReader(questionnaire: questionnaire) }
    var types: ColumnTypes { ColumnTypes(dialect: dialect) }

    var areaStage: StagingTable {
        StagingTable(name: RegistryImport.areaStage, columns: [
            ("id", types.id), ("code", "TEXT"), ("name", "TEXT"), ("level", "TEXT"),
            ("parent_id", types.id), ("path", "TEXT"), ("depth", types.bigint),
        ])
    }

    var householdStage: StagingTable {
        StagingTable(name: RegistryImport.householdStage, columns:
            [("id", types.id), ("ref", "TEXT"), ("area_code", "TEXT")]
            + questionnaire.householdFields.map { ($0.name, types.type(of: $0.kind)) }
            + [("extra", "TEXT")])
    }

    var individualStage: StagingTable {
        StagingTable(name: RegistryImport.individualStage, columns:
            [("id", types.id), ("membership_id", types.id), ("ref", "TEXT"), ("household_ref", "TEXT"),
             ("relationship", "TEXT")]
            + questionnaire.individualFields.map { ($0.name, types.type(of: $0.kind)) }
            + [("name_key", "TEXT"), ("extra", "TEXT")])
    }

    func run(files: ImportFiles, connection: BulkConnection) async throws -> ImportSummary {
        let db = connection.sql
        var summary = ImportSummary()
        let now = Timestamp.now()

        for stage in [areaStage, householdStage, individualStage] {
            for statement in stage.createStatements(dialect: dialect) { try await db.raw(SQLQueryString(statement)).run() }
        }
        do {
            // SQLite writes the staging tables fastest inside one transaction.
            if dialect == .sqlite { try await db.raw("BEGIN").run() }
            if let path = files.areas {
                summary.areas = try await stageAreas(path: path, connection: connection)
            }
            if let path = files.households {
                summary.households = try await stageHouseholds(path: path, connection: connection)
            }
            if let path = files.individuals {
                summary.individuals = try await stageIndividuals(path: path, connection: connection)
            }
            if dialect == .sqlite { try await db.raw("COMMIT").run() }
        } catch {
            if dialect == .sqlite { try? await db.raw("ROLLBACK").run() }
            try? await dropStages(db)
            throw error
        }

        if options.mode == .allOrNothing && summary.refused > 0 {
            summary.wroteNothing = true
            try await dropStages(db)
            return summary
        }

        let writer = RegistryCopy(db: db, questionnaire: questionnaire, options: options, now: now, progress: progress)
        summary.areas.added = try await writer.copyAreas()
        summary.households.added = try await writer.copyHouseholds()
        summary.individuals.added = try await writer.copyIndividuals()
        try await dropStages(db)
        return summary
    }

    private func dropStages(_ db: any SQLDatabase) async throws {
        for stage in [areaStage, householdStage, individualStage] {
            try await db.raw(SQLQueryString("DROP TABLE IF EXISTS \(stage.name)")).run()
        }
    }

    // MARK: Areas

    /// Areas are few (a country has thousands, not millions), so they are checked in memory,
    /// where their hierarchy is easiest to follow, and then staged.
    private func stageAreas(path: String, connection: BulkConnection) async throws -> ImportSummary.FileCounts {
        let file = ExchangeFormat.areasFile
        var counts = ImportSummary.FileCounts()
        var rows: [AreaRow] = []
        try await ExchangeFileReader(path: path, file: file, progress: progress).read(
            layout: { try reader.areaLayout(header: $0) }
        ) { records, layout in
            for record in records {
                counts.read += 1
                switch reader.area(record, layout: layout) {
                case .success(let row): rows.append(row)
                case .failure(let found):
                    counts.refused += 1
                    found.problems.forEach(problems)
                }
            }
        }

        let existing = try await connection.sql.raw("SELECT id, code, level, path FROM areas").all()
        var known: [String: (id: UUID, level: AreaLevel, path: String)] = [:]
        for row in existing {
            let level = AreaLevel(rawValue: try row.decode(column: "level", as: String.self)) ?? .locality
            known[try row.decode(column: "code", as: String.self)] =
                (try row.decode(column: "id", as: UUID.self), level, try row.decode(column: "path", as: String.self))
        }

        var firstLine: [String: Int] = [:]
        var accepted: [String: AreaRow] = [:]
        for row in rows {
            if let line = firstLine[row.code] {
                counts.refused += 1
                problems(RowProblem(file: file, line: row.line, column: "area_code", value: row.code,
                                    reason: "the code is already used on line \(line)"))
            } else {
                firstLine[row.code] = row.line
                accepted[row.code] = row
            }
        }

        // Resolve parents top-down; an area whose parent is unknown or refused is refused too.
        var resolved: [String: (id: UUID, level: AreaLevel, path: String, parentID: UUID?, row: AreaRow?)] = [:]
        func resolve(_ code: String, trail: Set<String>) -> (id: UUID, level: AreaLevel, path: String)? {
            if let done = resolved[code] { return (done.id, done.level, done.path) }
            if let old = known[code] { return old }
            guard let row = accepted[code], !trail.contains(code) else { return nil }
            var parentID: UUID?
            var path = "/"
            if let parentCode = row.parentCode {
                guard let parent = resolve(parentCode, trail: trail.union([code])) else { return nil }
                guard parent.level < row.level else { return nil }
                parentID = parent.id
                path = parent.path
            }
            let entry = (id: UUID(), level: row.level, path: path + row.code + "/", parentID: parentID, row: Optional(row))
            resolved[code] = entry
            return (entry.id, entry.level, entry.path)
        }

        var buffer = StagingTable.Buffer(table: areaStage)
        for row in rows.sorted(by: { $0.line < $1.line }) where firstLine[row.code] == row.line {
            if known[row.code] != nil {
                counts.alreadyPresent += 1
                continue
            }
            guard resolve(row.code, trail: []) != nil, let entry = resolved[row.code] else {
                counts.refused += 1
                let parent = row.parentCode ?? ""
                let reason = if let parentLevel = known[parent]?.level ?? accepted[parent]?.level, parentLevel >= row.level {
                    "the parent area \(parent) is a \(parentLevel.rawValue), not above a \(row.level.rawValue)"
                } else {
                    "the parent area \(parent) is neither in the registry nor accepted from this file"
                }
                problems(RowProblem(file: file, line: row.line, column: "parent_code", value: parent, reason: reason))
                continue
            }
            buffer.append(line: row.line, [
                .text(entry.id.uuidString), .text(row.code), .text(row.name), .text(row.level.rawValue),
                entry.parentID.map { .text($0.uuidString) } ?? .null, .text(entry.path), .integer(Int64(row.level.depth)),
            ])
            if buffer.rows >= options.batchSize { try await buffer.flush(to: connection) }
        }
        try await buffer.flush(to: connection)
        return counts
    }

    // MARK: Households

    private func stageHouseholds(path: String, connection: BulkConnection) async throws -> ImportSummary.FileCounts {
        let file = ExchangeFormat.householdsFile
        var ids = RecordIdentifiers()
        var counts = try await stage(path: path, file: file, into: householdStage, connection: connection,
                                     layout: { try reader.householdLayout(header: $0) },
                                     read: { reader.household($0, layout: $1) }) { row in
            [.text(ids.next().uuidString), .text(row.ref), .text(row.areaCode)]
                + row.answers.map(StageValue.init) + [extraJSON(row.extras)]
        }

        let checks = StageChecks(db: connection.sql, table: RegistryImport.householdStage, file: file, problems: problems)
        progress(ImportProgress(stage: .checking, file: file, done: 0, total: 0))
        try await checks.index("ref")
        counts.refused += try await checks.refuse(
            column: "household_ref", value: "s.ref", reason: "the ref is already used on an earlier line",
            where: "EXISTS (SELECT 1 FROM \(checks.table) t WHERE t.ref = s.ref AND t.line < s.line)")
        counts.refused += try await checks.refuse(
            column: "area_code", value: "s.area_code", reason: "the area is neither in the registry nor accepted from areas.csv",
            where: """
                NOT EXISTS (SELECT 1 FROM areas a WHERE a.code = s.area_code) \
                AND NOT EXISTS (SELECT 1 FROM \(RegistryImport.areaStage) a WHERE a.code = s.area_code AND a.status = 'new')
                """)
        counts.alreadyPresent = try await checks.markPresent(
            where: "EXISTS (SELECT 1 FROM households h WHERE h.source_ref = s.ref)")
        return counts
    }

    // MARK: Individuals

    private func stageIndividuals(path: String, connection: BulkConnection) async throws -> ImportSummary.FileCounts {
        let file = ExchangeFormat.individualsFile
        var ids = RecordIdentifiers()
        let names = ["given_names", "first_surname", "second_surname"].map { name in
            questionnaire.individualFields.firstIndex { $0.name == name }
        }
        var counts = try await stage(path: path, file: file, into: individualStage, connection: connection,
                                     layout: { try reader.individualLayout(header: $0) },
                                     read: { reader.individual($0, layout: $1) }) { row in
            let parts = names.map { index -> String? in
                guard let index, case .text(let text)? = row.answers[index] else { return nil }
                return text
            }
            return [
                .text(ids.next().uuidString), .text(ids.next().uuidString), .text(row.ref), .text(row.householdRef),
                .text(row.relationship.rawValue),
            ] + row.answers.map(StageValue.init) + [
                .text(SearchText.nameKey(parts[0], parts[1], parts[2])), extraJSON(row.extras),
            ]
        }

        let checks = StageChecks(db: connection.sql, table: RegistryImport.individualStage, file: file, problems: problems)
        progress(ImportProgress(stage: .checking, file: file, done: 0, total: 0))
        try await checks.index("ref")
        try await checks.index("household_ref")
        counts.refused += try await checks.refuse(
            column: "person_ref", value: "s.ref", reason: "the ref is already used on an earlier line",
            where: "EXISTS (SELECT 1 FROM \(checks.table) t WHERE t.ref = s.ref AND t.line < s.line)")
        counts.refused += try await checks.refuse(
            column: "household_ref", value: "s.household_ref",
            reason: "no household with this ref is in the registry or accepted from households.csv",
            where: """
                NOT EXISTS (SELECT 1 FROM \(RegistryImport.householdStage) h WHERE h.ref = s.household_ref AND h.status <> 'refused') \
                AND NOT EXISTS (SELECT 1 FROM households h WHERE h.source_ref = s.household_ref)
                """)
        counts.alreadyPresent = try await checks.markPresent(
            where: "EXISTS (SELECT 1 FROM individuals i WHERE i.source_ref = s.ref)")
        return counts
    }

    /// Reads a file, stages the rows that pass the checks of the format, reports the others.
    private func stage<Row: StagedRow>(
        path: String, file: String, into table: StagingTable, connection: BulkConnection,
        layout: ([String]) throws -> ColumnLayout,
        read: (CSVParser.Record, ColumnLayout) -> Result<Row, RowRefusal>,
        values: (Row) -> [StageValue]
    ) async throws -> ImportSummary.FileCounts {
        var counts = ImportSummary.FileCounts()
        var buffer = StagingTable.Buffer(table: table)
        try await ExchangeFileReader(path: path, file: file, progress: progress).read(layout: layout) { records, layout in
            for record in records {
                counts.read += 1
                switch read(record, layout) {
                case .success(let row): buffer.append(line: row.line, values(row))
                case .failure(let refusal):
                    counts.refused += 1
                    refusal.problems.forEach(problems)
                }
            }
            if buffer.rows >= options.batchSize { try await buffer.flush(to: connection) }
        }
        try await buffer.flush(to: connection)
        return counts
    }

    private func extraJSON(_ extras: [(name: String, value: String)]) -> StageValue {
        guard !extras.isEmpty else { return .null }
        var object: [String: String] = [:]
        for extra in extras { object[extra.name] = extra.value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else { return .null }
        return .text(String(decoding: data, as: UTF8.self))
    }
}

/// A row of a file that is staged line by line.
protocol StagedRow { var line: Int { get } }
extension HouseholdRow: StagedRow {}
extension IndividualRow: StagedRow {}

/// The checks across rows that run inside the database, over a staging table.
struct StageChecks: Sendable {
    let db: any SQLDatabase
    let table: String
    let file: String
    let problems: @Sendable (RowProblem) -> Void

    func index(_ column: String) async throws {
        try await db.raw(SQLQueryString("CREATE INDEX \(table)_\(column) ON \(table) (\(column))")).run()
    }

    /// Reports every still-new row that meets `condition` and marks it refused; returns how many.
    func refuse(column: String, value: String, reason: String, where condition: String) async throws -> Int {
        let count = Mutex(0)
        let file = self.file, problems = self.problems
        try await db.raw(SQLQueryString(
            "SELECT s.line AS line, \(value) AS value FROM \(table) s WHERE s.status = 'new' AND \(condition) ORDER BY s.line"
        )).run { row in
            let line = (try? row.decode(column: "line", as: Int.self)) ?? 0
            let value = (try? row.decode(column: "value", as: String?.self)) ?? nil
            problems(RowProblem(file: file, line: line, column: column, value: value ?? "", reason: reason))
            count.withLock { $0 += 1 }
        }
        let refused = count.withLock { $0 }
        if refused > 0 {
            try await db.raw(SQLQueryString(
                "UPDATE \(table) SET status = 'refused' WHERE line IN (SELECT s.line FROM \(table) s WHERE s.status = 'new' AND \(condition))"
            )).run()
        }
        return refused
    }

    /// Marks the rows the registry already holds; returns how many.
    func markPresent(where condition: String) async throws -> Int {
        try await db.raw(SQLQueryString(
            "UPDATE \(table) SET status = 'present' WHERE line IN (SELECT s.line FROM \(table) s WHERE s.status = 'new' AND \(condition))"
        )).run()
        let row = try await db.raw(SQLQueryString("SELECT COUNT(*) AS n FROM \(table) WHERE status = 'present'")).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}

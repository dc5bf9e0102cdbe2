import Foundation
import AmparoDomain

/// The keys the registry held when an import began: what makes a row "already present",
/// and what a row of the files may point to.
struct RegistryKeys: Sendable {
    var areas: [String: (id: String, level: AreaLevel, path: String)] = [:]
    var households = RefIndex()
    var persons = RefIndex()

    /// Reads only what the files at hand need: the people's refs only when there are people to import.
    static func load(from connection: DirectConnection, for files: ImportFiles) async throws -> RegistryKeys {
        let keys = Collected(RegistryKeys())
        try await connection.eachRow("SELECT CAST(id AS TEXT), code, level, path FROM areas") { row in
            guard let id = row[0], let code = row[1], let path = row[3] else { return }
            let level = AreaLevel(rawValue: row[2] ?? "") ?? .locality
            keys.update { $0.areas[code] = (id, level, path) }
        }
        if files.households != nil || files.individuals != nil {
            try await connection.eachRow("SELECT source_ref FROM households") { row in
                if let ref = row[0] { keys.update { $0.households.insert(ref) } }
            }
        }
        if files.individuals != nil {
            try await connection.eachRow("SELECT source_ref FROM individuals") { row in
                if let ref = row[0] { keys.update { $0.persons.insert(ref) } }
            }
        }
        return keys.value
    }
}

/// An area of areas.csv that passed every check and is new to the registry.
struct NewArea: Sendable {
    var id: String
    var row: AreaRow
    var parentID: String?
    var path: String
}

/// The lines of one file that were refused, in file order, to be passed over when the file
/// is read again to be written.
struct RefusedLines: Sendable {
    private var lines: [Int32] = []
    private var next = 0

    mutating func add(_ line: Int) {
        if lines.last != Int32(line) { lines.append(Int32(line)) }
    }

    /// Whether `line` was refused; lines must be asked about in increasing order.
    mutating func contains(_ line: Int) -> Bool {
        while next < lines.count, lines[next] < Int32(line) { next += 1 }
        return next < lines.count && lines[next] == Int32(line)
    }
}

/// What the write pass needs from the check pass.
struct ImportPlan: Sendable {
    var newAreas: [NewArea] = []
    /// Every area a household may be in: the registry's and the new ones, by code.
    var areaIDs: [String: String] = [:]
    /// The path of each of those areas, by id.
    var areaPaths: [String: String] = [:]
    var refusedHouseholds = RefusedLines()
    var refusedPersons = RefusedLines()
    var registryHouseholds = RefIndex()
    var registryPersons = RefIndex()
}

/// The first pass of an import: reads each file, checks every row, reports every refused
/// one, and counts what the write pass will find.
struct ImportCheck {
    let reader: ExchangeRowReader
    let problems: @Sendable (RowProblem) -> Void
    let progress: @Sendable (ImportProgress) -> Void
    private var plan = ImportPlan()
    private let registryAreas: [String: (id: String, level: AreaLevel, path: String)]
    /// Refs of the files, with the line each was first seen on (negative if that row was refused).
    private var households = RefIndex()
    private var persons = RefIndex()

    init(reader: ExchangeRowReader, keys: RegistryKeys, problems: @escaping @Sendable (RowProblem) -> Void,
         progress: @escaping @Sendable (ImportProgress) -> Void) {
        self.reader = reader
        self.problems = problems
        self.progress = progress
        plan.registryHouseholds = keys.households
        plan.registryPersons = keys.persons
        plan.areaIDs = keys.areas.mapValues(\.id)
        plan.areaPaths = Dictionary(keys.areas.values.map { ($0.id, $0.path) }, uniquingKeysWith: { first, _ in first })
        registryAreas = keys.areas
    }

    /// Ends the check: hands over what the write pass needs and lets go of the rest.
    mutating func finish() -> ImportPlan {
        households = RefIndex()
        persons = RefIndex()
        return plan
    }

    // MARK: Areas

    /// Areas are few (a country has thousands, not millions), so they are checked in memory,
    /// where their hierarchy is easiest to follow, and kept until the write pass.
    mutating func areas(path: String) async throws -> ImportSummary.FileCounts {
        let file = ExchangeFormat.areasFile
        var counts = ImportSummary.FileCounts()
        var rows: [AreaRow] = []
        try await ExchangeFileReader(path: path, file: file, stage: .checking, progress: progress).read(
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

        var firstLine: [String: Int] = [:]
        var accepted: [String: AreaRow] = [:]
        for row in rows {
            if let line = firstLine[row.code] {
                counts.refused += 1
                problems(RowProblem(file: file, line: row.line, column: "area_code", value: row.code,
                                    message: .codeUsedOnLine(line)))
            } else {
                firstLine[row.code] = row.line
                accepted[row.code] = row
            }
        }

        // Resolve parents top-down; an area whose parent is unknown or refused is refused too.
        let known = registryAreas
        var resolved: [String: NewArea] = [:]
        func resolve(_ code: String, trail: Set<String>) -> (id: String, level: AreaLevel, path: String)? {
            if let done = resolved[code] { return (done.id, done.row.level, done.path) }
            if let old = known[code] { return old }
            guard let row = accepted[code], !trail.contains(code) else { return nil }
            var parentID: String?
            var path = "/"
            if let parentCode = row.parentCode {
                guard let parent = resolve(parentCode, trail: trail.union([code])) else { return nil }
                guard parent.level < row.level else { return nil }
                parentID = parent.id
                path = parent.path
            }
            let area = NewArea(id: UUID().uuidString, row: row, parentID: parentID, path: path + row.code + "/")
            resolved[code] = area
            return (area.id, row.level, area.path)
        }

        var added: [NewArea] = []
        for row in rows.sorted(by: { $0.line < $1.line }) where firstLine[row.code] == row.line {
            if known[row.code] != nil {
                counts.alreadyPresent += 1
                continue
            }
            guard resolve(row.code, trail: []) != nil, let area = resolved[row.code] else {
                counts.refused += 1
                let parent = row.parentCode ?? ""
                let message: ImportMessage = if let parentLevel = known[parent]?.level ?? accepted[parent]?.level,
                                                parentLevel >= row.level {
                    .parentNotAbove(parent: parent, parentLevel: parentLevel.rawValue, level: row.level.rawValue)
                } else {
                    .parentUnknown(parent)
                }
                problems(RowProblem(file: file, line: row.line, column: "parent_code", value: parent, message: message))
                continue
            }
            added.append(area)
            plan.areaIDs[row.code] = area.id
            plan.areaPaths[area.id] = area.path
        }
        // Parents before children, for the references between them.
        plan.newAreas = added.sorted { ($0.row.level.depth, $0.row.line) < ($1.row.level.depth, $1.row.line) }
        return counts
    }

    // MARK: Households

    /// Most rows pass `ExchangeRowScreen` on their bytes; the others are read the full way,
    /// which says why a row is refused. Both happen a piece ahead (`ScreenedPieces`).
    mutating func households(path: String) async throws -> ImportSummary.FileCounts {
        let reader = reader
        let pieces = ScreenedPieces(
            reader: ExchangeFileReader(path: path, file: ExchangeFormat.householdsFile, stage: .checking, progress: progress),
            layout: { try reader.householdLayout(header: $0) },
            screen: { ExchangeRowScreen(households: $0, questionnaire: reader.questionnaire) },
            full: { record, layout in reader.household(record, layout: layout).map { ($0.ref, $0.areaCode) } })
        return try await check(pieces, refusing: \.refusedHouseholds) { check, row, ref, area, counts in
            check.acceptHousehold(line: row.line, ref: ref, key: row.ref, areaCode: String(decoding: area, as: UTF8.self), &counts)
        }
    }

    /// Counts the rows of `pieces` and refuses those refused on their own; hands the others
    /// to `accept`, with their refs' bytes, for the checks across rows.
    private mutating func check(
        _ pieces: ScreenedPieces, refusing refused: WritableKeyPath<ImportPlan, RefusedLines>,
        _ accept: (inout ImportCheck, ScreenedPiece.Row, _ ref: UnsafeBufferPointer<UInt8>, _ parent: UnsafeBufferPointer<UInt8>,
                   inout ImportSummary.FileCounts) -> Void
    ) async throws -> ImportSummary.FileCounts {
        var counts = ImportSummary.FileCounts()
        try await pieces.forEach { piece in
            for row in piece.rows {
                counts.read += 1
                guard row.refusal < 0 else {
                    Self.refuse(&plan[keyPath: refused], &counts, piece.refusals[Int(row.refusal)], to: problems)
                    continue
                }
                piece.withRefs(of: row) { ref, parent in accept(&self, row, ref, parent, &counts) }
            }
        }
        return counts
    }

    /// The checks of a good household row against the other rows and the registry.
    private mutating func acceptHousehold(line: Int, ref: UnsafeBufferPointer<UInt8>, key: UInt64, areaCode: String,
                                          _ counts: inout ImportSummary.FileCounts) {
        let file = ExchangeFormat.householdsFile
        if let first = households[fingerprint: key] {
            Self.refuse(&plan.refusedHouseholds, &counts, [RowProblem(
                file: file, line: line, column: "household_ref", value: String(decoding: ref, as: UTF8.self),
                message: .refUsedOnLine(Int(abs(first))))], to: problems)
            return
        }
        let inKnownArea = plan.areaIDs[areaCode] != nil
        households[fingerprint: key] = Int32(inKnownArea ? line : -line)
        if !inKnownArea {
            Self.refuse(&plan.refusedHouseholds, &counts, [RowProblem(
                file: file, line: line, column: "area_code", value: areaCode, message: .areaUnknown)], to: problems)
        } else if plan.registryHouseholds.contains(fingerprint: key) {
            counts.alreadyPresent += 1
        }
    }

    // MARK: Individuals

    mutating func individuals(path: String) async throws -> ImportSummary.FileCounts {
        let reader = reader
        let pieces = ScreenedPieces(
            reader: ExchangeFileReader(path: path, file: ExchangeFormat.individualsFile, stage: .checking, progress: progress),
            layout: { try reader.individualLayout(header: $0) },
            screen: { ExchangeRowScreen(individuals: $0, questionnaire: reader.questionnaire) },
            full: { record, layout in reader.individual(record, layout: layout).map { ($0.ref, $0.householdRef) } })
        return try await check(pieces, refusing: \.refusedPersons) { check, row, ref, household, counts in
            check.acceptPerson(line: row.line, ref: ref, key: row.ref, householdRef: household, household: row.parent, &counts)
        }
    }

    /// The checks of a good person row against the other rows and the registry.
    private mutating func acceptPerson(line: Int, ref: UnsafeBufferPointer<UInt8>, key: UInt64,
                                       householdRef: UnsafeBufferPointer<UInt8>, household: UInt64,
                                       _ counts: inout ImportSummary.FileCounts) {
        let file = ExchangeFormat.individualsFile
        if let first = persons[fingerprint: key] {
            Self.refuse(&plan.refusedPersons, &counts, [RowProblem(
                file: file, line: line, column: "person_ref", value: String(decoding: ref, as: UTF8.self),
                message: .refUsedOnLine(Int(first)))], to: problems)
            return
        }
        persons[fingerprint: key] = Int32(line)
        if !households.accepts(fingerprint: household) && !plan.registryHouseholds.contains(fingerprint: household) {
            Self.refuse(&plan.refusedPersons, &counts, [RowProblem(
                file: file, line: line, column: "household_ref", value: String(decoding: householdRef, as: UTF8.self),
                message: .householdUnknown)], to: problems)
        } else if plan.registryPersons.contains(fingerprint: key) {
            counts.alreadyPresent += 1
        }
    }

    private static func refuse(_ lines: inout RefusedLines, _ counts: inout ImportSummary.FileCounts, _ found: [RowProblem],
                               to problems: (RowProblem) -> Void) {
        counts.refused += 1
        if let line = found.first?.line { lines.add(line) }
        found.forEach(problems)
    }
}

import Foundation
import AmparoDomain

/// The second pass of an import: reads the files again and writes the rows that the check
/// pass accepted and the registry did not hold yet, a chunk of rows per transaction.
///
/// While one chunk is being written, the next is being read and turned into rows, so the
/// reading of the file and the database's work go on side by side. A chunk lands whole or
/// not at all; its rows are found present when a killed import is run again, and registry
/// numbers are handed out in file order to the rows actually added, the counter moving in
/// the transaction that adds them, so a resumed run numbers as an uninterrupted one.
///
/// Where the database takes rows on several connections at once (PostgreSQL), chunks are
/// written on `connection` and on further lanes in turn, several at a time, each in its own
/// transaction: the server's work on a chunk, not the reading of the file, is what a large
/// load waits for there. A chunk of households then commits only after the chunk before it,
/// so that the chunks landed are always the first ones of the file, numbered in order.
struct ImportWrite: Sendable {
    let connection: DirectConnection
    let reader: ExchangeRowReader
    let plan: ImportPlan
    let options: ImportOptions
    let problems: @Sendable (RowProblem) -> Void
    let progress: @Sendable (ImportProgress) -> Void
    /// On PostgreSQL, when the households' snapshot is current as the import begins: the
    /// import writes the snapshot's rows of the households and memberships it adds, in the
    /// transactions that add them (see `HouseholdSnapshots`).
    var snapshots: HouseholdSnapshots? = nil
    let now = Timestamp.now()

    private var questionnaire: Questionnaire { reader.questionnaire }

    func areas() async throws -> Int {
        guard !plan.newAreas.isEmpty else { return 0 }
        var areas = BulkRows(table: "areas", columns: ["id", "code", "name", "level", "parent_id", "path", "created_at"])
        var history = HistoryRows(actor: options.actor, at: now)
        for area in plan.newAreas {
            areas.append([
                .text(area.id), .text(area.row.code), .text(area.row.name), .text(area.row.level.rawValue),
                area.parentID.map { .text($0) } ?? .null, .text(area.path), .text(now),
            ])
            history.created("area", id: area.id, household: nil, ref: area.row.code,
                            file: ExchangeFormat.areasFile, line: area.row.line)
        }
        try await connection.inTransaction {
            try await connection.write(&areas)
            try await connection.write(&history.rows)
        }
        return plan.newAreas.count
    }

    // MARK: Households

    /// A chunk of households ready to write, but for their registry numbers, which are
    /// given when it is handed to a lane.
    struct HouseholdChunk: Sendable {
        var households: BulkRows
        /// Their rows of the households' snapshot, when the import writes it.
        var snapshot: BulkRows?
        var history: HistoryRows
        var count: Int { households.rows }
    }

    /// Returns the households added, and where each is, for the people who follow. `lanes`
    /// are connections that write chunks beside `connection`.
    func households(path: String, lanes: [DirectConnection] = []) async throws -> (added: Int, directory: AddedHouseholds) {
        let fields = questionnaire.householdFields
        let registeredOn = fields.firstIndex { $0.name == "registered_on" }
        var directory = AddedHouseholds()
        let columns = ["id", "registry_sequence", "source_ref", "area_id"] + fields.map(\.name) + ["extra", "created_at", "updated_at"]
        func emptyChunk() -> HouseholdChunk {
            HouseholdChunk(households: BulkRows(table: "households", columns: columns, reservingRows: options.chunkLines),
                           snapshot: snapshots.map { _ in
                               BulkRows(table: "household_snapshots", columns: ["household_id", "area_path", "facts"],
                                        reservingRows: options.chunkLines)
                           },
                           history: HistoryRows(actor: options.actor, at: now, reservingRows: options.chunkLines))
        }
        // The columns of the snapshot's pieces after the area's id: the answers that can be facts.
        let factColumns = snapshots.map { snapshots in snapshots.householdFields.compactMap { field in fields.firstIndex(of: field).map { $0 + 4 } } }
        var pieces: [UInt8] = []
        var chunk = emptyChunk()
        var refused = plan.refusedHouseholds
        var ids = RecordIdentifiers()
        let writers = [connection] + lanes
        var pipeline = WritePipeline(lanes: writers.count)
        // Only an import writes households, and one at a time (`ImportLock`): the numbers
        // follow on from the counter as it stands now, in file order.
        var numbered = try await connection.householdCounter()
        // The chunk is handed over, not shared, so that numbering it does not copy its rows.
        func submit(_ chunk: consuming HouseholdChunk, to pipeline: inout WritePipeline) async throws {
            for row in 0..<chunk.count { chunk.households.set(row: row, column: 1, to: numbered + Int64(row) + 1) }
            numbered += Int64(chunk.count)
            let ready = consume chunk
            let counter = numbered, before = pipeline.newest
            try await pipeline.submit { lane in try await write(ready, on: writers[lane], after: before, counter: counter) }
        }

        var screen: ExchangeRowScreen?
        var answers: [ExchangeRowScreen.StoredAnswer] = []
        /// Chunks filled while a piece of the file was read, submitted once it is.
        var filled: [HouseholdChunk] = []
        func add(ref: String, areaID: String, line: Int, registered date: CalendarDate?, answers: (inout BulkRows) -> Void,
                 extra: BulkValue) {
            let id = ids.next()
            directory.add(ref: ref, id: id, registeredOn: date)
            chunk.households.appendID(id)
            // The registry number is set when the chunk is handed to a lane: 0 holds its place.
            chunk.households.appendInteger(0)
            chunk.households.appendText(ref)
            chunk.households.appendText(areaID)
            answers(&chunk.households)
            chunk.households.append(extra)
            chunk.households.appendText(now)
            chunk.households.appendText(now)
            chunk.households.endRow()
            // A household whose area's path is not known here has no row: the first run to read it rebuilds its page.
            if let factColumns, let path = plan.areaPaths[areaID] {
                // The area's id in lower case, as the database writes an id as text.
                pieces.removeAll(keepingCapacity: true)
                for byte in areaID.utf8 { pieces.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) }
                if !factColumns.isEmpty {
                    pieces.append(HouseholdSnapshots.unitSeparator)
                    chunk.households.appendPieces(ofLastRow: factColumns, separator: HouseholdSnapshots.unitSeparator, to: &pieces)
                }
                chunk.snapshot?.appendID(id)
                chunk.snapshot?.appendText(path)
                pieces.withUnsafeBufferPointer { chunk.snapshot?.appendText($0) }
                chunk.snapshot?.endRow()
            }
            chunk.history.created("household", id: id, household: id, ref: ref, file: ExchangeFormat.householdsFile, line: line)
            if chunk.count >= options.chunkLines {
                filled.append(chunk)
                chunk = emptyChunk()
            }
        }
        try await pipeline.feedCells(ExchangeFileReader(path: path, file: ExchangeFormat.householdsFile, stage: .writing, progress: progress),
                                     layout: { try reader.householdLayout(header: $0) }, { cells, layout in
            guard !refused.contains(cells.line) else { return }
            if screen == nil { screen = ExchangeRowScreen(households: layout, questionnaire: questionnaire) }
            let rowScreen = screen!
            // Most rows: from their bytes to the rows to write (see `individuals`).
            if let passed = rowScreen.pass(cells), rowScreen.answers(cells, into: &answers) {
                guard !plan.registryHouseholds.contains(fingerprint: RefIndex.fingerprint(bytes: passed.ref)),
                      let areaID = plan.areaIDs[String(decoding: passed.parent, as: UTF8.self)] else { return }
                var date: CalendarDate?
                switch registeredOn.map({ answers[$0] }) {
                case .text(let bytes)?: date = CalendarDate(isoUTF8: bytes)
                case .answer(.date(let day))?: date = day
                default: break
                }
                add(ref: String(decoding: passed.ref, as: UTF8.self), areaID: areaID, line: cells.line, registered: date,
                    answers: { $0.append(answers) }, extra: .null)
                return
            }
            guard case .success(let row) = reader.household(cells.record(), layout: layout),
                  !plan.registryHouseholds.contains(row.ref), let areaID = plan.areaIDs[row.areaCode] else { return }
            var date: CalendarDate?
            if let registeredOn, case .date(let day)? = row.answers[registeredOn] { date = day }
            add(ref: row.ref, areaID: areaID, line: row.line, registered: date,
                answers: { rows in for answer in row.answers { rows.append(answer) } }, extra: extraJSON(row.extras))
        }, afterPiece: { pipeline in
            while !filled.isEmpty { try await submit(filled.removeFirst(), to: &pipeline) }
        })
        if chunk.count > 0 {
            var last = emptyChunk()
            swap(&last, &chunk)
            try await submit(last, to: &pipeline)
        }
        return (try await pipeline.finish().added, directory)
    }

    /// Writes a chunk of numbered households on `lane`, and commits once the chunk `before`
    /// it has: should that one fail, this one is rolled back, and a killed run leaves only
    /// the first chunks of the file, as a run on one lane does.
    private func write(_ chunk: HouseholdChunk, on lane: DirectConnection, after before: Task<WritePipeline.Outcome, any Error>?,
                       counter: Int64) async throws -> WritePipeline.Outcome {
        var chunk = chunk
        let added = chunk.count
        return try await lane.inTransaction {
            try await lane.write(&chunk.households)
            if chunk.snapshot != nil { try await lane.write(&chunk.snapshot!) }
            try await lane.write(&chunk.history.rows)
            _ = try await before?.value
            try await lane.setHouseholdCounter(counter)
            return WritePipeline.Outcome(added: added, refused: 0)
        }
    }

    // MARK: Individuals

    /// A chunk of people ready to write, but for their memberships, which need the ids of
    /// their households, looked up when the chunk is written.
    struct PersonChunk: Sendable {
        struct Person: Sendable {
            var id: RecordID
            var membershipID: RecordID
            var ref: String
            var householdRef: String
            var relationship: String
            var line: Int
            /// Where the person's pieces of a member's record lie among the chunk's `facts`.
            var facts: Range<Int>
        }
        var individuals: BulkRows
        var people: [Person] = []
        /// The people's answers as pieces of the snapshot's members, when the import writes it.
        var facts: [UInt8] = []
        /// Memberships and history made while reading, when every household of the chunk is
        /// one the import added; otherwise made when the chunk is written.
        var attached: Attached?
    }

    /// A chunk's memberships, their rows of the households' snapshot when the import writes
    /// it, history entries, and the people whose household was not found.
    struct Attached: Sendable {
        var memberships: BulkRows
        var snapshot: BulkRows?
        var history: HistoryRows
        var missing: Set<Int>
    }

    /// Returns the people added, and those refused only now (see `RefIndex`). `lanes` are
    /// connections that write chunks beside `connection`.
    func individuals(path: String, added directory: AddedHouseholds = AddedHouseholds(),
                     lanes: [DirectConnection] = []) async throws -> (added: Int, refused: Int) {
        let fields = questionnaire.individualFields
        let columns = ["id", "source_ref"] + fields.map(\.name) + ["name_key", "extra", "created_at", "updated_at"]
        let nameFields = ["given_names", "first_surname", "second_surname"].compactMap { name in fields.firstIndex { $0.name == name } }
        // The columns of the snapshot's pieces, after the id and the ref.
        let factColumns = snapshots.map { snapshots in snapshots.memberFields.compactMap { field in fields.firstIndex(of: field).map { $0 + 2 } } }
        func emptyChunk() -> PersonChunk {
            PersonChunk(individuals: BulkRows(table: "individuals", columns: columns, reservingRows: options.chunkLines))
        }
        var chunk = emptyChunk()
        var refused = plan.refusedPersons
        var ids = RecordIdentifiers()
        let writers = [connection] + lanes
        var pipeline = WritePipeline(lanes: writers.count)

        var screen: ExchangeRowScreen?
        var answers: [ExchangeRowScreen.StoredAnswer] = []
        var relationshipColumn: Int?
        /// Chunks filled while a piece of the file was read, submitted once it is.
        var filled: [PersonChunk] = []
        func add(ref: String, householdRef: String, relationship: String, line: Int,
                 nameKey: (_ key: inout [UInt8], _ keyStart: Int) -> Void, answers: (inout BulkRows) -> Void, extra: BulkValue) {
            let id = ids.next()
            chunk.individuals.appendID(id)
            chunk.individuals.appendText(ref)
            answers(&chunk.individuals)
            chunk.individuals.appendText { nameKey(&$0, $0.count) }
            chunk.individuals.append(extra)
            chunk.individuals.appendText(now)
            chunk.individuals.appendText(now)
            chunk.individuals.endRow()
            let start = chunk.facts.count
            if let factColumns {
                chunk.individuals.appendPieces(ofLastRow: factColumns, separator: HouseholdSnapshots.unitSeparator, to: &chunk.facts)
            }
            chunk.people.append(.init(id: id, membershipID: ids.next(), ref: ref, householdRef: householdRef,
                                      relationship: relationship, line: line, facts: start..<chunk.facts.count))
            if chunk.people.count >= options.chunkLines {
                var full = chunk
                chunk = emptyChunk()
                full.attached = attachWhileReading(full, directory)
                filled.append(full)
            }
        }
        try await pipeline.feedCells(ExchangeFileReader(path: path, file: ExchangeFormat.individualsFile, stage: .writing, progress: progress),
                                     layout: { try reader.individualLayout(header: $0) }, { cells, layout in
            guard !refused.contains(cells.line) else { return }
            if screen == nil {
                screen = ExchangeRowScreen(individuals: layout, questionnaire: questionnaire)
                relationshipColumn = layout.index(of: "relationship")
            }
            let rowScreen = screen!
            // Most rows: from their bytes to the rows to write, with text made only for refs and names.
            if let passed = rowScreen.pass(cells), rowScreen.answers(cells, into: &answers) {
                guard !plan.registryPersons.contains(fingerprint: RefIndex.fingerprint(bytes: passed.ref)) else { return }
                let nameKey = { (key: inout [UInt8], keyStart: Int) in
                    for slot in nameFields {
                        switch answers[slot] {
                        case .text(let bytes): SearchText.appendNameKey(of: bytes, to: &key, keyStart: keyStart)
                        case .answer(.text(var text)): text.withUTF8 { SearchText.appendNameKey(of: $0, to: &key, keyStart: keyStart) }
                        default: break
                        }
                    }
                }
                // The screen passes only a relationship that is one of the format's own.
                let relationship = relationshipColumn.map { String(decoding: cells[$0], as: UTF8.self) } ?? Relationship.otherRelative.rawValue
                add(ref: String(decoding: passed.ref, as: UTF8.self), householdRef: String(decoding: passed.parent, as: UTF8.self),
                    relationship: relationship, line: cells.line, nameKey: nameKey, answers: { $0.append(answers) }, extra: .null)
                return
            }
            guard case .success(let row) = reader.individual(cells.record(), layout: layout),
                  !plan.registryPersons.contains(row.ref) else { return }
            let nameKey = { (key: inout [UInt8], keyStart: Int) in
                for slot in nameFields {
                    guard case .text(var text)? = row.answers[slot] else { continue }
                    text.withUTF8 { SearchText.appendNameKey(of: $0, to: &key, keyStart: keyStart) }
                }
            }
            add(ref: row.ref, householdRef: row.householdRef, relationship: row.relationship.rawValue, line: row.line, nameKey: nameKey,
                answers: { rows in for answer in row.answers { rows.append(answer) } }, extra: extraJSON(row.extras))
        }, afterPiece: { pipeline in
            for ready in filled {
                try await pipeline.submit { lane in try await write(ready, on: writers[lane]) }
            }
            filled.removeAll()
        })
        if !chunk.people.isEmpty {
            var last = chunk
            last.attached = attachWhileReading(last, directory)
            let ready = last
            try await pipeline.submit { lane in try await write(ready, on: writers[lane]) }
        }
        let outcome = try await pipeline.finish()
        return (outcome.added, outcome.refused)
    }

    /// Attaches the chunk's people on the reading side, so that writing it is only writing:
    /// nil when a household is not one the import added, and must be found in the database.
    private func attachWhileReading(_ chunk: PersonChunk, _ directory: AddedHouseholds) -> Attached? {
        guard directory.count > 0 else { return nil }
        var found: [String: HouseholdPlace] = [:]
        for person in chunk.people where found[person.householdRef] == nil {
            guard let household = directory.find(person.householdRef) else { return nil }
            found[person.householdRef] = household
        }
        return attach(chunk, to: found)
    }

    /// The memberships and history entries of the chunk's people, each in the household
    /// `found` gives, and when the import writes the snapshot, a row of it for each
    /// household's members in the chunk.
    private func attach(_ chunk: PersonChunk, to found: [String: HouseholdPlace]) -> Attached {
        let people = chunk.people
        var memberships = BulkRows(table: "memberships", columns: [
            "id", "household_id", "individual_id", "relationship", "start_date", "end_date", "created_at",
        ], reservingRows: people.count)
        // A row for each run of people of the same household, as files mostly list them: a
        // household whose people come apart has several, which runs read as one.
        var snapshot = snapshots.map { _ in
            BulkRows(table: "member_snapshots", columns: ["household_id", "first_id", "facts"], reservingRows: people.count)
        }
        var previous: RecordID?
        var history = HistoryRows(actor: options.actor, at: now, reservingRows: people.count)
        var missing = Set<Int>()
        let withAnswers = snapshots.map { !$0.memberFields.isEmpty } ?? false
        // A person's membership starts on the day the household was registered, where known.
        let today = CalendarDate(iso: String(now.prefix(10)))!
        // People come household by household, so each household is looked up and its start
        // written out once for all of its people in a row.
        var lastRef: String?
        var household: HouseholdPlace?
        var start: [UInt8] = []
        chunk.facts.withUnsafeBufferPointer { facts in
            for (index, person) in people.enumerated() {
                if person.householdRef != lastRef {
                    lastRef = person.householdRef
                    household = found[person.householdRef]
                    start.removeAll(keepingCapacity: true)
                    if let household { BulkRows.appendISO(household.registeredOn ?? today, to: &start) }
                }
                guard let household else {
                    missing.insert(index)
                    continue
                }
                memberships.appendID(person.membershipID)
                memberships.appendID(household.id)
                memberships.appendID(person.id)
                memberships.appendText(person.relationship)
                start.withUnsafeBufferPointer { memberships.appendText($0) }
                memberships.appendNull()
                memberships.appendText(now)
                memberships.endRow()
                if snapshot != nil {
                    // The record `HouseholdSnapshots.rebuildSQL` makes of this membership: start, no end, relationship, answers.
                    func record(_ bytes: inout [UInt8]) {
                        bytes.append(contentsOf: start)
                        bytes.append(HouseholdSnapshots.unitSeparator)
                        bytes.append(HouseholdSnapshots.unitSeparator)
                        bytes.append(contentsOf: person.relationship.utf8)
                        if withAnswers {
                            bytes.append(HouseholdSnapshots.unitSeparator)
                            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: facts[person.facts]))
                        }
                    }
                    if previous == household.id {
                        snapshot!.extendLastText { bytes in
                            bytes.append(HouseholdSnapshots.recordSeparator)
                            record(&bytes)
                        }
                    } else {
                        snapshot!.appendID(household.id)
                        snapshot!.appendID(person.membershipID)
                        snapshot!.appendText(building: record)
                        snapshot!.endRow()
                        previous = household.id
                    }
                }
                history.created("individual", id: person.id, household: household.id, ref: person.ref,
                                file: ExchangeFormat.individualsFile, line: person.line)
            }
        }
        return Attached(memberships: memberships, snapshot: snapshot, history: history, missing: missing)
    }

    private func write(_ chunk: PersonChunk, on connection: DirectConnection) async throws -> WritePipeline.Outcome {
        var chunk = chunk
        var attached: Attached
        if let done = chunk.attached {
            attached = done
        } else {
            let found = try await connection.households(refs: Array(Set(chunk.people.map(\.householdRef))))
            attached = attach(chunk, to: found)
        }
        // The check pass compared fingerprints; a household that is not found by its text
        // here refuses its person now rather than attach them anywhere.
        if !attached.missing.isEmpty {
            chunk.individuals.remove(rows: attached.missing)
            for index in attached.missing.sorted() {
                let person = chunk.people[index]
                problems(RowProblem(file: ExchangeFormat.individualsFile, line: person.line, column: "household_ref",
                                    value: person.householdRef,
                                    message: .householdUnknown))
            }
        }
        let added = attached.memberships.rows
        try await connection.inTransaction {
            try await connection.write(&chunk.individuals)
            try await connection.write(&attached.memberships)
            if attached.snapshot != nil { try await connection.write(&attached.snapshot!) }
            try await connection.write(&attached.history.rows)
        }
        return WritePipeline.Outcome(added: added, refused: attached.missing.count)
    }

    private func extraJSON(_ extras: [(name: String, value: String)]) -> BulkValue {
        guard !extras.isEmpty else { return .null }
        var object: [String: String] = [:]
        for extra in extras { object[extra.name] = extra.value }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else { return .null }
        return .text(String(decoding: data, as: UTF8.self))
    }
}

/// The change history's entries for records an import creates: one per record.
struct HistoryRows: Sendable {
    let actor: String
    let at: String
    var rows: BulkRows

    init(actor: String, at: String, reservingRows capacity: Int = 4_096) {
        self.actor = actor
        self.at = at
        rows = BulkRows(table: "change_history", columns: [
            "entity", "entity_id", "household_id", "field", "old_value", "new_value", "actor", "channel", "occurred_at", "reason",
        ], reservingRows: capacity, bytesPerRow: 224)  // two ids (52 bytes each), a time, a file and line
    }

    mutating func created(_ entity: String, id: String, household: String?, ref: String, file: String, line: Int) {
        rows.appendText(entity)
        rows.appendText(id)
        rows.appendText(orNull: household)
        created(ref: ref, file: file, line: line)
    }

    mutating func created(_ entity: String, id: RecordID, household: RecordID?, ref: String, file: String, line: Int) {
        rows.appendText(entity)
        rows.appendID(id)
        if let household { rows.appendID(household) } else { rows.appendNull() }
        created(ref: ref, file: file, line: line)
    }

    /// The rest of an entry for a record created, after whose it is.
    private mutating func created(ref: String, file: String, line: Int) {
        rows.appendText("record")
        rows.appendNull()
        rows.appendText(ref)
        rows.appendText(actor)
        rows.appendText("bulk_import")
        rows.appendText(at)
        rows.appendText { bytes in
            bytes.append(contentsOf: file.utf8)
            bytes.append(contentsOf: " line ".utf8)
            BulkRows.withDecimal(Int64(line)) { bytes.append(contentsOf: $0) }
        }
        rows.endRow()
    }
}

/// Keeps chunks being written while the next is read. With one lane a chunk is handed
/// over only once the one before it has landed, so chunks land in file order and one at a
/// time; with more, chunks go to the lanes in turn and up to one a lane is written at once.
struct WritePipeline {
    struct Outcome: Sendable {
        var added: Int
        var refused: Int
    }

    let lanes: Int
    /// The chunks being written, oldest first; the oldest is on the lane the next one takes.
    private var inFlight: [Task<Outcome, any Error>] = []
    private var submitted = 0
    private var total = Outcome(added: 0, refused: 0)

    init(lanes: Int = 1) {
        self.lanes = max(1, lanes)
    }

    /// The chunk handed over last, while it may still be writing.
    var newest: Task<Outcome, any Error>? { inFlight.last }

    /// Waits for the lane's chunk before, then starts writing this one on that lane. Should the
    /// chunk before have failed, the other writes under way end before the error is thrown.
    mutating func submit(_ write: @escaping @Sendable (_ lane: Int) async throws -> Outcome) async throws {
        if inFlight.count == lanes { try await leavingNoWriteBehind { try await $0.drainOldest() } }
        let lane = submitted % lanes
        submitted += 1
        inFlight.append(Task { try await write(lane) })
    }

    /// Reads a file's records as cells through `body`, and after each piece of the file
    /// calls `afterPiece`, which may submit; whatever goes wrong, no write is left running.
    mutating func feedCells(
        _ reader: ExchangeFileReader, layout: ([String]) throws -> ColumnLayout,
        _ body: (CSVParser.Cells, ColumnLayout) throws -> Void,
        afterPiece: (inout WritePipeline) async throws -> Void
    ) async throws {
        try await leavingNoWriteBehind { pipeline in
            try await reader.readCells(layout: layout, body) { _ in try await afterPiece(&pipeline) }
        }
    }

    /// Runs `work`; if it fails, waits for the writes under way before throwing.
    private mutating func leavingNoWriteBehind(_ work: (inout WritePipeline) async throws -> Void) async throws {
        do {
            try await work(&self)
        } catch {
            let running = inFlight
            inFlight = []
            for task in running { _ = try? await task.value }
            throw error
        }
    }

    /// Waits for the last chunks; returns what all of them did. If one failed, the others
    /// still land or fail before the error is thrown.
    mutating func finish() async throws -> Outcome {
        var failure: (any Error)?
        while !inFlight.isEmpty {
            do {
                try await drainOldest()
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return total
    }

    private mutating func drainOldest() async throws {
        guard !inFlight.isEmpty else { return }
        let outcome = try await inFlight.removeFirst().value
        total.added += outcome.added
        total.refused += outcome.refused
    }
}

extension BulkRows {
    /// Answers read from a row's bytes (see `ExchangeRowScreen.answers`), in their columns.
    mutating func append(_ answers: [ExchangeRowScreen.StoredAnswer]) {
        for answer in answers {
            switch answer {
            case .missing: appendNull()
            case .text(let bytes): appendText(bytes)
            case .integer(let value): appendInteger(value)
            case .answer(let answer): append(answer)
            }
        }
    }
}

import Foundation
import AmparoDomain

/// Each household's facts for targeting, kept on PostgreSQL packed in text: a row a
/// household in `household_snapshots` (its area's path; its area's id and answers), and
/// its members in `member_snapshots`, a row for members that came together, each member
/// a record of the membership's start, end and relationship and its person's answers.
///
/// A run that joins every membership to its person, row by row, spends most of its time in
/// that join and in handing the driver a row a person. Read from the snapshot, a page of
/// households is one range of each table, about a row a household in each. The snapshot
/// holds every answer that can be a fact and every membership, whatever its dates, so that
/// any policy at any reference date reads it.
///
/// It is current through an entry of the change history: every record an import adds is
/// entered there with its household, and nothing else writes households, people or
/// memberships. An import that finds the snapshot current writes the rows of what it
/// adds, in the transactions that add it, and leaves the snapshot current through its own
/// last entry, so that the run after it reads the snapshot as it stands. Otherwise, before
/// a run, a few changed households are rebuilt at once; after many, a whole-registry run
/// rebuilds each page as it reads it and, when it ends, marks the snapshot current through
/// the entry it started from.
struct HouseholdSnapshots: Sendable {
    /// The household answers a snapshot holds, in order after the area's id.
    let householdFields: [Questionnaire.Field]
    /// The person answers a member's record holds, in order after a membership's start,
    /// end and relationship.
    let memberFields: [Questionnaire.Field]

    /// Above this many change-history entries since the snapshot was current, it is rebuilt
    /// whole, page by page, rather than the changed households first.
    static let changesRebuiltFirst = 50_000

    static let unitSeparator: UInt8 = 0x1F
    static let recordSeparator: UInt8 = 0x1E

    init(questionnaire: Questionnaire) {
        householdFields = questionnaire.householdFields.filter(Self.canBeFact)
        memberFields = questionnaire.individualFields.filter(Self.canBeFact)
    }

    /// Free text, telephones and e-mail addresses are never facts; every other answer may be.
    static func canBeFact(_ field: Questionnaire.Field) -> Bool {
        switch field.kind {
        case .text, .phone, .email: false
        default: true
        }
    }

    /// Whether a run reads the snapshot as it stands, or rebuilds each page as it reads it.
    enum Freshness: Sendable, Equatable {
        case current
        /// When `markThrough` is given, the snapshot is empty, and a run that reads every
        /// page, rebuilding it, marks it current through that entry of the change history.
        /// Without, the run reads the registry's tables.
        case stale(markThrough: Int64?)
    }

    /// Calls `body` with each piece of `bytes` between two separators, and its position.
    static func forEachPiece(of bytes: UnsafeRawBufferPointer, separator: UInt8, _ body: (Int, UnsafeRawBufferPointer) -> Void) {
        var piece = 0, start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == separator {
            body(piece, UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            piece += 1
            start = index + 1
        }
    }

    // MARK: SQL

    /// Rebuilds the rows of the households whose ids `condition` picks, given the column it
    /// is written over: every household's own row, and one row of all its members in place
    /// of those there were.
    func rebuildSQL(where condition: (_ idColumn: String) -> String) -> [String] {
        let household = Self.joined(["h.area_id"] + householdFields.map { "h.\($0.name)" })
        let member = Self.joined(["m.start_date", "m.end_date", "m.relationship"] + memberFields.map { "i.\($0.name)" })
        return [
            "DELETE FROM member_snapshots WHERE \(condition("household_id"))",
            """
            INSERT INTO household_snapshots (household_id, area_path, facts)
            SELECT h.id, a.path, \(household) FROM households h JOIN areas a ON a.id = h.area_id WHERE \(condition("h.id"))
            ON CONFLICT (household_id) DO UPDATE SET area_path = EXCLUDED.area_path, facts = EXCLUDED.facts
            """,
            """
            INSERT INTO member_snapshots (household_id, first_id, facts)
            SELECT m.household_id, m.household_id, string_agg(\(member), E'\\x1E')
              FROM memberships m JOIN individuals i ON i.id = m.individual_id
             WHERE \(condition("m.household_id")) GROUP BY m.household_id
            ON CONFLICT (household_id, first_id) DO UPDATE SET facts = EXCLUDED.facts
            """,
        ]
    }

    /// `concat` of the columns with a unit separator between each two, nested because a
    /// function takes at most 100 arguments.
    private static func joined(_ columns: [String]) -> String {
        let pieces = columns.enumerated().flatMap { index, column in index == 0 ? [column] : ["E'\\x1F'", column] }
        var groups: [String] = []
        var start = 0
        while start < pieces.count {
            let end = min(start + 90, pieces.count)
            groups.append("concat(" + pieces[start..<end].joined(separator: ", ") + ")")
            start = end
        }
        return groups.count == 1 ? groups[0] : "concat(" + groups.joined(separator: ", ") + ")"
    }

    // MARK: Keeping it current

    /// Brings the snapshot up to date before a run, or says it is not. `wholeRegistry`: the
    /// run reads every household from the first, so that its rebuilding covers them all.
    ///
    /// It looks at the change history only while no import runs (holding the import lock
    /// for that moment): entries are numbered as they are written, not as they commit, so
    /// with an import under way an entry below the last one seen could still be to come.
    ///
    /// It runs apart from the caller's cancellation: the driver, cancelled between taking the
    /// lock and giving it back, left it held by a connection that went back to the pool, and
    /// every import after was refused as busy.
    func prepare(on connection: DirectConnection, wholeRegistry: Bool) async throws -> Freshness {
        try await Task {
            guard try await connection.firstText("SELECT CAST(pg_try_advisory_lock(\(ImportLock.advisoryKey)) AS TEXT)") == "true" else {
                return .stale(markThrough: nil)
            }
            do {
                let freshness = try await refresh(on: connection, wholeRegistry: wholeRegistry)
                try await connection.execute(["SELECT pg_advisory_unlock(\(ImportLock.advisoryKey))"])
                return freshness
            } catch {
                try? await connection.execute(["SELECT pg_advisory_unlock(\(ImportLock.advisoryKey))"])
                throw error
            }
        }.value
    }

    /// For an import, which holds the import lock: brings the snapshot up to date if few
    /// households changed since it was, and says whether it is then current, for the import
    /// to keep it so; when it is not, the import leaves it alone.
    func catchUp(holdingImportLock connection: DirectConnection) async throws -> Bool {
        try await refresh(on: connection, wholeRegistry: false) == .current
    }

    /// The last entry of the change history, 0 when there is none.
    func latestEntry(on connection: DirectConnection) async throws -> Int64 {
        Int64(try await connection.firstText("SELECT CAST(COALESCE(MAX(id), 0) AS TEXT) FROM change_history") ?? "") ?? 0
    }

    private func refresh(on connection: DirectConnection, wholeRegistry: Bool) async throws -> Freshness {
        let latest = try await latestEntry(on: connection)
        let through = try await connection.firstText("SELECT CAST(current_through AS TEXT) FROM household_snapshot_state WHERE id = 1")
            .flatMap { Int64($0) }
        if through == latest { return .current }
        // Nothing ever entered: no household exists, and neither may a row of the snapshot.
        if latest == 0 {
            try await connection.inTransaction {
                try await connection.execute(["DELETE FROM member_snapshots", "DELETE FROM household_snapshots", Self.markSQL(0)])
            }
            return .current
        }
        if let through {
            let changes = Int(try await connection.firstText("""
                SELECT CAST(COUNT(*) AS TEXT) FROM (SELECT 1 FROM change_history WHERE id > \(through) LIMIT \(Self.changesRebuiltFirst + 1)) c
                """) ?? "") ?? Int.max
            if changes <= Self.changesRebuiltFirst {
                let changed = "SELECT household_id FROM change_history WHERE id > \(through) AND id <= \(latest) AND household_id IS NOT NULL"
                try await connection.inTransaction {
                    try await connection.execute(rebuildSQL(where: { "\($0) IN (\(changed))" }) + [Self.markSQL(latest)])
                }
                return .current
            }
        }
        // Until a run has rebuilt it all, nothing may take the snapshot as current. A run that
        // will rebuild it all starts from empty tables: writing a million rows over the old
        // ones took twice as long as writing them afresh, and left the old ones dead behind.
        try await connection.execute([Self.markSQL(nil)] + (wholeRegistry ? ["TRUNCATE household_snapshots, member_snapshots"] : []))
        return .stale(markThrough: wholeRegistry ? latest : nil)
    }

    /// Marks the snapshot current through change-history entry `latest`, once a run has
    /// rebuilt every household's rows since that entry was the last, or an import has
    /// written the rows of all it added since.
    func markCurrent(through latest: Int64, on connection: DirectConnection) async throws {
        try await connection.execute([Self.markSQL(latest)])
    }

    /// Sets how far the snapshot is current, the state's row written afresh after a crash emptied it.
    private static func markSQL(_ through: Int64?) -> String {
        """
        INSERT INTO household_snapshot_state (id, current_through) VALUES (1, \(through.map(String.init) ?? "NULL"))
        ON CONFLICT (id) DO UPDATE SET current_through = EXCLUDED.current_through
        """
    }
}

extension DirectConnection {
    /// The first column of the first row, as text; nil when there is no row or it is NULL.
    func firstText(_ sql: String, binds: [String] = []) async throws -> String? {
        try await firstRow(sql, binds: binds)?.first ?? nil
    }

    /// The first row, each column as text; nil when there is no row.
    func firstRow(_ sql: String, binds: [String] = []) async throws -> [String?]? {
        let found = Collected<[String?]?>(nil)
        try await eachRow(sql, binds: binds) { row in found.update { $0 = $0 ?? row } }
        return found.value
    }
}

/// Turns snapshot rows into a page's facts, for one policy's layout at one reference date:
/// the pieces the layout names become facts where they lie, the others are passed over,
/// and only memberships that hold at the reference date make members.
///
/// A class, so that the readers of rows that capture it copy one reference, not its tables.
final class SnapshotRows: Sendable {
    private let decoder: FactDecoder
    /// For each household piece after the area's id, the layout's slot it fills, or -1.
    /// Flat arrays of integers: an array of arrays retained and released its inner array
    /// at every piece of every row.
    private let householdSlots: [Int]
    /// For each person piece after a membership's own three, the layout's member slot it
    /// fills, or -1.
    private let memberSlots: [Int]
    /// The person piece the layout's age is read from: the birth date's.
    private let agePiece: Int?
    private let ageSlot: Int?
    private let zonePiece: Int?
    private let sexPiece: Int?
    private let ethnicityPiece: Int?
    private let referenceDate: [UInt8]
    private let head = Array(Relationship.head.rawValue.utf8)

    init(snapshots: HouseholdSnapshots, layout: FactLayout, referenceDate: CalendarDate) {
        decoder = FactDecoder(layout: layout, referenceDate: referenceDate)
        householdSlots = snapshots.householdFields.map { field in layout.householdFields.firstIndex(of: field) ?? -1 }
        memberSlots = snapshots.memberFields.map { field in layout.memberFields.firstIndex(of: field) ?? -1 }
        ageSlot = layout.memberFields.firstIndex(of: FactLayout.age)
        agePiece = snapshots.memberFields.firstIndex { $0.name == "birth_date" }
        zonePiece = snapshots.householdFields.firstIndex { $0.name == "zone" }
        sexPiece = snapshots.memberFields.firstIndex { $0.name == "sex" }
        ethnicityPiece = snapshots.memberFields.firstIndex { $0.name == "ethnicity" }
        self.referenceDate = Array(referenceDate.description.utf8)
    }

    /// Adds the household of a row of `household_snapshots` to the page, its answers as facts
    /// in the layout's slots.
    func addHousehold(id: String, areaPath: String, facts bytes: UnsafeRawBufferPointer, to facts: inout FactPage) -> HouseholdPages.Household {
        facts.appendHousehold(areaPath: areaPath)
        var household = HouseholdPages.Household(id: id, areaID: "")
        HouseholdSnapshots.forEachPiece(of: bytes, separator: HouseholdSnapshots.unitSeparator) { piece, value in
            if piece == 0 {
                household.areaID = String(decoding: value, as: UTF8.self)
                return
            }
            let field = piece - 1
            guard field < householdSlots.count, !value.isEmpty else { return }
            if field == zonePiece { household.zone = String(decoding: value, as: UTF8.self) }
            let slot = householdSlots[field]
            if slot >= 0 { facts.setAnswer(slot, decoder.household(slot, .text(value))) }
        }
        return household
    }

    /// Adds the members of a row of `member_snapshots` who are members at the reference date
    /// to the household last added to `facts`.
    func addMembers(_ bytes: UnsafeRawBufferPointer, to household: inout HouseholdPages.Household, in facts: inout FactPage) {
        HouseholdSnapshots.forEachPiece(of: bytes, separator: HouseholdSnapshots.recordSeparator) { _, record in
            addMember(record, to: &household, in: &facts)
        }
    }

    private func addMember(_ bytes: UnsafeRawBufferPointer, to household: inout HouseholdPages.Household, in facts: inout FactPage) {
        var piece = 0, start = 0
        var isHead = false
        var index = 0
        while index <= bytes.count {
            guard index == bytes.count || bytes[index] == HouseholdSnapshots.unitSeparator else {
                index += 1
                continue
            }
            let value = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
            switch piece {
            case 0:
                guard !value.isEmpty && compare(value, referenceDate) <= 0 else { return }
            case 1:
                guard value.isEmpty || compare(value, referenceDate) > 0 else { return }
                facts.appendMember()
            case 2:
                isHead = value.elementsEqual(head)
            default:
                let field = piece - 3
                guard field < memberSlots.count, !value.isEmpty else { break }
                if isHead && field == sexPiece { household.headSex = String(decoding: value, as: UTF8.self) }
                if isHead && field == ethnicityPiece { household.headEthnicity = String(decoding: value, as: UTF8.self) }
                let slot = memberSlots[field]
                if slot >= 0 { facts.setMemberAnswer(slot, decoder.member(slot, .text(value))) }
                if field == agePiece, let age = ageSlot { facts.setMemberAnswer(age, decoder.member(age, .text(value))) }
            }
            piece += 1
            start = index + 1
            index += 1
        }
    }

    /// How two ISO dates sort, byte by byte: negative, zero or positive.
    private func compare(_ bytes: UnsafeRawBufferPointer, _ other: [UInt8]) -> Int {
        other.withUnsafeBytes { other in
            let shared = min(bytes.count, other.count)
            let order = shared == 0 ? 0 : Int(memcmp(bytes.baseAddress!, other.baseAddress!, shared))
            return order != 0 ? order : bytes.count - other.count
        }
    }
}

/// Brings the households' snapshot up to date now, rather than in the next targeting run:
/// every minute in `amparo serve`, and by `amparo target snapshot`, so that the runs
/// analysts start read it current when an import could not keep it so (it was not current
/// when the import began, or the import was stopped). Rebuilds every household's rows, a
/// page at a time on two connections, when more has changed than a run would catch up
/// before it starts.
public struct HouseholdSnapshotRefresh: Sendable {
    public let database: RegistryDatabase
    let questionnaire: Questionnaire
    public var pageSize = 10_000
    public var progress: @Sendable (_ done: Int64, _ total: Int64) -> Void = { _, _ in }

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    public enum Outcome: Sendable, Equatable {
        /// SQLite keeps no snapshot: runs read its tables.
        case notKept
        /// Current already, or after catching up a few changed households.
        case current
        case rebuilt(households: Int64)
        /// An import holds the registry: the snapshot is left for later.
        case importRunning
    }

    public func run() async throws -> Outcome {
        guard database.dialect == .postgres else { return .notKept }
        let snapshots = HouseholdSnapshots(questionnaire: questionnaire)
        let pageSize = pageSize, progress = progress
        // The rebuilding goes on reading connections, which the run's plan settings apply to:
        // planned and compiled (JIT) as the server would by default, a page took three times as long.
        return try await database.withDirectConnections(readers: 3, readerSettings: HouseholdPages.postgresSettings) { readers, connection in
            let through: Int64
            switch try await snapshots.prepare(on: readers[0], wholeRegistry: true) {
            case .current: return .current
            case .stale(nil): return .importRunning
            case .stale(let latest?): through = latest
            }
            let pages = HouseholdPages(dialect: .postgres, layout: FactLayout(), referenceDate: CalendarDate(year: 2000, month: 1, day: 1)!,
                                       areaPath: nil, pageSize: pageSize, snapshot: .init(snapshots: snapshots, rebuilding: true))
            let total = try await pages.count(on: readers[0])
            let lanes = Array(readers.dropFirst())
            var pipeline = WritePipeline(lanes: lanes.count)
            var cursor: String?
            var done: Int64 = 0
            do {
                while let range = try await pages.range(after: cursor, on: readers[0]) {
                    // Stopped, it leaves the snapshot marked not current, to be rebuilt again.
                    try Task.checkCancellation()
                    cursor = range.lastID
                    let count = range.range?.count ?? 0
                    try await pipeline.submit { lane in
                        try await pages.rebuild(range, with: snapshots, on: lanes[lane])
                        return WritePipeline.Outcome(added: count, refused: 0)
                    }
                    done += Int64(count)
                    progress(done, total)
                }
                _ = try await pipeline.finish()
            } catch {
                _ = try? await pipeline.finish()
                throw error
            }
            try await snapshots.markCurrent(through: through, on: connection)
            return .rebuilt(households: done)
        }
    }
}

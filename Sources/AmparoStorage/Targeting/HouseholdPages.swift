import Foundation
import AmparoDomain

/// Reads households with the members present at a reference date, a page at a time in id
/// order, straight into a `FactPage` in the integers a policy engine's layout asks for.
///
/// From the registry's tables (what SQLite runs read): two queries a page, households then
/// their members, both in household order, so the members fall in place behind their
/// household as they arrive. Cells become facts without a `String` or an `Answer` made for
/// each (see `FactDecoder`). The two queries take a connection each, so that a run can read
/// the members of one page while it finds the households of the next on another connection.
///
/// From the households' snapshot (what PostgreSQL runs read, see `HouseholdSnapshots`): the
/// first query finds the page's range of ids, and on another connection a second reads (or
/// rebuilds, then reads) the households' rows in that range, each with its members' rows.
struct HouseholdPages: Sendable {
    let dialect: RegistryDatabase.Dialect
    let layout: FactLayout
    let referenceDate: CalendarDate
    /// Only households in this area and below, when given.
    let areaPath: String?
    let pageSize: Int
    /// Where to read from on PostgreSQL: the households' snapshot (see `HouseholdSnapshots`),
    /// as it stands or rebuilt page by page; nil reads the registry's tables.
    var snapshot: SnapshotRead?

    struct SnapshotRead: Sendable {
        var snapshots: HouseholdSnapshots
        var rebuilding: Bool
    }

    /// One household of a page, with what a run stores beside its result.
    struct Household: Sendable {
        var id: String
        var areaID: String
        var zone: String?
        var headSex: String?
        var headEthnicity: String?
    }

    /// A page of households: their facts, and beside them what a run stores.
    struct Page: Sendable {
        var facts: FactPage
        var households: [Household] = []
    }

    /// How PostgreSQL should plan a run's reads. A page's members are a few tens of thousands
    /// of rows, best found person by person through the primary key; but where its estimate
    /// of a page ran high, the planner hashed the page's memberships and scanned every
    /// individual instead: a second and a half, for about one page in ten (1,000,000
    /// households), against a tenth of a second. And compiling each query (JIT) cost more
    /// than it saved on pages this small.
    static let postgresSettings = ["enable_hashjoin": "off", "enable_mergejoin": "off", "jit": "off"]

    private var householdFields: [Questionnaire.Field] { layout.householdFields }

    /// The person columns to read: a birth date where the layout wants an age.
    private var memberFields: [Questionnaire.Field] {
        layout.memberFields.map { $0 == FactLayout.age ? Questionnaire.Field("birth_date", .date) : $0 }
    }

    private var areaFilter: String {
        guard let areaPath else { return "" }
        return " AND a.path LIKE '\(areaPath.replacingOccurrences(of: "'", with: "''"))%'"
    }

    /// An id as text and compared as the database's id type, in either dialect.
    private func id(_ column: String) -> String {
        dialect == .postgres ? "CAST(\(column) AS TEXT)" : column
    }

    private func bound(_ placeholder: String) -> String {
        dialect == .postgres ? "CAST(\(placeholder) AS UUID)" : placeholder
    }

    /// A column of answers, money as text so that neither driver rounds it through a float.
    private func answer(_ alias: String, _ field: Questionnaire.Field) -> String {
        field.kind == .money ? "CAST(\(alias).\(field.name) AS TEXT)" : "\(alias).\(field.name)"
    }

    func count(on connection: DirectConnection) async throws -> Int64 {
        let filter = areaFilter
        let counted = try await connection.read(into: Int64(0), [DirectQuery(
            sql: "SELECT COUNT(*) FROM households h JOIN areas a ON a.id = h.area_id WHERE 1 = 1" + filter, binds: [],
            row: { total, cells in total = cells.next { cell in if case .integer(let n) = cell { n } else { 0 } } })])
        return counted
    }

    /// The households of the page after `cursor` (from the start when nil), without their
    /// members yet; nil after the last.
    func households(after cursor: String?, on connection: DirectConnection) async throws -> PageAssembly? {
        if snapshot != nil { return try await range(after: cursor, on: connection) }
        let decoder = FactDecoder(layout: layout, referenceDate: referenceDate)
        var householdSQL = "SELECT \(id("h.id")), \(id("h.area_id")), a.path, h.zone"
        for field in householdFields { householdSQL += ", " + answer("h", field) }
        householdSQL += " FROM households h JOIN areas a ON a.id = h.area_id WHERE 1 = 1" + areaFilter
        if cursor != nil { householdSQL += " AND h.id > \(bound("$1"))" }
        householdSQL += " ORDER BY h.id LIMIT \(pageSize)"
        let stride = householdFields.count
        let gathered = try await connection.read(into: PageAssembly(facts: FactPage(layout: layout)), [DirectQuery(
            sql: householdSQL, binds: cursor.map { [$0] } ?? [],
            row: { assembly, cells in
                let household = Household(id: cells.text() ?? "", areaID: cells.text() ?? "")
                assembly.households.append(household)
                assembly.areaPaths.append(cells.text() ?? "")
                assembly.households[assembly.households.count - 1].zone = cells.text()
                cells.appendHouseholdFacts(decoder, count: stride, to: &assembly.answers)
            })])
        return gathered.households.isEmpty ? nil : gathered
    }

    /// The page of `households`, with their members.
    func page(of households: PageAssembly, on connection: DirectConnection) async throws -> Page {
        if let snapshot { return try await page(of: households, from: snapshot, on: connection) }
        guard let low = households.households.first?.id, let high = households.households.last?.id else {
            return Page(facts: households.facts, households: [])
        }
        let decoder = FactDecoder(layout: layout, referenceDate: referenceDate)
        var memberSQL = "SELECT \(id("m.household_id")), m.relationship, i.sex, i.ethnicity, "
            + memberFields.map { answer("i", $0) }.joined(separator: ", ")
        memberSQL += """
             FROM memberships m JOIN individuals i ON i.id = m.individual_id
            WHERE m.household_id >= \(bound("$1")) AND m.household_id <= \(bound("$2"))
              AND m.start_date <= $3 AND (m.end_date IS NULL OR m.end_date > $3)
            ORDER BY m.household_id
            """
        let stride = householdFields.count
        let memberStride = memberFields.count
        let head = Relationship.head.rawValue
        var gathered = try await connection.read(into: households, [DirectQuery(
            sql: memberSQL, binds: [low, high, referenceDate.description],
            row: { assembly, cells in
                guard let target = try assembly.household(of: &cells) else { return }
                assembly.fill(through: target, stride: stride)
                assembly.facts.appendMember()
                if cells.nextEquals(head) {
                    assembly.households[target].headSex = cells.text()
                    assembly.households[target].headEthnicity = cells.text()
                } else {
                    cells.next { _ in }
                    cells.next { _ in }
                }
                cells.setMemberFacts(decoder, count: memberStride, in: &assembly.facts)
            })])
        gathered.fill(through: gathered.households.count - 1, stride: stride)
        return Page(facts: gathered.facts, households: gathered.households)
    }

    // MARK: From the snapshot

    /// The page after `cursor` as a range of ids, with how many households it holds, without
    /// reading them.
    func range(after cursor: String?, on connection: DirectConnection) async throws -> PageAssembly? {
        let join = areaPath == nil ? "" : " JOIN areas a ON a.id = h.area_id"
        // The last row of the page, with the page's count beside it (PostgreSQL 15 has no MAX of a UUID).
        var sql = "SELECT CAST(COUNT(*) OVER () AS TEXT), CAST(id AS TEXT) FROM (SELECT h.id FROM households h\(join) WHERE 1 = 1" + areaFilter
        if cursor != nil { sql += " AND h.id > \(bound("$1"))" }
        sql += " ORDER BY h.id LIMIT \(pageSize)) page ORDER BY id DESC LIMIT 1"
        guard let row = try await connection.firstRow(sql, binds: cursor.map { [$0] } ?? []),
              let through = row[1] ?? nil, let count = (row[0] ?? nil).flatMap({ Int($0) }) else { return nil }
        var assembly = PageAssembly(facts: FactPage(layout: layout))
        assembly.range = (after: cursor, through: through, count: count)
        return assembly
    }

    /// The range's condition on an id column, over `binds(of:)`.
    private func condition(of range: (after: String?, through: String, count: Int), on column: String) -> String {
        "\(column) <= \(bound("$1"))" + (range.after == nil ? "" : " AND \(column) > \(bound("$2"))")
    }

    /// What `condition(of:on:)` binds: the last id of the range, and the one before its first.
    private func binds(of range: (after: String?, through: String, count: Int)) -> [String] {
        [range.through] + (range.after.map { [$0] } ?? [])
    }

    /// Rebuilds the snapshot rows of the range `households` holds, in one transaction,
    /// without reading them back.
    func rebuild(_ households: PageAssembly, with snapshots: HouseholdSnapshots, on connection: DirectConnection) async throws {
        guard let range = households.range else { return }
        let binds = binds(of: range)
        let statements = snapshots.rebuildSQL(where: { condition(of: range, on: $0) })
        try await connection.inTransaction {
            _ = try await connection.read(into: 0, statements.map { DirectQuery(sql: $0, binds: binds, row: { _, _ in }) })
        }
    }

    /// The page of the range `households` holds, read from the snapshot, or rebuilt into it first.
    ///
    /// One row a household and a row of its members, both tables' ranges read in key order
    /// and merged: two queries, one a table, cost the server as much and the driver twice the
    /// rows. The run's connections forbid merge joins, which a join of memberships to people
    /// must not use; this read allows them for its own transaction.
    private func page(of households: PageAssembly, from snapshot: SnapshotRead, on connection: DirectConnection) async throws -> Page {
        guard let range = households.range else { return Page(facts: households.facts, households: []) }
        if snapshot.rebuilding { try await rebuild(households, with: snapshot.snapshots, on: connection) }
        let binds = binds(of: range)
        func inRange(_ column: String) -> String { condition(of: range, on: column) }
        let filter = areaPath.map { " AND s.area_path LIKE '\($0.replacingOccurrences(of: "'", with: "''"))%'" } ?? ""
        let rows = SnapshotRows(snapshots: snapshot.snapshots, layout: layout, referenceDate: referenceDate)
        let sql = """
            SELECT CAST(s.household_id AS TEXT), s.area_path, s.facts, m.facts FROM household_snapshots s
              LEFT JOIN member_snapshots m ON m.household_id = s.household_id AND \(inRange("m.household_id"))
             WHERE \(inRange("s.household_id"))\(filter) ORDER BY s.household_id
            """
        let gathered = try await connection.inTransaction {
            try await connection.execute(["SET LOCAL enable_mergejoin = on"])
            return try await connection.read(into: households, [DirectQuery(sql: sql, binds: binds, row: { assembly, cells in
                let id = cells.text() ?? ""
                // A household with more than one row of members comes once for each.
                if id != assembly.households.last?.id {
                    let areaPath = cells.text() ?? ""
                    let household = cells.next { cell -> Household in
                        guard case .text(let bytes) = cell else { return Household(id: id, areaID: "") }
                        return rows.addHousehold(id: id, areaPath: areaPath, facts: bytes, to: &assembly.facts)
                    }
                    assembly.households.append(household)
                } else {
                    cells.next { _ in }
                    cells.next { _ in }
                }
                cells.next { cell in
                    guard case .text(let bytes) = cell else { return }
                    rows.addMembers(bytes, to: &assembly.households[assembly.households.count - 1], in: &assembly.facts)
                }
            })])
        }
        // A household the snapshot lacks, though it said it was current (a row written
        // around the change history): this page is rebuilt, and read again.
        if !snapshot.rebuilding && gathered.households.count != range.count {
            var rebuilding = self
            rebuilding.snapshot?.rebuilding = true
            return try await rebuilding.page(of: households, on: connection)
        }
        return Page(facts: gathered.facts, households: gathered.households)
    }
}

/// A page as its rows arrive: the households first, then their members, household by
/// household in the same order.
struct PageAssembly: Sendable {
    var facts: FactPage
    var households: [HouseholdPages.Household] = []
    var areaPaths: [String] = []
    /// The households' answers as facts, row after row, until they go into `facts`.
    var answers: [Int64] = []
    /// The household members are being added to; those before it are in `facts`.
    var current = -1

    /// Read from a snapshot: the page's ids, after one and through another, and how many
    /// households lie between.
    var range: (after: String?, through: String, count: Int)?

    /// The id of the page's last household, where the next page starts.
    var lastID: String? { range?.through ?? households.last?.id }

    /// The page's household a member row belongs to, nil when it is not in the page (it is
    /// in the id range but outside the area); reads the row's first cell. Members come in
    /// household order, as the households do, so the search goes forward from the current
    /// household and stops at the first id past the member's.
    fileprivate mutating func household(of cells: inout DirectCells) throws -> Int? {
        try cells.next { cell -> Int? in
            guard case .text(let bytes) = cell else { return nil }
            var index = max(current, 0)
            while index < households.count {
                let order = Self.order(bytes, households[index].id)
                if order == 0 { return index }
                if order < 0 {
                    // Before the household whose members came last: the rows are out of order.
                    if index == current { throw StorageError.inconsistent("members arrived out of household order") }
                    return nil
                }
                index += 1
            }
            return nil
        }
    }

    /// How a cell's text sorts against an id's, byte by byte as both databases order ids:
    /// negative before, zero the same, positive after. In one call: this runs for every member.
    private static func order(_ bytes: UnsafeRawBufferPointer, _ text: String) -> Int {
        var text = text
        return text.withUTF8 { utf8 in
            let shared = min(utf8.count, bytes.count)
            let order = shared == 0 ? 0 : Int(memcmp(bytes.baseAddress!, utf8.baseAddress!, shared))
            return order != 0 ? order : bytes.count - utf8.count
        }
    }

    /// Adds to `facts` every household up to `target`, whose members come next.
    fileprivate mutating func fill(through target: Int, stride: Int) {
        while current < target {
            current += 1
            facts.appendHousehold(areaPath: areaPaths[current])
            for slot in 0..<stride { facts.setAnswer(slot, answers[current * stride + slot]) }
        }
    }
}

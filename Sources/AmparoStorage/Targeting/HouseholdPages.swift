import Foundation
import SQLKit
import AmparoDomain

/// Reads households with the members present at a reference date, a page at a time in id
/// order, already turned into the integers a policy engine's layout asks for.
struct HouseholdPages: Sendable {
    let database: RegistryDatabase
    let layout: FactLayout
    let referenceDate: CalendarDate
    /// Only households in this area and below, when given.
    let areaPath: String?
    let pageSize: Int

    /// One household of a page, with what a run stores beside its result.
    struct Household: Sendable {
        var id: UUID
        var areaID: UUID
        var areaPath: String
        var zone: String?
        var headSex: String?
        var headEthnicity: String?
        var answers: [Int64]
        var members: [Int64] = []
        var memberCount = 0
    }

    struct Page: Sendable {
        var households: [Household]
        let layout: FactLayout

        func load(_ household: Household, into facts: inout HouseholdFacts) {
            facts.reset(memberCount: household.memberCount)
            facts.areaPath = household.areaPath
            for slot in household.answers.indices { facts.household[slot] = household.answers[slot] }
            for index in household.members.indices { facts.members[index] = household.members[index] }
        }
    }

    private var householdFields: [Questionnaire.Field] { layout.householdFields }

    /// The person columns to read: a birth date where the layout wants an age.
    private var memberFields: [Questionnaire.Field] {
        layout.memberFields.map { $0 == FactLayout.age ? Questionnaire.Field("birth_date", .date) : $0 }
    }

    private var areaFilter: String {
        guard let areaPath else { return "" }
        return " AND a.path LIKE '\(areaPath.replacingOccurrences(of: "'", with: "''"))%'"
    }

    func count() async throws -> Int64 {
        let filter = areaFilter
        return try await database.read { db in
            try await db.raw(SQLQueryString("SELECT COUNT(*) AS n FROM households h JOIN areas a ON a.id = h.area_id WHERE 1 = 1" + filter))
                .first()!.decode(column: "n", as: Int64.self)
        }
    }

    /// The page of households after `cursor` (from the start when nil); nil after the last.
    func page(after cursor: UUID?) async throws -> Page? {
        let householdColumns = AnswerColumns(fields: householdFields, alias: "h")
        let memberColumns = AnswerColumns(fields: memberFields, alias: "i")
        let filter = areaFilter
        let limit = pageSize
        let rows = try await database.read { db in
            var query = SQLQueryString("SELECT h.id, h.area_id, a.path AS area_path, h.zone AS household_zone")
            if !householdColumns.fields.isEmpty { query += SQLQueryString(", " + householdColumns.selectList) }
            query += SQLQueryString(" FROM households h JOIN areas a ON a.id = h.area_id WHERE 1 = 1" + filter)
            if let cursor { query += " AND h.id > \(bind: cursor)" }
            query += " ORDER BY h.id LIMIT \(unsafeRaw: String(limit))"
            return try await db.raw(query).all()
        }
        guard let first = rows.first, let last = rows.last else { return nil }
        let low = try first.decode(column: "id", as: UUID.self)
        let high = try last.decode(column: "id", as: UUID.self)
        var households: [Household] = []
        households.reserveCapacity(rows.count)
        var position: [UUID: Int] = [:]
        for row in rows {
            let sheet = try householdColumns.sheet(from: row)
            let household = Household(
                id: try row.decode(column: "id", as: UUID.self), areaID: try row.decode(column: "area_id", as: UUID.self),
                areaPath: try row.decode(column: "area_path", as: String.self),
                zone: try row.decode(column: "household_zone", as: String?.self),
                answers: zip(sheet.values, householdFields).map { layout.fact($0, of: $1, referenceDate: referenceDate) })
            position[household.id] = households.count
            households.append(household)
        }
        let date = referenceDate.description
        let memberRows = try await database.read { db in
            var query = SQLQueryString("""
                SELECT m.household_id, m.relationship AS member_relationship, i.sex AS member_sex,
                       i.ethnicity AS member_ethnicity, \(unsafeRaw: memberColumns.selectList)
                FROM memberships m JOIN individuals i ON i.id = m.individual_id
                JOIN households h ON h.id = m.household_id JOIN areas a ON a.id = h.area_id
                WHERE m.household_id >= \(bind: low) AND m.household_id <= \(bind: high)
                  AND m.start_date <= \(bind: date) AND (m.end_date IS NULL OR m.end_date > \(bind: date))
                """)
            query += SQLQueryString(filter)
            return try await db.raw(query).all()
        }
        let fields = layout.memberFields
        for row in memberRows {
            guard let index = position[try row.decode(column: "household_id", as: UUID.self)] else { continue }
            let sheet = try memberColumns.sheet(from: row)
            for (answer, field) in zip(sheet.values, fields) {
                households[index].members.append(layout.fact(answer, of: field, referenceDate: referenceDate))
            }
            households[index].memberCount += 1
            if try row.decode(column: "member_relationship", as: String.self) == Relationship.head.rawValue {
                households[index].headSex = try row.decode(column: "member_sex", as: String?.self)
                households[index].headEthnicity = try row.decode(column: "member_ethnicity", as: String?.self)
            }
        }
        return Page(households: households, layout: layout)
    }
}

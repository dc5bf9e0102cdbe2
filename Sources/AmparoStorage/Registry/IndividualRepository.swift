import Foundation
import SQLKit
import AmparoDomain

/// Reads people: one by id, the members of a household, and searches by ID document or name.
public struct IndividualRepository: Sendable {
    public let database: RegistryDatabase
    let questionnaire: Questionnaire

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    private var answers: AnswerColumns { AnswerColumns(fields: questionnaire.individualFields, alias: "i") }

    private var selectIndividual: String {
        "SELECT i.id, i.source_ref, i.extra, i.created_at, i.updated_at, \(answers.selectList) FROM individuals i"
    }

    /// One person with the households they belong or belonged to, or nil.
    public func find(id: UUID) async throws -> Individual? {
        let select = selectIndividual
        let answers = self.answers
        let found = try await database.read { db -> (any SQLRow, [any SQLRow])? in
            guard let row = try await db.raw(SQLQueryString(select) + " WHERE i.id = \(bind: id)").first() else { return nil }
            let memberships = try await db.raw("""
                SELECT m.household_id, h.registry_sequence, m.relationship, m.start_date, m.end_date
                FROM memberships m JOIN households h ON h.id = m.household_id
                WHERE m.individual_id = \(bind: id) ORDER BY m.start_date, m.created_at
                """).all()
            return (row, memberships)
        }
        guard let (row, membershipRows) = found else { return nil }
        var individual = try Self.individual(from: row, answers: answers)
        individual.memberships = try membershipRows.map { row in
            MembershipSummary(
                householdID: try row.decode(column: "household_id", as: UUID.self),
                registryNumber: RegistryNumber(sequence: try row.decode(column: "registry_sequence", as: Int64.self)).description,
                relationship: try row.decode(column: "relationship", as: String.self),
                startDate: try row.decode(column: "start_date", as: String.self),
                endDate: try row.decode(column: "end_date", as: String?.self))
        }
        return individual
    }

    /// The area paths a person is within: those of the households they belong to now or,
    /// when they belong to none, of those they belonged to. Empty for a person never in one.
    public func areaPaths(of id: UUID) async throws -> [String] {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT a.path, m.end_date FROM memberships m
                JOIN households h ON h.id = m.household_id JOIN areas a ON a.id = h.area_id
                WHERE m.individual_id = \(bind: id)
                """).all()
        }
        let found = try rows.map { (path: try $0.decode(column: "path", as: String.self),
                                    ended: try $0.decode(column: "end_date", as: String?.self) != nil) }
        let current = found.filter { !$0.ended }
        return (current.isEmpty ? found : current).map(\.path)
    }

    /// Keeps, of a search, the people within the areas at `scopes` (paths), by the rule of
    /// `areaPaths(of:)`; nil keeps everyone.
    private func within(_ scopes: [String]?) -> SQLQueryString {
        guard let scopes else { return "" }
        let filter: SQLQueryString = """
             AND EXISTS (SELECT 1 FROM memberships m
                JOIN households h ON h.id = m.household_id JOIN areas a ON a.id = h.area_id
                WHERE m.individual_id = i.id
                  AND (m.end_date IS NULL OR NOT EXISTS (
                       SELECT 1 FROM memberships c WHERE c.individual_id = i.id AND c.end_date IS NULL))
            """
        return filter + AreaScope.filter(scopes, column: "a.path") + ")"
    }

    /// The present members of a household, the head first, then by age.
    public func members(of householdID: UUID) async throws -> [Member] {
        let rows = try await database.read { [self] db in try await memberRows(of: householdID, on: db) }
        return try members(from: rows)
    }

    /// The rows of a household's present members, with their memberships, in one query on `db`.
    func memberRows(of householdID: UUID, on db: any SQLDatabase) async throws -> [any SQLRow] {
        try await db.raw(SQLQueryString(selectMember) + """
             JOIN memberships m ON m.individual_id = i.id
            WHERE m.household_id = \(bind: householdID) AND m.end_date IS NULL
            ORDER BY CASE m.relationship WHEN 'head' THEN 0 WHEN 'spouse' THEN 1 ELSE 2 END, i.birth_date, i.source_ref
            """).all()
    }

    func members(from rows: [any SQLRow]) throws -> [Member] {
        let answers = self.answers
        return try rows.map { row in
            Member(relationship: try row.decode(column: "member_relationship", as: String.self),
                   startDate: try row.decode(column: "member_start_date", as: String.self),
                   endDate: try row.decode(column: "member_end_date", as: String?.self),
                   individual: try Self.individual(from: row, answers: answers))
        }
    }

    /// A person's columns and, under names of their own, the membership's.
    private var selectMember: String {
        "SELECT i.id, i.source_ref, i.extra, i.created_at, i.updated_at, m.relationship AS member_relationship, "
            + "m.start_date AS member_start_date, m.end_date AS member_end_date, \(answers.selectList) FROM individuals i"
    }

    /// People holding an ID document number, of a given type or of any, within the areas at
    /// `scopes` (nil: everywhere).
    public func search(document number: String, type: String?, within scopes: [String]? = nil, limit: Int) async throws -> [Individual] {
        let select = selectIndividual
        let answers = self.answers
        let filter = within(scopes)
        let rows = try await database.read { db in
            var query = SQLQueryString(select) + " WHERE i.id_number = \(bind: number)"
            if let type { query += " AND i.id_type = \(bind: type)" }
            query += filter
            query += " ORDER BY i.source_ref LIMIT \(unsafeRaw: String(limit))"
            return try await db.raw(query).all()
        }
        return try rows.map { try Self.individual(from: $0, answers: answers) }
    }

    /// People whose names hold every word of `name` at the start of a word, ignoring case and accents:
    /// "munoz jo" finds "José Muñoz" and "Joana Muñoz Silva".
    public func search(name: String, within scopes: [String]? = nil, limit: Int) async throws -> [Individual] {
        let words = SearchText.nameKey(name).split(separator: " ")
            .map { String($0.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }) }
            .filter { !$0.isEmpty }
        guard !words.isEmpty else { return [] }
        let select = selectIndividual
        let answers = self.answers
        let filter = within(scopes)
        let rows = try await database.read { db in
            var query = SQLQueryString(select) + " WHERE 1 = 1"
            for word in words.prefix(6) {
                query += " AND (' ' || i.name_key) LIKE \(bind: "% " + word + "%")"
            }
            query += filter
            query += " ORDER BY i.name_key, i.source_ref LIMIT \(unsafeRaw: String(limit))"
            return try await db.raw(query).all()
        }
        return try rows.map { try Self.individual(from: $0, answers: answers) }
    }

    static func individual(from row: any SQLRow, answers: AnswerColumns) throws -> Individual {
        Individual(
            id: try row.decode(column: "id", as: UUID.self),
            sourceRef: try row.decode(column: "source_ref", as: String.self),
            answers: try answers.sheet(from: row),
            extra: try AnswerColumns.extra(from: row),
            createdAt: try row.decode(column: "created_at", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: String.self))
    }
}

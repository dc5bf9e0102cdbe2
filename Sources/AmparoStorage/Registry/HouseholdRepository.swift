import Foundation
import SQLKit
import AmparoDomain

/// Reads households, with their members and their history, on either database.
public struct HouseholdRepository: Sendable {
    public let database: RegistryDatabase
    let questionnaire: Questionnaire

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    /// A page of households, in registry-number order.
    public struct Page: Sendable {
        public var households: [Household]
        /// Pass back as `after` for the next page; nil on the last page.
        public var nextCursor: Int64?
    }

    private var answers: AnswerColumns { AnswerColumns(fields: questionnaire.householdFields, alias: "h") }

    private var selectHousehold: String {
        """
        SELECT h.id, h.registry_sequence, h.source_ref, h.extra, h.created_at, h.updated_at,
               a.code AS area_code, a.name AS area_name, a.level AS area_level, \(answers.selectList)
        FROM households h JOIN areas a ON a.id = h.area_id
        """
    }

    /// Households within any of the areas at `scopes` (paths) and every area below them (all
    /// when `scopes` is nil), after a cursor.
    public func list(within scopes: [String]?, after cursor: Int64?, limit: Int) async throws -> Page {
        let select = selectHousehold
        let answers = self.answers
        let rows = try await database.read { db in
            var query = SQLQueryString(select)
            query += " WHERE h.registry_sequence > \(bind: cursor ?? 0)"
            if let scopes {
                // A prefix compared as text, not LIKE: area codes may hold `_`, which LIKE reads as a wildcard.
                var filter = SQLQueryString("1 = 0")
                for scope in scopes {
                    filter += " OR substr(path, 1, \(unsafeRaw: String(scope.unicodeScalars.count))) = \(bind: scope)"
                }
                query += " AND h.area_id IN (SELECT id FROM areas WHERE \(filter))"
            }
            query += " ORDER BY h.registry_sequence LIMIT \(unsafeRaw: String(limit + 1))"
            return try await db.raw(query).all()
        }
        let households = try rows.prefix(limit).map { try Self.household(from: $0, answers: answers) }
        let next: Int64? = rows.count > limit ? try rows[limit - 1].decode(column: "registry_sequence", as: Int64.self) : nil
        return Page(households: households, nextCursor: next)
    }

    /// One household with its present members, or nil.
    public func find(id: UUID) async throws -> Household? {
        let select = selectHousehold
        let answers = self.answers
        guard let row = try await database.read({ db in
            try await db.raw(SQLQueryString(select) + " WHERE h.id = \(bind: id)").first()
        }) else { return nil }
        var household = try Self.household(from: row, answers: answers)
        household.members = try await IndividualRepository(database: database, questionnaire: questionnaire)
            .members(of: id)
        return household
    }

    /// The household a registry number names, or nil.
    public func find(registryNumber: RegistryNumber) async throws -> Household? {
        let row = try await database.read { db in
            try await db.raw("SELECT id FROM households WHERE registry_sequence = \(bind: registryNumber.sequence)").first()
        }
        guard let id = try row?.decode(column: "id", as: UUID.self) else { return nil }
        return try await find(id: id)
    }

    static func household(from row: any SQLRow, answers: AnswerColumns) throws -> Household {
        Household(
            id: try row.decode(column: "id", as: UUID.self),
            registryNumber: RegistryNumber(sequence: try row.decode(column: "registry_sequence", as: Int64.self)).description,
            sourceRef: try row.decode(column: "source_ref", as: String.self),
            area: AreaSummary(code: try row.decode(column: "area_code", as: String.self),
                              name: try row.decode(column: "area_name", as: String.self),
                              level: try row.decode(column: "area_level", as: String.self)),
            answers: try answers.sheet(from: row),
            extra: try AnswerColumns.extra(from: row),
            createdAt: try row.decode(column: "created_at", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: String.self))
    }
}

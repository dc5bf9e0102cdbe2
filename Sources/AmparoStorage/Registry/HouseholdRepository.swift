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
               a.code AS area_code, a.name AS area_name, a.level AS area_level, a.path AS area_path, \(answers.selectList)
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
            query += AreaScope.filter(scopes, column: "a.path")
            query += " ORDER BY h.registry_sequence LIMIT \(unsafeRaw: String(limit + 1))"
            return try await db.raw(query).all()
        }
        let households = try rows.prefix(limit).map { try Self.household(from: $0, answers: answers) }
        let next: Int64? = rows.count > limit ? try rows[limit - 1].decode(column: "registry_sequence", as: Int64.self) : nil
        return Page(households: households, nextCursor: next)
    }

    /// One household with its present members, or nil.
    public func find(id: UUID) async throws -> Household? {
        if case .found(let household, _) = try await find(.id(id), within: nil) { return household }
        return nil
    }

    /// What looking a household up within some areas found.
    public enum Lookup: Sendable {
        /// The household, with its members and its area's path.
        case found(Household, areaPath: String)
        /// A household that exists outside the areas asked: for the audit trail, not for the asker.
        case outOfScope(id: UUID, areaPath: String)
        case missing
    }

    /// The household `key` names (its id or registry number), with its members, if it lies
    /// within the areas at `scopes` (nil: anywhere). The area condition is in the query, so a
    /// household out of scope is never read; only then is its existence looked up, for the
    /// audit trail's record of the refusal. One connection, two queries for a household found.
    public func find(_ key: HouseholdKey, within scopes: [String]?) async throws -> Lookup {
        let select = selectHousehold, answers = self.answers
        let people = IndividualRepository(database: database, questionnaire: questionnaire)
        let condition: SQLQueryString = switch key {
        case .id(let id): "h.id = \(bind: id)"
        case .registryNumber(let number): "h.registry_sequence = \(bind: number.sequence)"
        }
        let filter = AreaScope.filter(scopes, column: "a.path")
        let found = try await database.read { db -> (any SQLRow, [any SQLRow])? in
            guard let row = try await db.raw(SQLQueryString(select) + " WHERE " + condition + filter).first() else { return nil }
            return (row, try await people.memberRows(of: try row.decode(column: "id", as: UUID.self), on: db))
        }
        if let (row, memberRows) = found {
            var household = try Self.household(from: row, answers: answers)
            household.members = try people.members(from: memberRows)
            return .found(household, areaPath: try row.decode(column: "area_path", as: String.self))
        }
        guard scopes != nil, let elsewhere = try await database.read({ db in
            try await db.raw("SELECT h.id, a.path FROM households h JOIN areas a ON a.id = h.area_id WHERE " + condition).first()
        }) else { return .missing }
        return .outOfScope(id: try elsewhere.decode(column: "id", as: UUID.self), areaPath: try elsewhere.decode(column: "path", as: String.self))
    }

    /// How a household is named: by its id, or by the number people quote.
    public enum HouseholdKey: Sendable {
        case id(UUID)
        case registryNumber(RegistryNumber)
    }

    /// The household a registry number names, or nil.
    public func find(registryNumber: RegistryNumber) async throws -> Household? {
        if case .found(let household, _) = try await find(.registryNumber(registryNumber), within: nil) { return household }
        return nil
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

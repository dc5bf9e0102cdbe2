import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage

/// The read side of the registry in API v1: households, people, their history.
struct RegistryAPI: Sendable {
    let households: HouseholdRepository
    let individuals: IndividualRepository
    let areas: AreaRepository
    let history: ChangeHistoryRepository
    let audit: PersonalDataAudit

    init(database: RegistryDatabase, audit: PersonalDataAudit) {
        self.audit = audit
        households = HouseholdRepository(database: database)
        individuals = IndividualRepository(database: database)
        areas = AreaRepository(database: database)
        history = ChangeHistoryRepository(database: database)
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("households", needs: .readPersons, use: listHouseholds)
        group.get("households/:id", needs: .readPersons, use: showHousehold)
        group.get("households/:id/history", needs: .readPersons, use: householdHistory)
        group.get("individuals", needs: .readPersons, use: searchIndividuals)
        group.get("individuals/:id", needs: .readPersons, use: showIndividual)
    }

    struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
        var items: [Item]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey { case items, nextCursor }

        // next_cursor is always there, null on the last page, so clients need not guess.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    @Sendable func listHouseholds(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Page<Household>> {
        let query = APIQuery(request, language: context.language)
        let limit = try query.limit()
        let cursor = try query.cursor()
        var path: String?
        if let code = try query.text("area") {
            guard let area = try await areas.find(code: code) else {
                throw ProblemDetails.badRequest(.unknownArea(code), in: context.language, parameter: "area")
            }
            path = area.path
        }
        if let path { try context.require(.readPersons, in: path, entity: "area", id: nil) }
        // Without an area, the requester's own areas.
        let scopes = path.map { [$0] } ?? context.requester.areas(for: .readPersons)
        let page = try await households.list(within: scopes, after: cursor, limit: limit)
        try await audit.read(page.households.map { PersonalDataRead(.household, $0.id) }, purpose: "household_list",
                             request: request, context: context)
        return JSONResponse(value: Page(items: page.households, nextCursor: page.nextCursor.map(String.init)))
    }

    @Sendable func showHousehold(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Household> {
        let household = try await household(context.parameters.get("id") ?? "", context: context)
        try await audit.read(PersonalDataAudit.household(household), purpose: "household_record", request: request, context: context)
        return JSONResponse(value: household)
    }

    @Sendable func householdHistory(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Page<ChangeEntry>> {
        let query = APIQuery(request, language: context.language)
        let limit = try query.limit()
        let cursor = try query.cursor()
        let household = try await household(context.parameters.get("id") ?? "", context: context)
        let page = try await history.entries(household: household.id, after: cursor, limit: limit)
        try await audit.read([PersonalDataRead(.household, household.id)], purpose: "change_history", request: request, context: context)
        return JSONResponse(value: Page(items: page.entries, nextCursor: page.nextCursor.map(String.init)))
    }

    @Sendable func showIndividual(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Individual> {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text) else {
            throw ProblemDetails.badRequest(.notAPersonID(text), in: context.language, parameter: "id")
        }
        guard let individual = try await individuals.find(id: id) else {
            throw ProblemDetails.notFound(.noPerson(id.uuidString.lowercased()), in: context.language)
        }
        try context.require(.readPersons, inAnyOf: try await individuals.areaPaths(of: id), person: id)
        try await audit.read([PersonalDataRead(.individual, individual.id)], purpose: "person_record", request: request, context: context)
        return JSONResponse(value: individual)
    }

    @Sendable func searchIndividuals(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Page<Individual>> {
        let query = APIQuery(request, language: context.language)
        let limit = try query.limit()
        if let document = try query.text("document") {
            let type = try query.text("document_type")
            let found = try await individuals.search(document: document, type: type, within: try context.searchScopes(.readPersons), limit: limit)
            try await audit.read(found.map { PersonalDataRead(.individual, $0.id) }, purpose: "person_search", request: request, context: context)
            return JSONResponse(value: Page(items: found, nextCursor: nil))
        }
        if let name = try query.text("name") {
            guard SearchText.nameKey(name).count >= 2 else {
                throw ProblemDetails.badRequest(.nameTooShort, in: context.language, parameter: "name")
            }
            let found = try await individuals.search(name: name, within: try context.searchScopes(.readPersons), limit: limit)
            try await audit.read(found.map { PersonalDataRead(.individual, $0.id) }, purpose: "person_search", request: request, context: context)
            return JSONResponse(value: Page(items: found, nextCursor: nil))
        }
        throw ProblemDetails.badRequest(.searchNeedsCriteria, in: context.language, parameter: "document")
    }

    /// The household a path names, if the requester may read persons in its area.
    private func household(_ text: String, context: AmparoRequestContext) async throws -> Household {
        try await households.find(key: text, context: context).household
    }
}

extension HouseholdRepository {
    /// A household named in a path by its id (a UUID) or by its registry number (H-0000-1234-0),
    /// looked for within the areas where the requester may read persons, with its area's path;
    /// or the problem to answer: 400 for a malformed key, 404 for none, and 404 too for one
    /// out of the requester's areas (a refusal the audit trail keeps).
    func find(key text: String, context: AmparoRequestContext) async throws -> (household: Household, areaPath: String) {
        try context.require(.readPersons)
        let key: HouseholdKey
        if let id = UUID(uuidString: text) {
            key = .id(id)
        } else if let number = RegistryNumber(text) {
            key = .registryNumber(number)
        } else {
            throw ProblemDetails.badRequest(.notAHouseholdKey(text), in: context.language, parameter: "id")
        }
        switch try await find(key, within: context.requester.areas(for: .readPersons)) {
        case .found(let household, let areaPath): return (household, areaPath)
        case .outOfScope(let id, let areaPath): throw AccessRefusal.outOfScope(entity: "household", id: id, areaPath: areaPath)
        case .missing: throw ProblemDetails.notFound(.noHousehold(text), in: context.language)
        }
    }
}

/// The query string of a request, read with checks that name the parameter at fault.
struct APIQuery {
    let request: Request
    let language: Language

    init(_ request: Request, language: Language) {
        self.request = request
        self.language = language
    }

    func text(_ name: String) throws -> String? {
        guard let value = request.uri.queryParameters.get(name) else { return nil }
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 200 else { throw ProblemDetails.badRequest(.tooLong(name), in: language, parameter: name) }
        return trimmed
    }

    func limit(default value: Int = 50, max: Int = 500) throws -> Int {
        guard let text = try text("limit") else { return value }
        guard let limit = Int(text), (1...max).contains(limit) else {
            throw ProblemDetails.badRequest(.badLimit(max: max, given: text), in: language, parameter: "limit")
        }
        return limit
    }

    func cursor() throws -> Int64? {
        guard let text = try text("after") else { return nil }
        guard let cursor = Int64(text), cursor >= 0 else {
            throw ProblemDetails.badRequest(.badCursor(text), in: language, parameter: "after")
        }
        return cursor
    }
}

import Foundation
import AmparoDomain

/// The OpenAPI 3.1 description of API v1, served at `/api/v1/openapi.json`.
///
/// Built from the questionnaire, so the schema of the answers cannot drift from what the
/// API returns.
enum OpenAPIDocument {
    static let json: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(document)) ?? Data("{}".utf8), as: UTF8.self)
    }()

    /// The paths the document describes, for tests to hold the router to.
    static let paths = ["/health", "/api/v1/openapi.json", "/api/v1/households", "/api/v1/households/{id}",
                        "/api/v1/households/{id}/history", "/api/v1/individuals", "/api/v1/individuals/{id}",
                        "/api/v1/households/{id}/assessment", "/api/v1/targeting/policies", "/api/v1/targeting/runs",
                        "/api/v1/targeting/runs/{id}", "/api/v1/targeting/runs/{id}/report",
                        "/api/v1/targeting/runs/{id}/compare/{other}", "/api/v1/targeting/runs/{id}/cost", "/api/v1/identity/runs",
                        "/api/v1/identity/runs/{id}/review", "/api/v1/identity/runs/{id}/pairs/{left}/{right}/decision",
                        "/api/v1/identity/merges/{id}", "/api/v1/identity/check"]

    /// The method of each path that is not read with GET.
    static let methods = ["/api/v1/identity/runs/{id}/pairs/{left}/{right}/decision": "post",
                          "/api/v1/identity/merges/{id}": "delete", "/api/v1/identity/check": "post"]

    static var document: JSON {
        .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Amparo API",
                "version": "1.0.0",
                "description": "The social registry of Amparo: households, people, areas and the history of every change.",
                "license": .object(["name": "Apache-2.0", "identifier": "Apache-2.0"]),
            ]),
            "paths": .object([
                "/health": get("Checks that the server and its database answer.", "health", [], ref("Health"),
                               extra: ["503": response("The database does not answer.", ref("Health"))]),
                "/api/v1/openapi.json": get("This document.", "openapi", [], .object(["type": "object"])),
                "/api/v1/households": get(
                    "Lists households in registry-number order, a page at a time.", "listHouseholds",
                    [query("area", "An area code: households of this area and of every area below it."),
                     query("after", "The next_cursor of the previous page."), limit],
                    page(ref("Household"))),
                "/api/v1/households/{id}": get(
                    "One household with its present members, the head first.", "showHousehold",
                    [householdID], ref("Household"), extra: ["404": problem("No such household.")]),
                "/api/v1/households/{id}/history": get(
                    "The change history of a household and its members, oldest first.", "householdHistory",
                    [householdID, query("after", "The next_cursor of the previous page."), limit],
                    page(ref("ChangeEntry")), extra: ["404": problem("No such household.")]),
                "/api/v1/individuals": get(
                    "Searches people by ID document or by name (case and accents ignored; each word matches the start of a name).",
                    "searchIndividuals",
                    [query("document", "An ID document number."), query("document_type", "The type of the document, e.g. cc."),
                     query("name", "Words of the name, e.g. munoz jose."), limit],
                    page(ref("Individual"))),
                "/api/v1/individuals/{id}": get(
                    "One person with the households they belong or belonged to.", "showIndividual",
                    [.object(["name": "id", "in": "path", "required": true, "schema": .object(["type": "string", "format": "uuid"])])],
                    ref("Individual"), extra: ["404": problem("No such person.")]),
                "/api/v1/households/{id}/assessment": get(
                    "The household's result under a policy on its current data, explained: the indicators, the answers "
                        + "behind them, what change would change the result, and sentences in the language asked for.",
                    "assessHousehold",
                    [householdID, query("policy", "The policy, NAME or NAME@VERSION, e.g. colombia-mpi."),
                     query("reference_date", "Ages and members as on this day, YYYY-MM-DD (default today).")],
                    .object(["type": "object"]), extra: ["404": problem("No such household or policy.")]),
                "/api/v1/targeting/policies": get(
                    "The published targeting policies.", "listPolicies", [], .object(["type": "object"])),
                "/api/v1/targeting/runs": get(
                    "The targeting runs, the latest first.", "listRuns", [], .object(["type": "object"])),
                "/api/v1/targeting/runs/{id}": get(
                    "One targeting run.", "showRun", [runID], .object(["type": "object"]),
                    extra: ["404": problem("No such run.")]),
                "/api/v1/targeting/runs/{id}/report": get(
                    "A run's figures for the whole, every area and group: classes, and for an MPI H, A, M0, "
                        + "headcounts and contributions.", "runReport",
                    [runID, query("scope", "Comma-separated: all, area, zone, head_sex, head_ethnicity."),
                     query("weighting", "households or persons.")],
                    .object(["type": "object"]), extra: ["404": problem("No such run.")]),
                "/api/v1/targeting/runs/{id}/compare/{other}": get(
                    "How households moved between classes from one run to another.", "compareRuns",
                    [runID, .object(["name": "other", "in": "path", "required": true, "schema": .object(["type": "integer"])])],
                    .object(["type": "object"]), extra: ["404": problem("No such run.")]),
                "/api/v1/targeting/runs/{id}/cost": get(
                    "What a benefit would cost per payment, for the whole, every area and group, paid to the households "
                        + "the run puts in the classes given.", "runCost",
                    [runID, query("benefit", "The amount, e.g. 150000 or 82.50 (required)."),
                     query("per", "household (default) or person."),
                     query("classes", "Comma-separated class ids; the policy's first class by default.")],
                    .object(["type": "object"]), extra: ["404": problem("No such run.")]),
                "/api/v1/identity/runs": get(
                    "The deduplication runs.", "listDeduplicationRuns", [], .object(["type": "object"])),
                "/api/v1/identity/runs/{id}/review": get(
                    "The clerical review queue of a run: undecided pairs with both records side by side and each "
                        + "field's level of agreement.", "reviewQueue",
                    [runID, query("cursor", "The next_cursor of the previous page."), limit],
                    .object(["type": "object"]), extra: ["404": problem("No such run.")]),
                "/api/v1/identity/runs/{id}/pairs/{left}/{right}/decision": operation(
                    "post", "A reviewer's decision on a pair: same (merges the right record into the left, keeping "
                        + "both), different or skip.", "decidePair",
                    [runID, person("left"), person("right")],
                    body: .object(["type": "object", "required": ["decision"], "properties": .object([
                        "decision": .object(["type": "string", "enum": ["same", "different", "skip"]]),
                    ])]),
                    .object(["type": "object"]),
                    extra: ["404": problem("No such run or pair."), "409": problem("The record is already merged.")]),
                "/api/v1/identity/merges/{id}": operation(
                    "delete", "Undoes a merge; the merge stays in the history.", "undoMerge",
                    [.object(["name": "id", "in": "path", "required": true, "schema": .object(["type": "integer"])])],
                    body: nil, nil, extra: ["404": problem("No merge in force with that number.")]),
                "/api/v1/identity/check": operation(
                    "post", "Before registering a person: who is registered already and may be this person, most "
                        + "likely first, with a message in the language asked for.", "checkRegistration", [],
                    body: .object(["type": "object", "properties": .object(Dictionary(uniqueKeysWithValues:
                        ["given_names", "first_surname", "second_surname", "birth_date", "sex", "id_number"].map {
                            ($0, JSON.object(["type": "string"]))
                        }))]),
                    .object(["type": "object"])),
            ]),
            "components": .object(["schemas": .object(schemas)]),
        ])
    }

    static var limit: JSON {
        .object(["name": "limit", "in": "query", "description": "Items per page, 1 to 500 (default 50).",
                 "schema": .object(["type": "integer", "minimum": 1, "maximum": 500])])
    }

    static var runID: JSON {
        .object(["name": "id", "in": "path", "required": true, "description": "The run's number.",
                 "schema": .object(["type": "integer"])])
    }

    static var householdID: JSON {
        .object(["name": "id", "in": "path", "required": true,
                 "description": "The household's id (a UUID) or its registry number (H-0000-1234-0).",
                 "schema": .object(["type": "string"])])
    }

    static func query(_ name: String, _ description: String) -> JSON {
        .object(["name": .string(name), "in": "query", "description": .string(description), "schema": .object(["type": "string"])])
    }

    static func ref(_ name: String) -> JSON { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    static func response(_ description: String, _ schema: JSON, type: String = "application/json") -> JSON {
        .object(["description": .string(description), "content": .object([type: .object(["schema": schema])])])
    }

    static func problem(_ description: String) -> JSON {
        response(description, ref("Problem"), type: "application/problem+json")
    }

    static func page(_ item: JSON) -> JSON {
        .object(["type": "object", "required": ["items"], "properties": .object([
            "items": .object(["type": "array", "items": item]),
            "next_cursor": .object(["type": ["string", "null"], "description": "Pass as after for the next page; null on the last."]),
        ])])
    }

    static func get(_ summary: String, _ operationID: String, _ parameters: [JSON], _ schema: JSON,
                    extra: [String: JSON] = [:]) -> JSON {
        var responses: [String: JSON] = ["200": response("OK", schema), "400": problem("The request is malformed; detail says what and where.")]
        responses.merge(extra) { $1 }
        return .object(["get": .object([
            "summary": .string(summary), "operationId": .string(operationID),
            "parameters": .array(parameters), "responses": .object(responses),
        ])])
    }

    static func person(_ name: String) -> JSON {
        .object(["name": .string(name), "in": "path", "required": true, "schema": .object(["type": "string", "format": "uuid"])])
    }

    /// An operation that is not a GET: a JSON body in, and JSON out or nothing (204).
    static func operation(_ method: String, _ summary: String, _ operationID: String, _ parameters: [JSON],
                          body: JSON?, _ schema: JSON?, extra: [String: JSON] = [:]) -> JSON {
        var responses: [String: JSON] = ["400": problem("The request is malformed; detail says what and where.")]
        if let schema { responses["200"] = response("OK", schema) } else { responses["204"] = .object(["description": "Done."]) }
        responses.merge(extra) { $1 }
        var operation: [String: JSON] = [
            "summary": .string(summary), "operationId": .string(operationID),
            "parameters": .array(parameters), "responses": .object(responses),
        ]
        if let body {
            operation["requestBody"] = .object(["required": true, "content": .object(["application/json": .object(["schema": body])])])
        }
        return .object([method: .object(operation)])
    }

    static func answers(_ fields: [Questionnaire.Field]) -> JSON {
        var properties: [String: JSON] = [:]
        for field in fields {
            let schema: [String: JSON] = switch field.kind {
            case .code(let codes): ["type": ["string", "null"], "enum": .array(codes.map(JSON.string) + [.null])]
            case .integer(let min, let max): ["type": ["integer", "null"], "minimum": .number(Double(min)), "maximum": .number(Double(max))]
            case .flag: ["type": ["integer", "null"], "enum": [0, 1, .null]]
            case .date: ["type": ["string", "null"], "format": "date"]
            case .money: ["type": ["string", "null"], "pattern": "^[0-9]+\\.[0-9]{2}$", "description": "An amount, exact, as a decimal string."]
            case .latitude, .longitude: ["type": ["number", "null"]]
            case .email: ["type": ["string", "null"], "format": "email"]
            case .text, .phone, .openCode: ["type": ["string", "null"]]
            }
            properties[field.name] = .object(schema)
        }
        return .object(["type": "object", "properties": .object(properties)])
    }

    static var schemas: [String: JSON] {
        let string: JSON = .object(["type": "string"])
        let nullableString: JSON = .object(["type": ["string", "null"]])
        let extra: JSON = .object(["type": "object", "additionalProperties": string,
                                   "description": "Attributes beyond the questionnaire, kept as the source gave them."])
        return [
            "Health": .object(["type": "object", "properties": .object(["status": string, "database": string])]),
            "Problem": .object(["type": "object", "description": "RFC 9457 problem details.", "properties": .object([
                "type": string, "title": string, "status": .object(["type": "integer"]), "detail": string, "parameter": string,
            ])]),
            "Area": .object(["type": "object", "properties": .object(["code": string, "name": string, "level": string])]),
            "HouseholdAnswers": answers(Questionnaire.standard.householdFields),
            "IndividualAnswers": answers(Questionnaire.standard.individualFields),
            "Household": .object(["type": "object", "properties": .object([
                "id": .object(["type": "string", "format": "uuid"]),
                "registry_number": .object(["type": "string", "example": "H-0000-1234-0"]),
                "source_ref": string, "area": ref("Area"), "answers": ref("HouseholdAnswers"), "extra": extra,
                "created_at": string, "updated_at": string,
                "members": .object(["type": "array", "items": ref("Member"), "description": "Only on a single household."]),
            ])]),
            "Member": .object(["type": "object", "properties": .object([
                "relationship": string, "start_date": .object(["type": "string", "format": "date"]), "end_date": nullableString,
                "individual": ref("Individual"),
            ])]),
            "Individual": .object(["type": "object", "properties": .object([
                "id": .object(["type": "string", "format": "uuid"]), "source_ref": string,
                "answers": ref("IndividualAnswers"), "extra": extra, "created_at": string, "updated_at": string,
                "memberships": .object(["type": "array", "items": ref("MembershipSummary")]),
            ])]),
            "MembershipSummary": .object(["type": "object", "properties": .object([
                "household_id": .object(["type": "string", "format": "uuid"]), "registry_number": string,
                "relationship": string, "start_date": string, "end_date": nullableString,
            ])]),
            "ChangeEntry": .object(["type": "object", "properties": .object([
                "id": .object(["type": "integer"]), "entity": string, "entity_id": .object(["type": "string", "format": "uuid"]),
                "field": string, "old_value": nullableString, "new_value": nullableString, "actor": string,
                "channel": string, "occurred_at": string, "reason": nullableString,
            ])]),
        ]
    }
}

/// A JSON value, to build documents without untyped dictionaries.
indirect enum JSON: Encodable, Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
                    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String), number(Double), bool(Bool), null, array([JSON]), object([String: JSON])

    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { try container.encode(Int64(number)) } else { try container.encode(number) }
        case .bool(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        case .array(let items): try container.encode(items)
        case .object(let members): try container.encode(members)
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport
@testable import AmparoWeb

/// Runs `body` against the app over a registry holding the fixtures.
func withApp(_ kind: TestDatabaseKind, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    try await TestDatabase.with(kind) { database in
        try await importFixtures(into: database)
        let app = await buildApplication(configuration: testConfiguration(), database: database)
        try await app.test(.router) { client in try await body(try await bearer(client, database: database)) }
    }
}

/// Imports the fixtures' areas, households and people.
func importFixtures(into database: RegistryDatabase) async throws {
    let folder = try ExchangeFolder()
    defer { folder.delete() }
    try folder.write("areas.csv", Fixtures.areas)
    try folder.write("households.csv", Fixtures.households)
    try folder.write("individuals.csv", Fixtures.individuals)
    _ = try await RegistryImport(database: database).run(directory: folder.path, problems: { _ in })
}

/// The body as a JSON object; empty when it is not one, so the expectations on it fail.
func json(_ buffer: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
}

func items(_ buffer: ByteBuffer) -> [[String: Any]] {
    json(buffer)["items"] as? [[String: Any]] ?? []
}

@Suite("API v1, in process")
struct RegistryAPITests {
    @Test("health checks the database", arguments: TestDatabaseKind.allCases)
    func health(kind: TestDatabaseKind) async throws {
        try await withApp(kind) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(json(response.body)["database"] as? String == kind.rawValue)
            }
        }
    }

    @Test("households are listed by area, subtree included, a page at a time", arguments: TestDatabaseKind.allCases)
    func listByArea(kind: TestDatabaseKind) async throws {
        try await withApp(kind) { client in
            try await client.execute(uri: "/api/v1/households?area=05", method: .get) { response in
                #expect(response.status == .ok)
                #expect(items(response.body).map { $0["source_ref"] as? String } == ["H1", "H2"])
            }
            let cursor = try await client.execute(uri: "/api/v1/households?limit=2", method: .get) { response in
                try #require(json(response.body)["next_cursor"] as? String)
            }
            try await client.execute(uri: "/api/v1/households?limit=2&after=\(cursor)", method: .get) { response in
                #expect(items(response.body).map { $0["source_ref"] as? String } == ["H3"])
                #expect(json(response.body)["next_cursor"] is NSNull)
            }
            try await client.execute(uri: "/api/v1/households?area=XX", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(json(response.body)["parameter"] as? String == "area")
            }
        }
    }

    @Test("one household by id or registry number, with members and history", arguments: TestDatabaseKind.allCases)
    func oneHousehold(kind: TestDatabaseKind) async throws {
        try await withApp(kind) { client in
            let first = try await client.execute(uri: "/api/v1/households?limit=1", method: .get) { items($0.body)[0] }
            let id = try #require(first["id"] as? String)
            let number = try #require(first["registry_number"] as? String)
            for key in [id, number] {
                try await client.execute(uri: "/api/v1/households/\(key)", method: .get) { response in
                    #expect(response.status == .ok)
                    let household = json(response.body)
                    let members = try #require(household["members"] as? [[String: Any]])
                    #expect(members.map { $0["relationship"] as? String } == ["head", "child"])
                    let head = try #require(members[0]["individual"] as? [String: Any])
                    let answers = try #require(head["answers"] as? [String: Any])
                    #expect(answers["first_surname"] as? String == "Muñoz")
                    let household_answers = try #require(household["answers"] as? [String: Any])
                    #expect(household_answers["monthly_income"] as? String == "1250000.50")
                    #expect(household_answers["asset_car"] is NSNull)
                }
            }
            try await client.execute(uri: "/api/v1/households/\(id)/history", method: .get) { response in
                let entries = items(response.body)
                #expect(entries.map { $0["entity"] as? String } == ["household", "individual", "individual"])
                #expect(entries.allSatisfy { $0["channel"] as? String == "bulk_import" && $0["actor"] != nil })
            }
        }
    }

    @Test("people are found by document and by name, accents and case aside", arguments: TestDatabaseKind.allCases)
    func searchPeople(kind: TestDatabaseKind) async throws {
        try await withApp(kind) { client in
            try await client.execute(uri: "/api/v1/individuals?document=45678912", method: .get) { response in
                let found = items(response.body)
                #expect(found.count == 1)
                #expect((found[0]["answers"] as? [String: Any])?["first_surname"] as? String == "Nguyễn")
            }
            let id = try await client.execute(uri: "/api/v1/individuals?name=JOAO%20da%20silva", method: .get) { response in
                let found = items(response.body)
                #expect(found.count == 1)
                return try #require(found[0]["id"] as? String)
            }
            try await client.execute(uri: "/api/v1/individuals/\(id)", method: .get) { response in
                let person = json(response.body)
                let memberships = try #require(person["memberships"] as? [[String: Any]])
                #expect(memberships.map { $0["relationship"] as? String } == ["head"])
            }
            try await client.execute(uri: "/api/v1/individuals?name=gonçalves", method: .get) { response in
                #expect(items(response.body).count == 1)
            }
        }
    }

    @Test("a requester sees only the people of their areas, by id and in searches", arguments: TestDatabaseKind.allCases)
    func peopleWithinTheRequestersAreas(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await importFixtures(into: database)
            let people = IndividualRepository(database: database)
            let inside = try #require(try await people.search(document: "45678912", type: nil, limit: 1).first)  // P3, Antioquia
            let outside = try #require(try await people.search(document: "12345678909", type: nil, limit: 1).first)  // P4, São Gonçalo
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                // A system of the region of Antioquia (code 05).
                let client = try await bearer(client, database: database, name: "antioquia", scopes: [.registryRead], areas: ["05"])
                try await client.execute(uri: "/api/v1/individuals/\(inside.id.uuidString)", method: .get) { response in
                    #expect(response.status == .ok)
                }
                // Out of its areas, a person does not exist for it.
                try await client.execute(uri: "/api/v1/individuals/\(outside.id.uuidString)", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
                try await client.execute(uri: "/api/v1/individuals?document=12345678909", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(items(response.body).isEmpty)
                }
                try await client.execute(uri: "/api/v1/individuals?document=45678912", method: .get) { response in
                    #expect(items(response.body).map { $0["source_ref"] as? String } == ["P3"])
                }
                // "Jo" begins a word of María José's and José Ángel's names (Antioquia) and of João's
                // (São Gonçalo): only the first two are found.
                try await client.execute(uri: "/api/v1/individuals?name=jo", method: .get) { response in
                    #expect(items(response.body).map { $0["source_ref"] as? String } == ["P3", "P1"])
                }
                try await client.execute(uri: "/api/v1/households?area=07", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
            // The whole country's reader finds both.
            try await app.test(.router) { client in
                let client = try await bearer(client, database: database, name: "national", scopes: [.registryRead])
                try await client.execute(uri: "/api/v1/individuals?name=jo", method: .get) { response in
                    #expect(Set(items(response.body).compactMap { $0["source_ref"] as? String }) == ["P1", "P3", "P4"])
                }
                try await client.execute(uri: "/api/v1/individuals/\(outside.id.uuidString)", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Test("malformed requests get 400, unknown ids 404, never a 500", arguments: [TestDatabaseKind.sqlite])
    func errors(kind: TestDatabaseKind) async throws {
        try await withApp(kind) { client in
            let cases: [(String, Int)] = [
                ("/api/v1/households/not-an-id", 400),
                ("/api/v1/households/H-0000-0001-9", 400),
                ("/api/v1/households/\(UUID().uuidString)", 404),
                ("/api/v1/households?limit=0", 400),
                ("/api/v1/households?limit=abc", 400),
                ("/api/v1/households?after=-4", 400),
                ("/api/v1/individuals/\(UUID().uuidString)", 404),
                ("/api/v1/individuals/12", 400),
                ("/api/v1/individuals", 400),
                ("/api/v1/individuals?name=a", 400),
                ("/api/v1/nowhere", 404),
            ]
            for (uri, status) in cases {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status.code == status, "\(uri)")
                    #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
                    let problem = json(response.body)
                    #expect(problem["status"] as? Int == status, "\(uri)")
                    #expect((problem["detail"] as? String)?.isEmpty == false, "\(uri)")
                }
            }
        }
    }

    @Test("the OpenAPI document describes every route", arguments: [TestDatabaseKind.sqlite])
    func openAPI(kind: TestDatabaseKind) async throws {
        try await withApp(kind) { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                let document = json(response.body)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: Any])
                #expect(Set(paths.keys) == Set(OpenAPIDocument.paths))
                let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
                let answers = try #require((schemas["HouseholdAnswers"] as? [String: Any])?["properties"] as? [String: Any])
                #expect(Set(answers.keys) == Set(Questionnaire.standard.householdFields.map(\.name)))
            }
            // Every documented path answers (with a placeholder id where it takes one).
            for path in OpenAPIDocument.paths {
                let uri = path.replacingOccurrences(of: "{id}", with: UUID().uuidString)
                let method = HTTPRequest.Method(OpenAPIDocument.methods[path]?.uppercased() ?? "GET")!
                try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status != .notFound || path.contains("{id}"), "\(path)")
                    #expect(response.status.code < 500, "\(path)")
                }
            }
        }
    }
}

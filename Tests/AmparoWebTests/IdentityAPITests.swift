import Foundation
import Testing
import Hummingbird
import HummingbirdTesting
import NIOCore
import AmparoDomain
import AmparoStorage
import AmparoWeb
import AmparoTestSupport

@Suite("Identity resolution in API v1")
struct IdentityAPITests {
    @Test("the review queue, a decision that merges, undoing it, and the warning before registering",
          arguments: TestDatabaseKind.allCases)
    func reviewAndCheck(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            // Everything from 0.5 up goes to review, so the queue is not empty.
            let run = try await reviewQueue(database)
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let client = try await bearer(client, database: database)
                var first: [String: Any] = [:]
                try await client.execute(uri: "/api/v1/identity/runs/\(run)/review?limit=2", method: .get) { response in
                    #expect(response.status == .ok)
                    let page = json(response.body)
                    let items = page["items"] as? [[String: Any]] ?? []
                    #expect(items.count == 2)
                    #expect(page["next_cursor"] is String)
                    first = items.first ?? [:]
                    let agreement = first["agreement"] as? [String: String] ?? [:]
                    #expect(agreement["surnames"] != nil && agreement["birth_date"] != nil)
                    let left = first["left"] as? [String: Any]
                    #expect((left?["fields"] as? [String: String])?["given_names"] != nil)
                }
                let left = try #require((first["left"] as? [String: Any])?["id"] as? String)
                let right = try #require((first["right"] as? [String: Any])?["id"] as? String)
                let decision = "/api/v1/identity/runs/\(run)/pairs/\(left)/\(right)/decision"
                try await client.execute(uri: decision, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"decision":"maybe"}"#)) { response in
                    #expect(response.status == .badRequest)
                    #expect(json(response.body)["parameter"] as? String == "decision")
                }
                var merge = 0
                try await client.execute(uri: decision, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"decision":"same"}"#)) { response in
                    #expect(response.status == .ok)
                    merge = json(response.body)["merge_id"] as? Int ?? 0
                }
                #expect(merge > 0)
                try await client.execute(uri: decision, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"decision":"same"}"#)) { response in
                    #expect(response.status == .conflict)
                }
                try await client.execute(uri: "/api/v1/identity/runs/\(run)/review?limit=100", method: .get) { response in
                    let items = json(response.body)["items"] as? [[String: Any]] ?? []
                    #expect(!items.contains { ($0["left"] as? [String: Any])?["id"] as? String == left
                        && ($0["right"] as? [String: Any])?["id"] as? String == right })
                }
                try await client.execute(uri: "/api/v1/identity/merges/\(merge)", method: .delete) { response in
                    #expect(response.status == .noContent)
                }
                try await client.execute(uri: "/api/v1/identity/merges/\(merge)", method: .delete) { response in
                    #expect(response.status == .notFound)
                }

                // The officer is told before saving a person already registered.
                let leftID = try #require(UUID(uuidString: left))
                let person = try #require(try await IndividualRepository(database: database).find(id: leftID))
                let sheet = person.answers
                let body = """
                    {"given_names": "\(sheet.text("given_names")!.uppercased())", "first_surname": "\(sheet.text("first_surname")!)",
                     "birth_date": "\(sheet["birth_date"]!.exchangeText)"}
                    """
                try await client.execute(uri: "/api/v1/identity/check", method: .post,
                                         headers: [.acceptLanguage: "es", .contentType: "application/json"], body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .ok)
                    let matches = json(response.body)["matches"] as? [[String: Any]] ?? []
                    let match = matches.first { $0["individual_id"] as? String == left || $0["individual_id"] as? String == right }
                    #expect(match != nil, "\(matches)")
                    #expect((match?["message"] as? String)?.hasPrefix("Esta persona puede estar ya registrada") == true)
                    #expect((match?["registry_number"] as? String)?.hasPrefix("H-") == true)
                    #expect((match?["probability"] as? Double ?? 0) >= 0.5)
                }
                try await client.execute(uri: "/api/v1/identity/check", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: #"{"given_names": "Nadie", "first_surname": "Ninguno", "birth_date": "1901-01-01"}"#)) { response in
                    #expect(response.status == .ok)
                    #expect((json(response.body)["matches"] as? [Any])?.isEmpty == true)
                }
                try await client.execute(uri: "/api/v1/identity/check", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: #"{"birth_date": "2024-02-30"}"#)) { response in
                    #expect(response.status == .badRequest)
                    #expect(json(response.body)["parameter"] as? String == "birth_date")
                }
            }
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport
@testable import AmparoWeb

@Suite("Reads of personal data are logged")
struct AccessLogTests {
    @Test("a household read through the API, and persons shown in the review queue, are logged; the log cannot be changed",
          arguments: TestDatabaseKind.allCases)
    func readsAreLogged(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let run = try await reviewQueue(database, copies: 5)
            let identity = IdentityRepository(database: database)
            let pair = try #require(try await identity.pairs(run: run, status: "review", undecidedOnly: true, limit: 1).first)
            let households = try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 1).households
            let listed = try #require(households.first)
            let household = try #require(try await HouseholdRepository(database: database).find(id: listed.id))
            let members = (household.members ?? []).map(\.individual.id)
            #expect(!members.isEmpty)
            let log = AccessLog(database: database)
            #expect(try await log.entries(for: household.id).isEmpty)

            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let client = try await bearer(client, database: database)
                try await client.execute(uri: "/api/v1/households/\(household.id.uuidString)", method: .get) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(uri: "/office/identity/runs/\(run)/review", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
            let read = try await log.entries(for: household.id)
            #expect(read.count == 1)
            #expect(read.first?.channel == "api" && read.first?.purpose == "household_record" && read.first?.actor == "client:test-system")
            // The route's template, not the path with its ids and terms.
            #expect(read.first?.entity == "household" && read.first?.requestPath == "/api/v1/households/{id}")
            #expect(read.first?.role == "registry:read" && read.first?.outcome == "allowed")
            for member in members {
                #expect(try await log.entries(for: member).map(\.purpose) == ["household_record"], "each member shown is logged")
            }
            let reviewed = try await log.entries(for: pair.right)
            #expect(reviewed.contains { $0.channel == "office" && $0.purpose == "clerical_review" && $0.entity == "individual" })

            // Append-only: the database itself refuses to rewrite or remove an entry.
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in try await db.raw("UPDATE access_log SET actor = 'nobody'").run() }
            }
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in try await db.raw("DELETE FROM access_log").run() }
            }
            #expect(try await log.entries(for: household.id).first?.actor == "client:test-system")
        }
    }
}

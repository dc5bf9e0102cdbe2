import Foundation
import Testing
import Hummingbird
import HummingbirdTesting
import NIOCore
import AmparoDomain
import AmparoStorage
import AmparoWeb
import AmparoTestSupport

@Suite("Targeting in API v1")
struct TargetingAPITests {
    func withRun(_ kind: TestDatabaseKind, _ body: @escaping @Sendable (any TestClientProtocol, Int64, RegistryDatabase) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 40, seed: 5))
            let run = try await TargetingRun(database: database)
                .start(.published("colombia-mpi"), referenceDate: CalendarDate(year: 2026, month: 11, day: 24)!, areaCode: nil, actor: "tester")
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in try await body(try await bearer(client, database: database), run, database) }
        }
    }

    @Test("runs, their figures and their comparison", arguments: TestDatabaseKind.allCases)
    func runsAndReports(kind: TestDatabaseKind) async throws {
        try await withRun(kind) { client, run, _ in
            try await client.execute(uri: "/api/v1/targeting/runs", method: .get) { response in
                #expect(response.status == .ok)
                #expect(items(response.body).first?["policy_name"] as? String == "colombia-mpi")
            }
            try await client.execute(uri: "/api/v1/targeting/runs/\(run)/report?scope=all&weighting=households", method: .get) { response in
                #expect(response.status == .ok)
                let populations = json(response.body)["populations"] as? [[String: Any]] ?? []
                #expect(populations.count == 1)
                let classes = populations.first?["classes"] as? [String: Any]
                let total = ["poor", "not_poor", "missing"].compactMap { classes?[$0] as? Int }.reduce(0, +)
                #expect(total == 40)
                let mpi = populations.first?["mpi"] as? [String: Any]
                #expect(mpi?["m0"] != nil)
            }
            try await client.execute(uri: "/api/v1/targeting/runs/\(run)/compare/\(run)", method: .get) { response in
                let transitions = json(response.body)["transitions"] as? [[String: Any]] ?? []
                #expect(transitions.allSatisfy { $0["from_class"] as? String == $0["to_class"] as? String })
            }
            try await client.execute(uri: "/api/v1/targeting/runs/999", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/targeting/runs/abc/report", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/targeting/runs/\(run)/report?weighting=acres", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(json(response.body)["parameter"] as? String == "weighting")
            }
        }
    }

    @Test("a household's result explained, in the language asked for", arguments: TestDatabaseKind.allCases)
    func assessment(kind: TestDatabaseKind) async throws {
        try await withRun(kind) { client, run, database in
            let runs = TargetingRunRepository(database: database)
            let policy = try #require(try await PolicyCatalogue(database: database).policy("colombia-mpi"))
            let households = try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 40).households
            var checked = 0
            for household in households.prefix(12) {
                let stored = try #require(try await runs.result(run: run, household: household.id, policy: policy))
                let uri = "/api/v1/households/\(household.registryNumber)/assessment?policy=colombia-mpi&reference_date=2026-11-24"
                try await client.execute(uri: uri, method: .get, headers: [.acceptLanguage: "pt-BR,pt;q=0.9"]) { response in
                    #expect(response.status == .ok)
                    let body = json(response.body)
                    // The live explanation agrees with what the run stored.
                    #expect(body["class"] as? String == policy.classes[stored.assessment.classIndex].id)
                    let sentences = body["sentences"] as? [String] ?? []
                    #expect(sentences.first?.hasPrefix("Pontuação de privação") == true)
                    let findings = body["findings"] as? [[String: Any]] ?? []
                    #expect(findings.count == 15)
                    let deprived = findings.filter { $0["status"] as? String == "yes" }
                    #expect(deprived.count == stored.assessment.deprived.nonzeroBitCount)
                    #expect(deprived.allSatisfy { !(($0["evidence"] as? [Any]) ?? []).isEmpty })
                }
                checked += 1
            }
            #expect(checked == 12)
            try await client.execute(uri: "/api/v1/households/\(households[0].id)/assessment", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(json(response.body)["parameter"] as? String == "policy")
            }
            try await client.execute(uri: "/api/v1/households/\(households[0].id)/assessment?policy=nope", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/v1/households/\(households[0].id)/assessment?policy=colombia-mpi&reference_date=2024-02-30",
                                     method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(json(response.body)["parameter"] as? String == "reference_date")
            }
        }
    }
}

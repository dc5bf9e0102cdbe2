import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport
@testable import AmparoWeb

/// Every route, asked by every role and every scope, in its area and out of it: the answer
/// each should get follows from the permission table and the record's area, and the test
/// checks that the web layer gives exactly that.
@Suite("The permission matrix")
struct PermissionMatrixTests {
    /// How far a route's answer depends on where its record lies.
    enum Reach {
        /// Any signed-in requester.
        case signedIn
        /// A record in Antioquia (in) or São Gonçalo (out): 404 out of the requester's areas.
        case record(inside: Bool)
        /// Figures of the whole registry, or the review queue: the permission for the whole country.
        case wholeCountry
        /// A search: the answer is 200, with the person found only in the requester's areas.
        case search(inside: Bool)
    }

    struct Route: CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var permission: Permission?
        var reach: Reach
        var success: HTTPResponse.Status = .ok
        var body: String?

        var description: String { "\(method) \(uri)" }
    }

    /// What a requester holding `grants` must get from `route`.
    static func expected(_ route: Route, grants: [Grant], paths: (inside: String, outside: String)) -> (HTTPResponse.Status, hits: Int?) {
        let requester = Requester(actor: "x", grants: grants)
        guard let permission = route.permission else { return (route.success, nil) }
        guard requester.mayAnywhere(permission) else { return (.forbidden, nil) }
        switch route.reach {
        case .signedIn: return (route.success, nil)
        case .record(let inside):
            return requester.may(permission, in: inside ? paths.inside : paths.outside) ? (route.success, nil) : (.notFound, nil)
        case .wholeCountry:
            return requester.may(permission, in: Grant.wholeCountry) ? (route.success, nil) : (.notFound, nil)
        case .search(let inside):
            return (.ok, requester.may(permission, in: inside ? paths.inside : paths.outside) ? 1 : 0)
        }
    }

    @Test("every route, role and scope, in and out of area", arguments: TestDatabaseKind.allCases)
    func matrix(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await importFixtures(into: database)
            let run = try await TargetingRun(database: database)
                .start(.published("colombia-mpi"), referenceDate: CalendarDate(year: 2026, month: 11, day: 24)!, areaCode: nil, actor: "tester")
            let households = HouseholdRepository(database: database), people = IndividualRepository(database: database)
            let h1 = try #require(try await households.list(within: nil, after: nil, limit: 10).households.first { $0.sourceRef == "H1" })
            let h3 = try #require(try await households.list(within: nil, after: nil, limit: 10).households.first { $0.sourceRef == "H3" })
            let p1 = try #require(try await people.search(document: "1032456789", type: nil, limit: 1).first)
            let p4 = try #require(try await people.search(document: "12345678909", type: nil, limit: 1).first)
            let areas = AreaRepository(database: database)
            let paths = (inside: try #require(try await areas.find(code: "05001001")?.path),
                         outside: try #require(try await areas.find(code: "07001")?.path))

            func both(_ method: HTTPRequest.Method, _ inside: String, _ outside: String, _ permission: Permission,
                      success: HTTPResponse.Status = .ok, body: String? = nil) -> [Route] {
                [Route(method: method, uri: inside, permission: permission, reach: .record(inside: true), success: success, body: body),
                 Route(method: method, uri: outside, permission: permission, reach: .record(inside: false), success: success, body: body)]
            }
            let api: [Route] = both(.get, "/api/v1/households?area=05", "/api/v1/households?area=07", .readPersons)
                + both(.get, "/api/v1/households/\(h1.id)", "/api/v1/households/\(h3.id)", .readPersons)
                + both(.get, "/api/v1/households/\(h1.registryNumber)/history", "/api/v1/households/\(h3.registryNumber)/history", .readPersons)
                + both(.get, "/api/v1/households/\(h1.id)/assessment?policy=colombia-mpi",
                       "/api/v1/households/\(h3.id)/assessment?policy=colombia-mpi", .readPersons)
                + both(.get, "/api/v1/individuals/\(p1.id)", "/api/v1/individuals/\(p4.id)", .readPersons)
                + [
                    Route(method: .get, uri: "/api/v1/individuals?document=1032456789", permission: .readPersons, reach: .search(inside: true)),
                    Route(method: .get, uri: "/api/v1/individuals?document=12345678909", permission: .readPersons, reach: .search(inside: false)),
                    Route(method: .get, uri: "/api/v1/targeting/policies", permission: .readAggregates, reach: .signedIn),
                    Route(method: .get, uri: "/api/v1/targeting/runs/\(run)", permission: .readAggregates, reach: .wholeCountry),
                    Route(method: .get, uri: "/api/v1/targeting/runs/\(run)/report?scope=all", permission: .readAggregates, reach: .wholeCountry),
                    Route(method: .get, uri: "/api/v1/identity/runs", permission: .reviewIdentity, reach: .wholeCountry),
                    Route(method: .get, uri: "/api/v1/openapi.json", permission: nil, reach: .signedIn),
                ]
            let writes: [Route] = [
                Route(method: .post, uri: "/api/v1/identity/check", permission: .changeRegistry, reach: .signedIn,
                      body: #"{"given_names": "Nadie", "first_surname": "Ninguno", "birth_date": "1901-01-01"}"#),
                Route(method: .delete, uri: "/api/v1/identity/merges/999", permission: .reviewIdentity, reach: .wholeCountry,
                      success: .notFound),
            ]
            let pages: [Route] = [
                Route(method: .get, uri: "/office", permission: nil, reach: .signedIn),
                Route(method: .get, uri: "/office/households/\(h1.registryNumber)", permission: .readPersons, reach: .record(inside: true)),
                Route(method: .get, uri: "/office/households/\(h3.registryNumber)", permission: .readPersons, reach: .record(inside: false)),
                Route(method: .get, uri: "/office/identity", permission: .reviewIdentity, reach: .wholeCountry),
                Route(method: .get, uri: "/office/targeting", permission: .readAggregates, reach: .signedIn),
                Route(method: .get, uri: "/office/targeting/runs/\(run)", permission: .readAggregates, reach: .wholeCountry),
            ]
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                var checked = 0
                // Staff, each role in Antioquia and in the whole country, through a session: pages and the API's reads.
                for role in StaffRole.allCases {
                    for area in ["05", "*"] {
                        let name = "\(role.rawValue.replacingOccurrences(of: "_", with: "-"))-\(area == "*" ? "all" : area)"
                        let staff = try await signInStaff(client, database: database, name: name, roles: [.init(role, area)])
                        let grants = [Grant(role: role, areaPath: area == "*" ? "/" : try #require(try await areas.find(code: area)?.path))]
                        for route in api + pages {
                            try await expect(route, from: staff, grants: grants, paths: paths, who: name)
                            checked += 1
                        }
                        // A session changes no state through the API, whatever its roles.
                        for route in writes {
                            try await staff.execute(uri: route.uri, method: route.method, headers: [.contentType: "application/json"],
                                                    body: route.body.map { ByteBuffer(string: $0) }) { response in
                                #expect(response.status == .forbidden, "\(name): \(route)")
                            }
                        }
                    }
                }
                // Systems, each scope in Antioquia and in the whole country, with a token: the API.
                for scope in ClientScope.allCases {
                    for area in ["05", "*"] {
                        let name = "\(scope.rawValue.replacingOccurrences(of: ":", with: "-"))-\(area == "*" ? "all" : area)"
                        let system = try await bearer(client, database: database, name: name, scopes: [scope], areas: [area])
                        let grants = [Grant(scope: scope, areaPath: area == "*" ? "/" : try #require(try await areas.find(code: area)?.path))]
                        for route in api + writes {
                            try await expect(route, from: system, grants: grants, paths: paths, who: name)
                            checked += 1
                        }
                    }
                }
                // Nobody: 401 on the API, the sign-in page for the back office.
                for route in api + writes where route.uri != "/api/v1/openapi.json" {
                    try await client.execute(uri: route.uri, method: route.method, headers: [.contentType: "application/json"]) { response in
                        #expect(response.status == .unauthorized, "nobody: \(route)")
                    }
                }
                for route in pages {
                    try await client.execute(uri: route.uri, method: .get) { response in
                        #expect(response.status == .seeOther && response.headers[.location] == "/office/sign-in", "nobody: \(route)")
                    }
                }
                #expect(checked > 400)
            }
            // Every refusal is in the audit trail, each with its outcome.
            let refused = try await AccessLog(database: database).search(actor: "staff:analyst-05", entityID: nil, limit: 1000)
                .filter { $0.outcome == "refused" }
            #expect(refused.contains { $0.purpose == "needs_read_persons" })
            #expect(refused.contains { $0.purpose == "out_of_scope" })
            #expect(try await AuditChain.verify(database).isIntact)
        }
    }

    private func expect(_ route: Route, from client: Credentialed, grants: [Grant], paths: (inside: String, outside: String),
                        who: String) async throws {
        let (status, hits) = Self.expected(route, grants: grants, paths: paths)
        var headers: HTTPFields = [:]
        if route.body != nil { headers[.contentType] = "application/json" }
        try await client.execute(uri: route.uri, method: route.method, headers: headers, body: route.body.map { ByteBuffer(string: $0) }) { response in
            #expect(response.status == status, "\(who): \(route)")
            if let hits { #expect(items(response.body).count == hits, "\(who): \(route)") }
            // Refusals and answers alike carry the security headers.
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(who): \(route)")
        }
    }
}

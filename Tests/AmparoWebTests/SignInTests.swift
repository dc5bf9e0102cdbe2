import Foundation
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport
@testable import AmparoWeb

@Suite("Staff sign-in, sessions and tokens")
struct SignInTests {
    @Test("wrong passwords lock the account, then the lock lifts; the answer never tells an account from none",
          arguments: TestDatabaseKind.allCases)
    func lockout(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await importFixtures(into: database)
            try await StaffAccounts(database: database, passwordCost: 4).add(name: "ana", password: testPassword, roles: [.init(.analyst, "05001")])
            let signIn = StaffSignIn(database: database)
            let start = Date()
            for attempt in 0..<5 {
                #expect(try await signIn.signIn(name: "ana", password: "wrong \(attempt)", address: "10.0.0.\(attempt)", now: start) == nil)
            }
            // Locked: the right password is refused, exactly as a wrong one or an unknown name.
            #expect(try await signIn.signIn(name: "ana", password: testPassword, address: "10.0.1.1", now: start) == nil)
            #expect(try await signIn.signIn(name: "nobody", password: testPassword, address: "10.0.1.1", now: start) == nil)
            // An analyst of one municipality needs no second factor: after the lock, a full session.
            let later = start.addingTimeInterval(16 * 60)
            let opened = try #require(try await signIn.signIn(name: "ana", password: testPassword, address: "10.0.1.1", now: later))
            #expect(opened.stage == .full)
            // Twenty failures from one address stop it, whatever the account.
            try await StaffAccounts(database: database, passwordCost: 4).add(name: "bea", password: testPassword, roles: [.init(.analyst, "05001")])
            for attempt in 0..<20 {
                _ = try await signIn.signIn(name: "bea", password: "wrong \(attempt)", address: "10.9.9.9", now: later)
            }
            #expect(try await signIn.signIn(name: "ana", password: testPassword, address: "10.9.9.9", now: later) == nil)
            #expect(try await signIn.signIn(name: "ana", password: testPassword, address: "10.9.9.8", now: later) != nil)
            // Disabled: no sign-in, and its open sessions end.
            let session = try #require(try await signIn.signIn(name: "ana", password: testPassword, address: "10.0.1.2", now: later))
            try await StaffAccounts(database: database).disable(name: "ana")
            #expect(try await signIn.session(token: session.token, now: later) == nil)
            #expect(try await signIn.signIn(name: "ana", password: testPassword, address: "10.0.1.3", now: later) == nil)
            #expect(try await StaffAccounts(database: database).list().first?.disabled == true, "disabled, never deleted")
        }
    }

    @Test("a code is good once; a session dies idle after 30 minutes and after 12 hours whatever", arguments: TestDatabaseKind.allCases)
    func secondFactorAndExpiry(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await importFixtures(into: database)
            try await StaffAccounts(database: database, passwordCost: 4).add(name: "vera", password: testPassword, roles: [.init(.verifier, "05")])
            let signIn = StaffSignIn(database: database)
            let start = Date()
            let half = try #require(try await signIn.signIn(name: "vera", password: testPassword, address: "a", now: start))
            #expect(half.stage == .enrolment, "a verifier must enrol a second factor")
            let secret = try await totpSecret(database, name: "vera")
            let code = String(format: "%06d", TOTP(secret: secret).compute(date: start))
            #expect(try await signIn.confirmEnrolment(token: half.token, code: "000000", address: "a", now: start) == nil || code == "000000")
            let enrolled = try #require(try await signIn.confirmEnrolment(token: half.token, code: code, address: "a", now: start))
            #expect(enrolled.recoveryCodes.count == 10)
            #expect(try await signIn.session(token: half.token, now: start) == nil, "the half-done session's token is dead")
            // The next sign-in asks for a code; the one used to enrol is spent.
            let again = try #require(try await signIn.signIn(name: "vera", password: testPassword, address: "a", now: start))
            #expect(again.stage == .secondFactor)
            #expect(try await signIn.secondFactor(token: again.token, code: code, address: "a", now: start) == nil, "a replayed code")
            let next = String(format: "%06d", TOTP(secret: secret).compute(date: start.addingTimeInterval(30)))
            let full = try #require(try await signIn.secondFactor(token: again.token, code: next, address: "a", now: start.addingTimeInterval(30)))
            #expect(try await signIn.session(token: full, now: start.addingTimeInterval(31))?.stage == .full)
            // A recovery code works once.
            let third = try #require(try await signIn.signIn(name: "vera", password: testPassword, address: "a", now: start))
            #expect(try await signIn.secondFactor(token: third.token, code: enrolled.recoveryCodes[0].uppercased(), address: "a", now: start) != nil)
            let fourth = try #require(try await signIn.signIn(name: "vera", password: testPassword, address: "a", now: start))
            #expect(try await signIn.secondFactor(token: fourth.token, code: enrolled.recoveryCodes[0], address: "a", now: start) == nil)
            // Idle for 31 minutes: gone.
            #expect(try await signIn.session(token: full, now: start.addingTimeInterval(31 * 60 + 31)) == nil)
            // Used every 20 minutes, it still ends 12 hours after it began.
            let fifth = try #require(try await signIn.signIn(name: "vera", password: testPassword, address: "a", now: start))
            let busy = try #require(try await signIn.secondFactor(token: fifth.token, code: enrolled.recoveryCodes[1], address: "a", now: start))
            var moment = start
            while moment.addingTimeInterval(20 * 60) < start.addingTimeInterval(12 * 3600) {
                moment.addTimeInterval(20 * 60)
                #expect(try await signIn.session(token: busy, now: moment) != nil)
            }
            #expect(try await signIn.session(token: busy, now: start.addingTimeInterval(12 * 3600 + 60)) == nil)
        }
    }

    @Test("through the pages: a refused sign-in is audited; sign-out ends the session on the server; forms need their token",
          arguments: TestDatabaseKind.allCases)
    func pages(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await importFixtures(into: database)
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let officer = try await signInStaff(client, database: database, name: "rosa", roles: [.init(.verifier, "*")])
                // The session cookie's attributes.
                try await client.execute(uri: "/office/sign-in", method: .get) { response in
                    #expect(response.status == .ok)
                    let form = response.headers[values: .setCookie].first { $0.hasPrefix(StaffCookies.signInForm) } ?? ""
                    #expect(form.contains("HttpOnly") && form.contains("Secure") && form.contains("SameSite=Strict"))
                    #expect(response.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)
                }
                // A form without the session's token is refused, and the refusal is logged.
                try await officer.execute(uri: "/office/sign-out", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                          body: ByteBuffer(string: "csrf=forged")) { response in
                    #expect(response.status == .forbidden)
                }
                try await officer.execute(uri: "/office", method: .get) { response in #expect(response.status == .ok) }
                // Sign-out ends it on the server: the same cookie opens nothing after.
                try await officer.execute(uri: "/office/sign-out", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                          body: formBody(["csrf": officer.csrf])) { response in
                    #expect(response.status == .seeOther)
                }
                try await officer.execute(uri: "/office", method: .get) { response in
                    #expect(response.status == .seeOther && response.headers[.location] == "/office/sign-in")
                }
                try await officer.execute(uri: "/api/v1/households", method: .get) { response in
                    #expect(response.status == .unauthorized)
                }
                // A wrong password: 401, a page in the reader's language, the same for an unknown name.
                let form = try await client.execute(uri: "/office/sign-in", method: .get) { try #require(cookie(StaffCookies.signInForm, in: $0)) }
                for name in ["rosa", "nadie"] {
                    try await client.execute(uri: "/office/sign-in", method: .post,
                                             headers: [.cookie: "\(StaffCookies.signInForm)=\(form)", .contentType: "application/x-www-form-urlencoded",
                                                       .acceptLanguage: "pt"],
                                             body: formBody(["csrf": form, "name": name, "password": "wrong password!"])) { response in
                        #expect(response.status == .unauthorized)
                        #expect(text(response.body).contains("O usuário ou a senha não estão corretos"))
                        #expect(cookie(StaffCookies.session, in: response) == nil)
                    }
                }
                // Without the form's token, no password is even checked.
                try await client.execute(uri: "/office/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: formBody(["name": "rosa", "password": testPassword])) { response in
                    #expect(response.status == .forbidden)
                }
            }
            let trail = try await AccessLog(database: database).search(actor: "staff:rosa", entityID: nil, limit: 100)
            #expect(trail.contains { $0.action == "sign_in" && $0.outcome == "refused" && $0.purpose == "password" })
            #expect(trail.contains { $0.action == "sign_in" && $0.outcome == "allowed" && $0.purpose == "enrolment" })
            #expect(trail.contains { $0.action == "refused" && $0.purpose == "csrf" })
            #expect(try await AccessLog(database: database).search(actor: "staff:nadie", entityID: nil, limit: 10).count == 1)
        }
    }

    @Test("tokens: a scope too narrow, a forged or foreign or wrong kind of credential, a session posting JSON",
          arguments: [TestDatabaseKind.sqlite])
    func tokens(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            try await importFixtures(into: database)
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            let elsewhere = try ServerSecret(text: String(repeating: "77", count: 32))
            let foreign = try await AccessTokens(secret: elsewhere)
                .issue(for: SystemClients.Client(id: "x", name: "intruder", scopes: ClientScope.allCases, areaPaths: ["/"]))
            try await app.test(.router) { client in
                let figures = try await bearer(client, database: database, name: "figures", scopes: [.targetingRead])
                try await figures.execute(uri: "/api/v1/households", method: .get) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
                try await figures.execute(uri: "/api/v1/targeting/policies", method: .get) { response in #expect(response.status == .ok) }
                // The token's signature covers its scopes: widening them breaks it.
                let token = String((figures.credentials[.authorization] ?? "").dropFirst(7))
                let parts = token.split(separator: ".").map(String.init)
                let widened = Data(#"{"iss":"amparo","sub":"figures","exp":9999999999,"iat":0,"scope":"registry:read","areas":["/"]}"#.utf8)
                    .base64EncodedString().replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                for bad in [parts[0] + "." + widened + "." + parts[2], foreign, "not-a-token", ""] {
                    try await client.execute(uri: "/api/v1/households", method: .get, headers: [.authorization: "Bearer \(bad)"]) { response in
                        #expect(response.status == .unauthorized, "\(bad.prefix(20))")
                        #expect(!text(response.body).contains("Fatal"))
                    }
                }
                // The token endpoint: a wrong secret, a wrong grant.
                let made = try await SystemClients(database: database).add(name: "padron", scopes: ["registry:read"], areas: ["05"])
                let wrong = Data("\(made.id):not-the-secret".utf8).base64EncodedString()
                try await client.execute(uri: "/oauth/token", method: .post,
                                         headers: [.authorization: "Basic \(wrong)", .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "grant_type=client_credentials")) { response in
                    #expect(response.status == .unauthorized)
                    #expect(json(response.body)["error"] as? String == "invalid_client")
                }
                let right = Data("\(made.id):\(made.secret)".utf8).base64EncodedString()
                try await client.execute(uri: "/oauth/token", method: .post,
                                         headers: [.authorization: "Basic \(right)", .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "grant_type=password")) { response in
                    #expect(response.status == .badRequest)
                    #expect(json(response.body)["error"] as? String == "unsupported_grant_type")
                }
                try await client.execute(uri: "/oauth/token", method: .post,
                                         headers: [.authorization: "Basic \(right)", .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "grant_type=client_credentials")) { response in
                    #expect(response.status == .ok)
                    #expect(json(response.body)["token_type"] as? String == "Bearer")
                    #expect(json(response.body)["expires_in"] as? Int == 600)
                }
                // The public key, to check tokens elsewhere.
                try await client.execute(uri: "/.well-known/jwks.json", method: .get) { response in
                    let keys = json(response.body)["keys"] as? [[String: Any]] ?? []
                    #expect(keys.first?["kty"] as? String == "OKP" && keys.first?["crv"] as? String == "Ed25519")
                }
                // JSON that changes state needs its content type.
                let system = try await bearer(client, database: database, name: "writer", scopes: [.registryWrite])
                try await system.execute(uri: "/api/v1/identity/check", method: .post, body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .unsupportedMediaType)
                }
            }
        }
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import SQLKit
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport
@testable import AmparoWeb

/// A real OpenID Connect provider for the tests: `oidc-provider-mock` (from PyPI) behind
/// `Tests/OIDCProvider/provider.py`, which adds PKCE, client_secret_basic and faults on
/// demand. Each test starts its own on a free port, reached over real HTTP, and stops it.
/// `scripts/test` installs it into a virtual environment and names its Python in
/// `AMPARO_TEST_OIDC_PYTHON`.
final class StandInProvider: @unchecked Sendable {
    static let clientID = "amparo-test"
    static let clientSecret = "a secret: with + and /"

    let issuer: String
    private let process: Process
    /// Its standard input: kept open while the provider is wanted, it closes when the test
    /// process ends, which ends the provider even if `stop` never runs.
    private let input = Pipe()

    init() throws {
        guard let python = ProcessInfo.processInfo.environment["AMPARO_TEST_OIDC_PYTHON"], !python.isEmpty else {
            throw TestSetupError("""
                AMPARO_TEST_OIDC_PYTHON is not set: run the tests with scripts/test, which installs the stand-in \
                OpenID Connect provider (pip's oidc-provider-mock) and names the Python that runs it
                """)
        }
        let launcher = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("OIDCProvider/provider.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [launcher.path, "--client-id", Self.clientID, "--client-secret", Self.clientSecret]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        // Its first line, once it listens, is its address.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                throw TestSetupError("the stand-in provider (\(python) \(launcher.path)) ended before it listened: is oidc-provider-mock installed?")
            }
            line.append(chunk)
        }
        issuer = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit { stop() }

    func stop() {
        if process.isRunning { process.terminate() }
        try? input.fileHandleForWriting.close()
    }

    /// Amparo's configuration for this provider; browsers reach Amparo at `https://amparo.test`.
    func configuration() throws -> WebConfiguration {
        var configuration = testConfiguration()
        configuration.digitalIdentity = try OpenIDProvider(issuer: issuer, clientID: Self.clientID, clientSecret: Self.clientSecret,
                                                           redirectBase: "https://amparo.test")
        return configuration
    }

    /// Gives a subject claims, which its ID tokens will carry.
    func setClaims(of subject: String, _ claims: [String: String]) async throws {
        var request = URLRequest(url: try #require(URL(string: "\(issuer)/users/\(subject)")))
        request.httpMethod = "PUT"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: claims)
        #expect(try await Browser.send(request).status == 204)
    }

    /// Makes the next ID token carry these claims (a JSON object) instead of the true ones.
    func fault(_ claims: String) async throws {
        var request = URLRequest(url: try #require(URL(string: "\(issuer)/test/next-id-token")))
        request.httpMethod = "POST"
        request.httpBody = Data(claims.utf8)
        #expect(try await Browser.send(request).status == 204)
    }

    func rotateKey() async throws {
        var request = URLRequest(url: try #require(URL(string: "\(issuer)/test/rotate-key")))
        request.httpMethod = "POST"
        #expect(try await Browser.send(request).status == 204)
    }

    /// The person at the provider signs in as `subject` and consents: the provider answers
    /// with the address it sends the browser back to, `https://amparo.test/oidc/callback?code=…&state=…`.
    func authorize(_ authorizationURL: String, as subject: String) async throws -> URLComponents {
        var request = URLRequest(url: try #require(URL(string: authorizationURL)))
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("sub=\(subject)".utf8)
        let answer = try await Browser.send(request)
        #expect(answer.status == 302, "the provider authorizes: \(answer.status)")
        return try #require(URLComponents(string: answer.location ?? ""))
    }
}

/// The test's browser towards the provider: plain HTTP, redirects not followed, so that the
/// test sees where it is sent.
enum Browser {
    final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    static let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

    static func send(_ request: URLRequest) async throws -> (status: Int, location: String?, body: Data) {
        try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let http = response as? HTTPURLResponse
                continuation.resume(returning: (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Location"), data ?? Data()))
            }.resume()
        }
    }
}

/// A sign-in under way in the test's browser: where the provider sent it back to, and the
/// browser's own cookie for it.
struct ProviderAnswer {
    var callback: String
    var browserCookie: String?
}

/// Begins a sign-in at `start` (Amparo's page), lets the provider authorize `subject`, and
/// returns where the browser is sent back to; `tamper` changes the authorization request
/// on its way to the provider.
func signInAtProvider(_ client: any TestClientProtocol, provider: StandInProvider, start: String, subject: String,
                      tamper: @Sendable (inout URLComponents) -> Void = { _ in }) async throws -> ProviderAnswer {
    let (location, cookieValue) = try await client.execute(uri: start, method: .get) { response in
        #expect(response.status == .seeOther)
        return (response.headers[.location] ?? "", cookie(OpenIDCookie.name, in: response))
    }
    var authorization = try #require(URLComponents(string: location))
    #expect(location.hasPrefix(provider.issuer + "/"), "sent to the provider")
    let items = authorization.queryItems ?? []
    let value = { (name: String) in items.first { $0.name == name }?.value }
    #expect(value("code_challenge_method") == "S256" && (value("code_challenge")?.count ?? 0) == 43)
    #expect(value("client_id") == StandInProvider.clientID && value("redirect_uri") == "https://amparo.test/oidc/callback")
    #expect(value("scope") == "openid" && value("response_type") == "code" && value("nonce") != nil && value("state") != nil)
    tamper(&authorization)
    let back = try await provider.authorize(try #require(authorization.url?.absoluteString), as: subject)
    #expect(back.host == "amparo.test" && back.path == "/oidc/callback")
    return ProviderAnswer(callback: back.path + "?" + (back.percentEncodedQuery ?? ""), browserCookie: cookieValue)
}

/// The provider's answer brought back to Amparo, in the browser that began the sign-in.
func returnToAmparo<T: Sendable>(_ client: any TestClientProtocol, _ answer: ProviderAnswer, withCookie: Bool = true,
                       _ check: @escaping (TestResponse) async throws -> T) async throws -> T {
    var headers: HTTPFields = [:]
    if withCookie, let browser = answer.browserCookie { headers[.cookie] = "\(OpenIDCookie.name)=\(browser)" }
    return try await client.execute(uri: answer.callback, method: .get, headers: headers) { response in
        try await check(response)
    }
}

/// The audit trail's sign-ins through the digital identity: (actor, channel, outcome), in order.
func digitalIdentitySignIns(_ database: RegistryDatabase) async throws -> [(actor: String, channel: String, outcome: String)] {
    try await database.read { db in
        try await db.raw("""
            SELECT actor, channel, outcome FROM access_log WHERE action = 'sign_in' AND purpose = 'oidc' ORDER BY id
            """).all().map { row in
            (actor: try row.decode(column: "actor", as: String.self), channel: try row.decode(column: "channel", as: String.self),
             outcome: try row.decode(column: "outcome", as: String.self))
        }
    }
}

@Suite("Signing in with the country's digital identity (OpenID Connect), against a real provider")
struct DigitalIdentityTests {
    @Test("a staff account bound to the provider's subject gets a full session; the state is good once; an unbound subject is refused like a wrong password",
          arguments: TestDatabaseKind.allCases)
    func staffSignIn(kind: TestDatabaseKind) async throws {
        let provider = try StandInProvider()
        defer { provider.stop() }
        try await TestDatabase.with(kind) { database in
            // setup
            try await StaffAccounts(database: database, passwordCost: 4)
                .add(name: "ana", password: testPassword, roles: [.init(.registrationOfficer, "*"), .init(.verifier, "*")])
            try await StaffAccounts(database: database).bind(name: "ana", issuer: provider.issuer, subject: "ana-at-provider")
            let app = await buildApplication(configuration: try provider.configuration(), database: database)
            try await app.test(.router) { client in
                try await client.execute(uri: "/office/sign-in", method: .get, headers: [.acceptLanguage: "en"]) { response in
                    #expect(text(response.body).contains("href=\"/office/sign-in/oidc\">Sign in with the national digital identity<"))
                }
                // act
                let answer = try await signInAtProvider(client, provider: provider, start: "/office/sign-in/oidc", subject: "ana-at-provider")
                let session = try await returnToAmparo(client, answer) { response in
                    #expect(response.status == .ok)
                    #expect(text(response.body).contains("http-equiv=\"refresh\" content=\"0; url=/office\""))
                    return try #require(cookie(StaffCookies.session, in: response))
                }
                // check: a full session, though the account's roles need a second factor it never enrolled.
                let opened = try #require(try await StaffSignIn(database: database).session(token: session))
                #expect(opened.stage == .full && opened.accountName == "ana")
                try await client.execute(uri: "/office", method: .get, headers: [.cookie: "\(StaffCookies.session)=\(session)"]) { response in
                    #expect(response.status == .ok)
                }
                // The same answer again (a replayed state) opens nothing.
                try await returnToAmparo(client, answer) { response in
                    #expect(response.status == .unauthorized)
                    #expect(cookie(StaffCookies.session, in: response) == nil)
                }
                // A subject bound to no account: the page a wrong password gets, word for word.
                let wrongPassword = try await client.execute(uri: "/office/sign-in", method: .post,
                                                             headers: [.contentType: "application/x-www-form-urlencoded",
                                                                       .cookie: "\(StaffCookies.signInForm)=\(String(repeating: "f", count: 43))"],
                                                             body: formBody(["csrf": String(repeating: "f", count: 43), "name": "ana",
                                                                             "password": "not the password at all"])) { response in
                    #expect(response.status == .unauthorized)
                    return try #require(text(response.body).firstMatch(of: /role="alert">([^<]+)</)?.output.1).description
                }
                let stranger = try await signInAtProvider(client, provider: provider, start: "/office/sign-in/oidc", subject: "nobody-here")
                try await returnToAmparo(client, stranger) { response in
                    #expect(response.status == .unauthorized)
                    #expect(text(response.body).contains(wrongPassword))
                    #expect(cookie(StaffCookies.session, in: response) == nil)
                }
            }
            let entries = try await digitalIdentitySignIns(database)
            #expect(entries.map { $0.actor } == ["staff:ana", "staff:?", "staff:?"])
            #expect(entries.map { $0.outcome } == ["allowed", "refused", "refused"])
            #expect(entries.allSatisfy { $0.channel == "office" })
        }
    }

    @Test("a citizen signs in with the ID number the provider asserts and reaches their household; a number nobody holds is refused",
          arguments: TestDatabaseKind.allCases)
    func citizenSignIn(kind: TestDatabaseKind) async throws {
        let provider = try StandInProvider()
        defer { provider.stop() }
        try await TestDatabase.with(kind) { database in
            // setup
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 20, seed: 11))
            let row = try await database.read { db in
                try await db.raw("""
                    SELECT i.id, i.id_number, m.household_id FROM individuals i
                    JOIN memberships m ON m.individual_id = i.id AND m.end_date IS NULL
                    WHERE i.id_number IS NOT NULL ORDER BY i.source_ref LIMIT 1
                    """).first()
            }
            let person = try #require(row)
            let number = try person.decode(column: "id_number", as: String.self)
            let individual = try person.decode(column: "id", as: UUID.self)
            try await provider.setClaims(of: "maria", ["national_id": number])
            try await provider.setClaims(of: "unregistered", ["national_id": "000000000000"])
            let app = await buildApplication(configuration: try provider.configuration(), database: database)
            try await app.test(.router) { client in
                try await client.execute(uri: "/portal", method: .get, headers: [.acceptLanguage: "pt"]) { response in
                    #expect(text(response.body).contains("href=\"/portal/sign-in/oidc\">Entrar com a identidade digital nacional<"))
                }
                // act
                let answer = try await signInAtProvider(client, provider: provider, start: "/portal/sign-in/oidc", subject: "maria")
                let session = try await returnToAmparo(client, answer) { response in
                    #expect(response.status == .ok)
                    #expect(text(response.body).contains("url=/portal/household"))
                    return try #require(cookie(PortalCookies.session, in: response))
                }
                // check
                try await client.execute(uri: "/portal/household", method: .get,
                                         headers: [.cookie: "\(PortalCookies.session)=\(session)"]) { response in
                    #expect(response.status == .ok)
                    #expect(text(response.body).contains("portal/sign-out"))
                }
                let stranger = try await signInAtProvider(client, provider: provider, start: "/portal/sign-in/oidc", subject: "unregistered")
                try await returnToAmparo(client, stranger) { response in
                    #expect(response.status == .unauthorized)
                    #expect(cookie(PortalCookies.session, in: response) == nil)
                    #expect(text(response.body).contains(PageText.words(.en)["portal_oidc_refused"] ?? "?"))
                }
            }
            let entries = try await digitalIdentitySignIns(database)
            #expect(entries.map { $0.actor } == ["citizen:\(individual.uuidString)", "citizen:?"])
            #expect(entries.map { $0.outcome } == ["allowed", "refused"])
            #expect(entries.allSatisfy { $0.channel == "portal" })
        }
    }

    @Test("a wrong nonce, audience, issuer or expiry, an answer in another browser, a state nobody gave: each a 401, audited, never a 500",
          arguments: TestDatabaseKind.allCases)
    func refusals(kind: TestDatabaseKind) async throws {
        let provider = try StandInProvider()
        defer { provider.stop() }
        try await TestDatabase.with(kind) { database in
            try await StaffAccounts(database: database, passwordCost: 4).add(name: "ana", password: testPassword, roles: [.init(.analyst, "*")])
            try await StaffAccounts(database: database).bind(name: "ana", issuer: provider.issuer, subject: "ana")
            let app = await buildApplication(configuration: try provider.configuration(), database: database)
            try await app.test(.router) { client in
                // A nonce other than the one this sign-in sent: the ID token repeats what the provider was asked with.
                let otherNonce = try await signInAtProvider(client, provider: provider, start: "/office/sign-in/oidc", subject: "ana") { url in
                    url.queryItems = url.queryItems?.map { $0.name == "nonce" ? URLQueryItem(name: "nonce", value: "someone-elses-nonce") : $0 }
                }
                try await returnToAmparo(client, otherNonce) { response in
                    #expect(response.status == .unauthorized)
                    #expect(cookie(StaffCookies.session, in: response) == nil)
                }
                // ID tokens the provider signs (with its real key, from its real JWKS) but that are not for this sign-in.
                let faults = [
                    #"{"aud": "another-client"}"#, #"{"aud": ["\#(StandInProvider.clientID)", "another-client"]}"#,
                    #"{"iss": "https://elsewhere.example"}"#, #"{"exp": \#(Int(Date().timeIntervalSince1970) - 120)}"#,
                ]
                for fault in faults {
                    let answer = try await signInAtProvider(client, provider: provider, start: "/office/sign-in/oidc", subject: "ana")
                    try await provider.fault(fault)
                    try await returnToAmparo(client, answer) { response in
                        #expect(response.status == .unauthorized, "\(fault)")
                        #expect(cookie(StaffCookies.session, in: response) == nil)
                    }
                }
                // The provider's answer opened in a browser other than the one that began the sign-in.
                let elsewhere = try await signInAtProvider(client, provider: provider, start: "/office/sign-in/oidc", subject: "ana")
                try await returnToAmparo(client, elsewhere, withCookie: false) { response in
                    #expect(response.status == .unauthorized)
                }
                // ... and it is used up: the right browser cannot use it after.
                try await returnToAmparo(client, elsewhere) { response in #expect(response.status == .unauthorized) }
                // A state nobody gave out: a problem document.
                try await client.execute(uri: "/oidc/callback?code=abc&state=\(String(repeating: "x", count: 43))", method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
                // The provider saying no (the person declined).
                let declined = try await signInAtProvider(client, provider: provider, start: "/office/sign-in/oidc", subject: "ana")
                let state = try #require(URLComponents(string: "https://amparo.test" + declined.callback)?.queryItems?
                    .first { $0.name == "state" }?.value)
                try await returnToAmparo(client, ProviderAnswer(callback: "/oidc/callback?error=access_denied&state=\(state)",
                                                                browserCookie: declined.browserCookie)) { response in
                    #expect(response.status == .unauthorized)
                }
                // After all of that, the right answer still works.
                let right = try await signInAtProvider(client, provider: provider, start: "/office/sign-in/oidc", subject: "ana")
                try await returnToAmparo(client, right) { response in
                    #expect(response.status == .ok)
                    #expect(cookie(StaffCookies.session, in: response) != nil)
                }
            }
            let entries = try await digitalIdentitySignIns(database)
            #expect(entries.map { $0.outcome } == Array(repeating: "refused", count: 9) + ["allowed"])
            #expect(entries.map { $0.actor } == Array(repeating: "staff:?", count: 7) + ["anonymous", "staff:?", "staff:ana"])
        }
    }

    @Test("keys the provider rotates are fetched again when a token needs them, but not more than once in a while")
    func keyRotation() async throws {
        let provider = try StandInProvider()
        defer { provider.stop() }
        let settings = try #require(try provider.configuration().digitalIdentity)
        /// A sign-in the test makes itself, straight against the provider, for the identity to finish.
        func signIn(_ identity: DigitalIdentity) async throws -> DigitalIdentity.Identity {
            let verifier = CitizenSignIn.newToken(), nonce = CitizenSignIn.newToken()
            let url = try await identity.authorizationURL(state: CitizenSignIn.newToken(), nonce: nonce,
                                                          codeChallenge: OpenIDRequests.challenge(verifier))
            let back = try await provider.authorize(url.absoluteString, as: "ana")
            let code = try #require(back.queryItems?.first { $0.name == "code" }?.value)
            return try await identity.signIn(code: code, codeVerifier: verifier, nonce: nonce)
        }
        let eager = DigitalIdentity(provider: settings, keyRefetchInterval: 0)
        let patient = DigitalIdentity(provider: settings)
        #expect(try await signIn(eager).subject == "ana")
        #expect(try await signIn(patient).subject == "ana")
        try await provider.rotateKey()
        #expect(try await signIn(eager).subject == "ana")
        // Its keys were fetched a moment ago: a token it cannot check is refused rather than fetch them again.
        await #expect(throws: DigitalIdentity.Failure.badSignature) { try await signIn(patient) }
    }
}

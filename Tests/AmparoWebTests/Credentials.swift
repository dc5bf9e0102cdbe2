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

/// The server's secret in tests: fixed, so that a test can check a keyed hash.
let testSecret = try! ServerSecret(text: String(repeating: "5a", count: 32))

func testConfiguration() -> WebConfiguration { WebConfiguration(secret: testSecret) }

/// A test client that sends credentials (a session cookie or a bearer token) with every
/// request; headers a request gives itself win.
struct Credentialed: TestClientProtocol {
    let base: any TestClientProtocol
    let credentials: HTTPFields
    /// The session's form token, for posting the back office's forms.
    var csrf: String = ""

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var all = credentials
        for field in headers {
            // Cookies a request sends itself go beside the session's.
            if field.name == .cookie, let kept = all[.cookie] { all[.cookie] = kept + "; " + field.value } else { all[field.name] = field.value }
        }
        return try await base.executeRequest(uri: uri, method: method, headers: all, body: body)
    }

    var port: Int? { base.port }
}

/// A password good enough for tests.
let testPassword = "correct horse battery staple"

/// Makes a staff account (bcrypt at its lowest cost, for speed) and signs it in through the
/// real pages: password, then the second factor, enrolled on the way when it has none.
func signInStaff(_ client: any TestClientProtocol, database: RegistryDatabase, name: String,
                 roles: [StaffAccounts.RoleInArea]) async throws -> Credentialed {
    try await StaffAccounts(database: database, passwordCost: 4).add(name: name, password: testPassword, roles: roles)
    return try await signIn(client, database: database, name: name, password: testPassword)
}

/// Signs an existing account in through the pages; fails the test if it cannot.
func signIn(_ client: any TestClientProtocol, database: RegistryDatabase, name: String, password: String,
            at now: Date = Date()) async throws -> Credentialed {
    let form = try await client.execute(uri: "/office/sign-in", method: .get) { response in
        try #require(cookie(StaffCookies.signInForm, in: response))
    }
    let formCookie: HTTPFields = [.cookie: "\(StaffCookies.signInForm)=\(form)"]
    let (location, session) = try await client.execute(
        uri: "/office/sign-in", method: .post, headers: formCookie.merging([.contentType: "application/x-www-form-urlencoded"]),
        body: formBody(["csrf": form, "name": name, "password": password])) { response in
            #expect(response.status == .seeOther, "the password is taken")
            return (response.headers[.location] ?? "", try #require(cookie(StaffCookies.session, in: response)))
        }
    var signedIn = Credentialed(base: client, credentials: [.cookie: "\(StaffCookies.session)=\(session)"])
    if location == "/office" { return try await withCSRF(signedIn, database: database) }
    let secret = try await totpSecret(database, name: name)
    let step = location == "/office/enrol" ? "/office/enrol" : "/office/second-factor"
    let half = try await withCSRF(signedIn, database: database)
    let code = String(format: "%06d", TOTP(secret: secret).compute(date: now))
    let full = try await half.execute(uri: step, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                      body: formBody(["csrf": half.csrf, "code": code])) { response in
        try #require(cookie(StaffCookies.session, in: response), "the second factor is taken")
    }
    signedIn = Credentialed(base: client, credentials: [.cookie: "\(StaffCookies.session)=\(full)"])
    return try await withCSRF(signedIn, database: database)
}

/// The account's TOTP secret, as its authenticator app would hold it; made if it has none yet.
func totpSecret(_ database: RegistryDatabase, name: String) async throws -> String {
    let id = try #require(try await StaffAccounts(database: database).list().first { $0.name == name }?.id)
    _ = try await StaffSignIn(database: database).enrolment(of: id)
    return try await database.read { db in
        try #require(try await db.raw("SELECT totp_secret FROM staff_accounts WHERE id = \(bind: id)").first()?
            .decode(column: "totp_secret", as: String.self))
    }
}

/// The client with its session's form token, read from the session as a page would show it.
private func withCSRF(_ client: Credentialed, database: RegistryDatabase) async throws -> Credentialed {
    guard let value = client.credentials[.cookie]?.split(separator: "=", maxSplits: 1).last,
          let session = try await StaffSignIn(database: database).session(token: String(value)) else { return client }
    var withToken = client
    withToken.csrf = session.csrf
    return withToken
}

/// A bearer token from `POST /oauth/token` for a new client with these scopes and areas.
func bearer(_ client: any TestClientProtocol, database: RegistryDatabase, name: String = "test-system",
            scopes: [ClientScope] = ClientScope.allCases, areas: [String] = ["*"]) async throws -> Credentialed {
    let made = try await SystemClients(database: database).add(name: name, scopes: scopes.map(\.rawValue), areas: areas)
    let basic = Data("\(made.id):\(made.secret)".utf8).base64EncodedString()
    let token = try await client.execute(uri: "/oauth/token", method: .post,
                                         headers: [.authorization: "Basic \(basic)", .contentType: "application/x-www-form-urlencoded"],
                                         body: ByteBuffer(string: "grant_type=client_credentials")) { response in
        #expect(response.status == .ok)
        return try #require(json(response.body)["access_token"] as? String)
    }
    return Credentialed(base: client, credentials: [.authorization: "Bearer \(token)"])
}

/// A staff member of the whole country who reads persons, reviews duplicates and reads figures:
/// what the back office's tests act as.
func nationalOfficer(_ client: any TestClientProtocol, database: RegistryDatabase) async throws -> Credentialed {
    try await signInStaff(client, database: database, name: "national",
                          roles: [.init(.registrationOfficer, "*"), .init(.verifier, "*"), .init(.programmeManager, "*")])
}

func cookie(_ name: String, in response: TestResponse) -> String? {
    for value in response.headers[values: .setCookie] {
        let pair = value.split(separator: ";").first ?? ""
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, parts[0] == name, !parts[1].isEmpty { return String(parts[1]) }
    }
    return nil
}

func formBody(_ fields: [String: String]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = fields.sorted { $0.key < $1.key }
        .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    return ByteBuffer(string: text)
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var all = self
        for field in other { all.append(field) }
        return all
    }
}

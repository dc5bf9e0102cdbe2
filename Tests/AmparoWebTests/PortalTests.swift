import Foundation
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

/// A person of the demo registry who can sign in: their document number, their household,
/// and where their code goes.
private func citizenWithContact(_ database: RegistryDatabase) async throws -> (number: String, household: UUID, destination: String) {
    let row = try await database.read { db in
        try await db.raw("""
            SELECT i.id_number, m.household_id, COALESCE(i.phone, i.email, h.phone) AS destination
            FROM individuals i JOIN memberships m ON m.individual_id = i.id AND m.end_date IS NULL
            JOIN households h ON h.id = m.household_id
            WHERE i.id_number IS NOT NULL AND COALESCE(i.phone, i.email, h.phone) IS NOT NULL
            ORDER BY i.source_ref LIMIT 1
            """).first()
    }
    let found = try #require(row)
    return (try found.decode(column: "id_number", as: String.self), try found.decode(column: "household_id", as: UUID.self),
            try found.decode(column: "destination", as: String.self))
}

/// The newest code the outbox holds for `destination`.
private func lastCode(_ database: RegistryDatabase, to destination: String) async throws -> String? {
    let messages = try await Outbox(database: database).waiting().filter { $0.destination == destination }
    guard let body = messages.last?.body, let match = body.firstMatch(of: /\d{6}/) else { return nil }
    return String(match.output)
}

/// The value a response sets for a cookie, and the whole header that sets it.
private func setCookie(_ response: TestResponse, _ name: String) -> (value: String, header: String)? {
    for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
        let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
        return (String(value), header)
    }
    return nil
}

private func form(_ fields: [(String, String)]) -> ByteBuffer {
    var components = URLComponents()
    components.queryItems = fields.map { URLQueryItem(name: $0.0, value: $0.1) }
    return ByteBuffer(string: components.percentEncodedQuery ?? "")
}

private let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "es"]

@Suite("The citizen portal, in process")
struct PortalTests {
    @Test("every purpose a read is logged for has words for the citizen, in the three languages")
    func everyPurposeWorded() throws {
        // The purposes are those the web layer writes to the access log.
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/AmparoWeb")
        var purposes = Set<String>()
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: /purpose(?: =|:) "([a-z_]+)"/) { purposes.insert(String(match.output.1)) }
        }
        #expect(purposes.count >= 8, "\(purposes)")
        for purpose in purposes.sorted() {
            let words = PageText.catalogue["portal_purpose_\(purpose)"]
            #expect(words != nil, "no words for the purpose \(purpose)")
        }
    }

    @Test("a citizen signs in with a one-time code and sees their own household, explained in plain words",
          arguments: TestDatabaseKind.allCases)
    func signInAndExplanation(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 30, seed: 8))
            let person = try await citizenWithContact(database)
            let household = try #require(try await HouseholdRepository(database: database).find(id: person.household))
            let others = try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 30).households
                .filter { $0.id != person.household }
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let officer = try await nationalOfficer(client, database: database)
                // An officer looks the household up first: the citizen will see it.
                try await officer.execute(uri: "/office/households/\(household.registryNumber)", method: .get) { response in
                    #expect(response.status == .ok)
                }
                var csrf = ""
                try await client.execute(uri: "/portal", method: .get, headers: [.acceptLanguage: "es"]) { response in
                    #expect(response.status == .ok)
                    let page = text(response.body)
                    #expect(page.contains("<html lang=\"es\">") && page.contains("Número de documento"))
                    #expect(response.body.readableBytes < 100_000)
                    let cookie = try #require(setCookie(response, PortalCookies.csrf))
                    #expect(cookie.header.contains("HttpOnly") && cookie.header.contains("SameSite=Strict") && cookie.header.contains("Secure"))
                    csrf = cookie.value
                    #expect(page.contains("value=\"\(csrf)\""))
                }
                var headers = formType
                headers[.cookie] = "\(PortalCookies.csrf)=\(csrf)"
                try await client.execute(uri: "/portal/code", method: .post, headers: headers,
                                         body: form([("csrf", csrf), ("id_number", person.number)])) { response in
                    #expect(response.status == .ok)
                    #expect(text(response.body).contains("Escriba el código"))
                }
                let code = try #require(try await lastCode(database, to: person.destination))
                let wrong = code == "000000" ? "111111" : "000000"
                try await client.execute(uri: "/portal/sign-in", method: .post, headers: headers,
                                         body: form([("csrf", csrf), ("id_number", person.number), ("code", wrong)])) { response in
                    #expect(response.status == .badRequest)
                    #expect(text(response.body).contains("El código no es correcto"))
                    #expect(setCookie(response, PortalCookies.session) == nil)
                }
                var session = ""
                try await client.execute(uri: "/portal/sign-in", method: .post, headers: headers,
                                         body: form([("csrf", csrf), ("id_number", person.number), ("code", code)])) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/portal/household")
                    let cookie = try #require(setCookie(response, PortalCookies.session))
                    #expect(cookie.header.contains("HttpOnly") && cookie.header.contains("SameSite=Strict") && cookie.header.contains("Secure"))
                    session = cookie.value
                }
                // A code opens one session only.
                try await client.execute(uri: "/portal/sign-in", method: .post, headers: headers,
                                         body: form([("csrf", csrf), ("id_number", person.number), ("code", code)])) { response in
                    #expect(response.status == .badRequest)
                }
                var signedIn: HTTPFields = [.acceptLanguage: "es"]
                signedIn[.cookie] = "\(PortalCookies.csrf)=\(csrf); \(PortalCookies.session)=\(session)"
                try await client.execute(uri: "/portal/household", method: .get, headers: signedIn) { response in
                    #expect(response.status == .ok)
                    let page = text(response.body)
                    #expect(response.body.readableBytes < 100_000)
                    #expect(page.contains(household.registryNumber.description))
                    for member in household.members ?? [] {
                        #expect(page.contains(escaped(member.individual.answers.text("given_names") ?? "?")))
                    }
                    #expect(page.contains("Según «IPM Colombia (DNP 2011)», su hogar está en la categoría:"))
                    #expect(page.contains("tiene derecho a pedir que se revise"))
                    #expect(page.contains("Quién consultó sus datos"))
                    #expect(page.contains("Usted · este portal: ver su propio hogar"))
                    #expect(page.contains("national · oficina: consultar el hogar"))
                    for other in others { #expect(!page.contains(other.registryNumber.description)) }
                }
                // The portal answers to the session alone: the staff's routes stay as they were, and
                // without a session the household page leads back to sign-in.
                try await client.execute(uri: "/portal/household", method: .get) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/portal")
                }
                try await client.execute(uri: "/portal/sign-out", method: .post, headers: {
                    var fields = formType
                    fields[.cookie] = signedIn[.cookie]
                    return fields
                }(), body: form([("csrf", csrf)])) { response in
                    #expect(response.status == .seeOther)
                    #expect(setCookie(response, PortalCookies.session)?.header.contains("Max-Age=0") == true)
                }
                try await client.execute(uri: "/portal/household", method: .get, headers: signedIn) { response in
                    #expect(response.status == .seeOther)
                }
            }
            let log = try await AccessLog(database: database).entries(for: household.id)
            #expect(log.map(\.channel) == ["office", "portal"])
            #expect(log.last?.purpose == "own_household")
            #expect(log.last?.actor.hasPrefix("citizen:") == true)
        }
    }

    @Test("the portal's own listener answers the portal alone, with the security headers", arguments: [TestDatabaseKind.sqlite])
    func portalAlone(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            var configuration = testConfiguration()
            configuration.surface = .portalOnly
            let app = await buildApplication(configuration: configuration, database: database)
            try await app.test(.router) { client in
                for (uri, status) in [("/portal", 200), ("/static/portal.css", 200), ("/health", 200), ("/", 303),
                                      ("/office", 404), ("/office/sign-in", 404), ("/api/v1/households", 404),
                                      ("/api/v1/openapi.json", 404), ("/.well-known/jwks.json", 404)] {
                    try await client.execute(uri: uri, method: .get) { response in
                        #expect(response.status.code == status, "\(uri)")
                        #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                    }
                }
                try await client.execute(uri: "/oauth/token", method: .post, body: ByteBuffer(string: "grant_type=client_credentials")) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test("twenty guesses at once still stop at five; codes are keyed hashes; an address asking too often is stopped",
          arguments: TestDatabaseKind.allCases)
    func guessesInParallel(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 30, seed: 8))
            let person = try await citizenWithContact(database)
            let signIn = CitizenSignIn(database: database, codeKey: testSecret.key(for: "citizen codes"))
            _ = try await signIn.requestCode(idNumber: person.number, language: .es, address: "10.1.1.1")
            let code = try #require(try await lastCode(database, to: person.destination))
            // The database holds no hash anyone could try the million codes against without the server's key.
            let stored = try await database.read { db in
                try #require(try await db.raw("SELECT salt, code_hash FROM portal_codes ORDER BY id DESC LIMIT 1").first())
            }
            let salt = try stored.decode(column: "salt", as: String.self), hash = try stored.decode(column: "code_hash", as: String.self)
            #expect(hash == signIn.codeHash(salt: salt, code: code))
            #expect(hash != CitizenSignIn.hash(salt + code))
            #expect(hash != CitizenSignIn(database: database, codeKey: .init(size: .bits256)).codeHash(salt: salt, code: code))
            // Twenty wrong guesses side by side, from twenty addresses.
            let wrong = (0..<20).map { String(format: "%06d", (Int(code)! + 1 + $0) % 1_000_000) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, guess) in wrong.enumerated() {
                    group.addTask { _ = try await signIn.signIn(idNumber: person.number, code: guess, address: "10.2.0.\(index)") }
                }
                try await group.waitForAll()
            }
            let attempts = try await database.read { db in
                try await db.raw("SELECT attempts FROM portal_codes ORDER BY id DESC LIMIT 1").first()?.decode(column: "attempts", as: Int.self)
            }
            #expect(attempts == 5, "each guess claimed a try, and only five could")
            #expect(try await signIn.signIn(idNumber: person.number, code: code, address: "10.3.0.1") == nil, "the code is dead")
            // One address: ten requests for codes in fifteen minutes, then no more.
            var answers: [CitizenSignIn.CodeRequest] = []
            for index in 0..<11 {
                answers.append(try await signIn.requestCode(idNumber: "000\(index)", language: .es, address: "10.4.4.4"))
            }
            #expect(answers.prefix(10).allSatisfy { $0 == .unknownNumber } && answers.last == .throttled)
            #expect(try await signIn.requestCode(idNumber: "0001", language: .es, address: "10.4.4.5") == .unknownNumber)
        }
    }

    @Test("wrong, late and repeated codes, forms from elsewhere, and numbers nobody holds",
          arguments: TestDatabaseKind.allCases)
    func refusals(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 30, seed: 8))
            let person = try await citizenWithContact(database)
            let signIn = CitizenSignIn(database: database, codeKey: testSecret.key(for: "citizen codes"))
            let start = Date()

            // Late: a code lives ten minutes.
            #expect(try await signIn.requestCode(idNumber: person.number, language: .en, now: start) == .sent(person.destination.contains("@") ? .email : .sms))
            let late = try #require(try await lastCode(database, to: person.destination))
            #expect(try await signIn.signIn(idNumber: person.number, code: late, now: start.addingTimeInterval(11 * 60)) == nil)
            #expect(try await signIn.signIn(idNumber: person.number, code: late, now: start.addingTimeInterval(9 * 60)) != nil)

            // Five wrong tries kill a code, even for the right one after them.
            _ = try await signIn.requestCode(idNumber: person.number, language: .en, now: start.addingTimeInterval(60))
            let code = try #require(try await lastCode(database, to: person.destination))
            let wrong = code == "000000" ? "111111" : "000000"
            for _ in 0..<5 { #expect(try await signIn.signIn(idNumber: person.number, code: wrong, now: start.addingTimeInterval(61)) == nil) }
            #expect(try await signIn.signIn(idNumber: person.number, code: code, now: start.addingTimeInterval(62)) == nil)

            // Three codes in fifteen minutes, then no more until the window has passed.
            #expect(try await signIn.requestCode(idNumber: person.number, language: .en, now: start.addingTimeInterval(120)) == .sent(person.destination.contains("@") ? .email : .sms))
            #expect(try await signIn.requestCode(idNumber: person.number, language: .en, now: start.addingTimeInterval(180)) == .tooMany)
            #expect(try await signIn.requestCode(idNumber: person.number, language: .en, now: start.addingTimeInterval(20 * 60)) != .tooMany)
            #expect(try await signIn.requestCode(idNumber: "no-such-number", language: .en) == .unknownNumber)

            let messages = try await Outbox(database: database).waiting().count
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                // A form without the token its cookie holds is refused, as a page.
                try await client.execute(uri: "/portal/code", method: .post, headers: formType,
                                         body: form([("csrf", "forged"), ("id_number", person.number)])) { response in
                    #expect(response.status == .forbidden)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(text(response.body).contains("Este formulario venció"))
                }
                // A number nobody holds gets the same answer as one that is held, and sends nothing.
                let csrf = CitizenSignIn.newToken()
                var headers = formType
                headers[.cookie] = "\(PortalCookies.csrf)=\(csrf)"
                try await client.execute(uri: "/portal/code", method: .post, headers: headers,
                                         body: form([("csrf", csrf), ("id_number", "99999999999")])) { response in
                    #expect(response.status == .ok)
                    #expect(text(response.body).contains("Si ese número está en el registro"))
                }
                try await client.execute(uri: "/portal/code", method: .post, headers: headers,
                                         body: form([("csrf", csrf), ("id_number", " ")])) { response in
                    #expect(response.status == .badRequest)
                    #expect(text(response.body).contains("Escriba el número de su documento."))
                }
            }
            #expect(try await Outbox(database: database).waiting().count == messages)
        }
    }

    @Test("the outbox keeps a message until its carrier takes it, and tries again after a failure",
          arguments: TestDatabaseKind.allCases)
    func outbox(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 10, seed: 8))
            let person = try await citizenWithContact(database)
            _ = try await CitizenSignIn(database: database, codeKey: testSecret.key(for: "citizen codes")).requestCode(idNumber: person.number, language: .pt)
            let outbox = Outbox(database: database)
            let waiting = try await outbox.waiting()
            #expect(waiting.count == 1)
            #expect(waiting.first?.body.hasPrefix("Amparo: seu código é ") == true)
            #expect(try await outbox.deliver(through: FailingCarrier()) == 0)
            #expect(try await outbox.waiting().first?.attempts == 1)
            let carrier = KeepingCarrier()
            #expect(try await outbox.deliver(through: carrier) == 1)
            #expect(carrier.sent.map(\.destination) == [person.destination])
            #expect(try await outbox.waiting().isEmpty)
            // Once sent, the code is not kept in the outbox.
            let bodies = try await database.read { db in
                try await db.raw("SELECT body FROM outbox").all().map { try $0.decode(column: "body", as: String.self) }
            }
            #expect(bodies == [""])

            // Two senders at once (two servers on one database) send each message once.
            let numbers = try await database.read { db in
                try await db.raw("""
                    SELECT i.id_number FROM individuals i JOIN memberships m ON m.individual_id = i.id AND m.end_date IS NULL
                    JOIN households h ON h.id = m.household_id
                    WHERE i.id_number IS NOT NULL AND COALESCE(i.phone, i.email, h.phone) IS NOT NULL
                    ORDER BY i.source_ref LIMIT 12
                    """).all().map { try $0.decode(column: "id_number", as: String.self) }
            }
            for number in numbers {
                _ = try await CitizenSignIn(database: database, codeKey: testSecret.key(for: "citizen codes"))
                    .requestCode(idNumber: number, language: .es, address: "citizen-\(number)")
            }
            let waitingNow = try await outbox.waiting().count
            #expect(waitingNow >= 10)
            let both = KeepingCarrier()
            async let first = outbox.deliver(through: both)
            async let second = outbox.deliver(through: both)
            let delivered = try await first + second
            #expect(delivered == waitingNow)
            #expect(both.sent.count == waitingNow && Set(both.sent.map(\.id)).count == waitingNow)
        }
    }
}

private struct FailingCarrier: MessageCarrier {
    struct Refused: Error {}
    func send(_ message: Outbox.Message) async throws { throw Refused() }
}

private final class KeepingCarrier: MessageCarrier, @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [Outbox.Message] = []
    var sent: [Outbox.Message] { lock.withLock { kept } }
    func send(_ message: Outbox.Message) async throws { lock.withLock { kept.append(message) } }
}

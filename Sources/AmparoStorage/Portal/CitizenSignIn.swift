import Crypto
import Foundation
import SQLKit
import AmparoDomain

/// Citizens sign in to the portal with their ID document number and a one-time code sent to
/// the phone or e-mail address the registry holds for them: nothing to remember, and a
/// number alone, which many people know, opens nothing.
///
/// Codes are stored only as keyed hashes (HMAC-SHA256 under a key the server holds outside
/// the database, so that a copy of the database cannot try the million codes offline), and
/// session tokens as hashes. A code lives ten minutes, is used once, and is dead after five
/// tries, counted before each is checked so that guesses sent side by side still stop at
/// five; a new one may be asked for three times in fifteen minutes. An address may ask for
/// ten codes and make twenty wrong tries in fifteen minutes; the whole portal, a number of
/// codes a minute (`codesPerMinute`), against a flood of messages. 
/// The session is what the portal trusts, so the national digital identity (OpenID
/// Connect) opens the same session by another road: `signIn(assertedIDNumber:)`.
public struct CitizenSignIn: Sendable {
    public let database: RegistryDatabase
    public var codeLifetime: TimeInterval = 10 * 60
    public var sessionLifetime: TimeInterval = 30 * 60
    public var maximumTries = 5
    public var codesPerWindow = 3
    public var window: TimeInterval = 15 * 60
    public var codesPerAddress = 10
    public var wrongTriesPerAddress = 20
    public var codesPerMinute = 600
    /// The key of the codes' hashes.
    let codeKey: SymmetricKey

    public init(database: RegistryDatabase, codeKey: SymmetricKey) {
        self.database = database
        self.codeKey = codeKey
    }

    /// Who a portal session belongs to.
    public struct Citizen: Sendable, Equatable {
        public var individualID: UUID
        public var householdID: UUID
    }

    /// What became of a request for a code. The portal answers all of them alike, so that it
    /// cannot be used to find out who is registered.
    public enum CodeRequest: Sendable, Equatable {
        case sent(ContactChannel)
        case unknownNumber
        case noContact
        case tooMany
        /// The address, or the portal as a whole, asked for too many codes.
        case throttled
    }

    /// Makes a code for the person holding `idNumber` and puts it in the outbox, worded in `language`.
    public func requestCode(idNumber: String, language: Language, address: String = "", now: Date = Date()) async throws -> CodeRequest {
        guard try await withinLimits(address: address, now: now) else { return .throttled }
        guard let person = try await holder(of: idNumber) else { return .unknownNumber }
        guard let contact = person.contact else { return .noContact }
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000))
        let salt = Self.randomText(bytes: 16)
        let since = Timestamp.string(now.addingTimeInterval(-window))
        let created = Timestamp.string(now), expires = Timestamp.string(now.addingTimeInterval(codeLifetime))
        let body = CitizenMessage.code(code, minutes: Int(codeLifetime / 60)).text(in: language)
        let limit = codesPerWindow
        return try await database.transaction { db in
            let recent = try await db.raw("""
                SELECT COUNT(*) AS n FROM portal_codes WHERE individual_id = \(bind: person.individualID) AND created_at > \(bind: since)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard recent < limit else { return .tooMany }
            // Only the newest code counts: asking again retires the ones before it.
            try await db.raw("""
                UPDATE portal_codes SET used_at = \(bind: created) WHERE individual_id = \(bind: person.individualID) AND used_at IS NULL
                """).run()
            try await db.raw("""
                INSERT INTO portal_codes (individual_id, household_id, salt, code_hash, created_at, expires_at)
                VALUES (\(bind: person.individualID), \(bind: person.householdID), \(bind: salt), \(bind: codeHash(salt: salt, code: code)),
                        \(bind: created), \(bind: expires))
                """).run()
            try await Outbox.enqueue(contact.channel, to: contact.destination, body: body, purpose: Outbox.portalCode, on: db)
            return .sent(contact.channel)
        }
    }

    /// Checks a code and, when it is right, opens a session; returns its token, which only
    /// the citizen's browser keeps. Nil when the code is wrong, used, late or tried too often.
    public func signIn(idNumber: String, code: String, address: String = "", now: Date = Date()) async throws -> (token: String, citizen: Citizen)? {
        let typed = code.filter { !$0.isWhitespace }
        let since = Timestamp.string(now.addingTimeInterval(-window))
        let wrongTries = try await database.read { db in
            try await db.raw("""
                SELECT COUNT(*) AS n FROM sign_in_failures WHERE address = \(bind: address) AND kind = 'portal_code' AND occurred_at > \(bind: since)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        guard wrongTries < wrongTriesPerAddress else { return nil }
        guard let person = try await holder(of: idNumber) else {
            try await note("portal_code", address: address, now: now)
            return nil
        }
        let token = Self.randomText(bytes: 32)
        let moment = Timestamp.string(now), ends = Timestamp.string(now.addingTimeInterval(sessionLifetime))
        let tries = maximumTries
        // A try is counted before the code is looked at, in one statement that only succeeds
        // under the limit: twenty guesses sent side by side claim five tries between them,
        // whatever order the database runs them in.
        let claimed = try await database.transaction { db in
            try await db.raw("""
                UPDATE portal_codes SET attempts = attempts + 1
                WHERE id = (SELECT id FROM portal_codes WHERE individual_id = \(bind: person.individualID) AND used_at IS NULL
                            AND expires_at > \(bind: moment) ORDER BY id DESC LIMIT 1)
                  AND attempts < \(bind: tries) AND used_at IS NULL
                RETURNING id, household_id, salt, code_hash
                """).first()
        }
        guard let row = claimed else {
            try await note("portal_code", address: address, now: now)
            return nil
        }
        let id = try row.decode(column: "id", as: Int64.self)
        let expected = try row.decode(column: "code_hash", as: String.self)
        guard typed.count == 6, Self.same(codeHash(salt: try row.decode(column: "salt", as: String.self), code: typed), expected) else {
            try await note("portal_code", address: address, now: now)
            return nil
        }
        let household = try row.decode(column: "household_id", as: UUID.self)
        let opened: Citizen? = try await database.transaction { db in
            // Used once: of two right guesses at once, one finds it still unused.
            guard try await db.raw("""
                UPDATE portal_codes SET used_at = \(bind: moment) WHERE id = \(bind: id) AND used_at IS NULL RETURNING id
                """).first() != nil else { return nil }
            try await db.raw("""
                INSERT INTO portal_sessions (token_hash, individual_id, household_id, created_at, expires_at)
                VALUES (\(bind: Self.hash(token)), \(bind: person.individualID), \(bind: household), \(bind: moment), \(bind: ends))
                """).run()
            return Citizen(individualID: person.individualID, householdID: household)
        }
        return opened.map { (token, $0) }
    }

    /// Opens a session for the person holding an ID document number that the country's
    /// digital identity asserted (the provider checked who they are, so no code is asked
    /// for); returns its token. Nil when nobody in the registry holds the number.
    public func signIn(assertedIDNumber number: String, now: Date = Date()) async throws -> (token: String, citizen: Citizen)? {
        guard let person = try await holder(of: number) else { return nil }
        let token = Self.randomText(bytes: 32)
        let moment = Timestamp.string(now), ends = Timestamp.string(now.addingTimeInterval(sessionLifetime))
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO portal_sessions (token_hash, individual_id, household_id, created_at, expires_at)
                VALUES (\(bind: Self.hash(token)), \(bind: person.individualID), \(bind: person.householdID), \(bind: moment), \(bind: ends))
                """).run()
        }
        return (token, Citizen(individualID: person.individualID, householdID: person.householdID))
    }

    /// The citizen a session token belongs to, while it is open.
    public func citizen(session token: String, now: Date = Date()) async throws -> Citizen? {
        guard !token.isEmpty, token.count <= 100 else { return nil }
        let moment = Timestamp.string(now), hashed = Self.hash(token)
        return try await database.read { db in
            try await db.raw("""
                SELECT individual_id, household_id FROM portal_sessions
                WHERE token_hash = \(bind: hashed) AND ended_at IS NULL AND expires_at > \(bind: moment)
                """).first().map { row in
                Citizen(individualID: try row.decode(column: "individual_id", as: UUID.self),
                        householdID: try row.decode(column: "household_id", as: UUID.self))
            }
        }
    }

    /// Ends a session, so that its token opens nothing any more.
    public func signOut(session token: String, now: Date = Date()) async throws {
        let hashed = Self.hash(token), moment = Timestamp.string(now)
        try await database.transaction { db in
            try await db.raw("UPDATE portal_sessions SET ended_at = \(bind: moment) WHERE token_hash = \(bind: hashed) AND ended_at IS NULL").run()
        }
    }

    /// The person holding a document number as typed (spaces aside), with their current
    /// household and where a code can reach them: their own phone, else their e-mail, else
    /// the household's phone.
    private func holder(of typed: String) async throws -> (individualID: UUID, householdID: UUID, contact: (channel: ContactChannel, destination: String)?)? {
        let number = typed.filter { !$0.isWhitespace }
        guard !number.isEmpty, number.count <= 40 else { return nil }
        return try await database.read { db in
            // A number held twice (a duplicate not yet merged) signs in as the first registered.
            guard let row = try await db.raw("""
                SELECT i.id, m.household_id, i.phone, i.email, h.phone AS household_phone
                FROM individuals i JOIN memberships m ON m.individual_id = i.id AND m.end_date IS NULL
                JOIN households h ON h.id = m.household_id
                WHERE i.id_number = \(bind: number)
                ORDER BY i.created_at, i.id LIMIT 1
                """).first() else { return nil }
            var contact: (ContactChannel, String)?
            if let phone = try row.decode(column: "phone", as: String?.self), !phone.isEmpty {
                contact = (.sms, phone)
            } else if let email = try row.decode(column: "email", as: String?.self), !email.isEmpty {
                contact = (.email, email)
            } else if let phone = try row.decode(column: "household_phone", as: String?.self), !phone.isEmpty {
                contact = (.sms, phone)
            }
            return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "household_id", as: UUID.self),
                    contact.map { (channel: $0.0, destination: $0.1) })
        }
    }

    /// Whether the address and the portal are within their limits for codes; the request is
    /// counted against them.
    private func withinLimits(address: String, now: Date) async throws -> Bool {
        let since = Timestamp.string(now.addingTimeInterval(-window)), minute = Timestamp.string(now.addingTimeInterval(-60))
        let (byAddress, overall) = try await database.read { db in
            let byAddress = try await db.raw("""
                SELECT COUNT(*) AS n FROM sign_in_failures WHERE address = \(bind: address) AND kind = 'portal_request' AND occurred_at > \(bind: since)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            let overall = try await db.raw("""
                SELECT COUNT(*) AS n FROM sign_in_failures WHERE kind = 'portal_request' AND occurred_at > \(bind: minute)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            return (byAddress, overall)
        }
        guard byAddress < codesPerAddress, overall < codesPerMinute else { return false }
        try await note("portal_request", address: address, now: now)
        return true
    }

    private func note(_ kind: String, address: String, now: Date) async throws {
        let moment = Timestamp.string(now), address = String(address.prefix(64))
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO sign_in_failures (address, occurred_at, kind) VALUES (\(bind: address), \(bind: moment), \(bind: kind))
                """).run()
        }
    }

    public func codeHash(salt: String, code: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data((salt + code).utf8), using: codeKey).hexadecimal
    }

    public static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexadecimal
    }

    /// Compares two secrets in a time that does not depend on where they differ.
    public static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    /// A new secret for a cookie: 32 random bytes as URL-safe text.
    public static func newToken() -> String { randomText(bytes: 32) }

    /// Random bytes from the system's secure generator, as URL-safe text.
    static func randomText(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

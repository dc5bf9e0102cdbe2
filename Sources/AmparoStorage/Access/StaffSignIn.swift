import Crypto
import Foundation
import HummingbirdBcrypt
import HummingbirdOTP
import SQLKit
import AmparoDomain

/// Staff sign in with a name, a password and, where their roles ask for it, a code from
/// an authenticator app (TOTP, RFC 6238) or one of their recovery codes.
///
/// A sign-in goes through stages, each a session of its own with a new token: the password
/// opens a session that can only ask for the second factor (or enrol one); the second
/// factor replaces it with a full session. A session ends after 30 idle minutes, 12 hours
/// after it began, or at sign-out. Five wrong passwords in a row lock an account for 15
/// minutes, doubling with each further five; 20 failures from one address in 15 minutes
/// stop that address for the rest of the window. The answer to a wrong name, a wrong
/// password, a disabled or a locked account is one and the same, and takes as long.
public struct StaffSignIn: Sendable {
    public let database: RegistryDatabase
    public var idleTimeout: TimeInterval = 30 * 60
    public var absoluteTimeout: TimeInterval = 12 * 3600
    /// The time a sign-in half done may take to give its second factor.
    public var stageTimeout: TimeInterval = 10 * 60
    public var failuresBeforeLock = 5
    public var lockDuration: TimeInterval = 15 * 60
    public var failuresPerAddress = 20
    public var addressWindow: TimeInterval = 15 * 60

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// How far a session has come.
    public enum Stage: String, Sendable {
        /// The password was right; the account's second factor is asked for next.
        case secondFactor = "second_factor"
        /// The password was right; the account must enrol a second factor before anything else.
        case enrolment
        /// Signed in.
        case full
    }

    /// An open session, as the server reads it on each request.
    public struct Session: Sendable, Equatable {
        public var accountID: UUID
        public var accountName: String
        public var stage: Stage
        /// The token the session's forms repeat.
        public var csrf: String
    }

    /// A bcrypt hash of a random text nobody knows, at the cost of service: checked against
    /// when the name is unknown, so that the answer takes as long as for a real account.
    private static let decoyHash = Bcrypt.hash(newSecret(), cost: 12)

    /// Checks a name and a password from `address`; opens a session at the stage the account
    /// needs next and returns its token, or nil (for every kind of refusal alike).
    public func signIn(name: String, password: String, address: String, now: Date = Date()) async throws -> (token: String, stage: Stage)? {
        let moment = Timestamp.string(now)
        let since = Timestamp.string(now.addingTimeInterval(-addressWindow))
        let address = String(address.prefix(64))
        let recentFailures = try await database.read { db in
            try await db.raw("""
                SELECT COUNT(*) AS n FROM sign_in_failures WHERE address = \(bind: address) AND kind = 'staff' AND occurred_at > \(bind: since)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let row = try await database.read { db in
            try await db.raw("""
                SELECT id, password_hash, locked_until, disabled_at, failed_attempts FROM staff_accounts WHERE name = \(bind: name)
                """).first()
        }
        let hash = try row?.decode(column: "password_hash", as: String.self) ?? Self.decoyHash
        let passwordRight = try await StaffAccounts.verifyPassword(String(password.prefix(200)), hash: hash)
        guard let row, recentFailures < failuresPerAddress else {
            try await recordFailure(account: nil, address: address, moment: moment, now: now)
            return nil
        }
        let id = try row.decode(column: "id", as: UUID.self)
        let locked = try row.decode(column: "locked_until", as: String?.self).map { $0 > moment } ?? false
        let disabled = try row.decode(column: "disabled_at", as: String?.self) != nil
        guard passwordRight, !locked, !disabled else {
            try await recordFailure(account: passwordRight || locked ? nil : id, address: address, moment: moment, now: now)
            return nil
        }
        // An account that has a second factor always gives it; one that needs one and has
        // none enrols it before anything else.
        let stage: Stage = try await hasSecondFactor(id) ? .secondFactor
            : try await StaffAccounts(database: database).needsSecondFactor(id) ? .enrolment : .full
        try await database.transaction { db in
            try await db.raw("UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL WHERE id = \(bind: id)").run()
        }
        let token = try await open(account: id, stage: stage, address: address, now: now)
        return (token, stage)
    }

    /// Opens a full session for an account that proved who it is elsewhere: the country's
    /// digital identity, whose sign-in stands in for both the password and the second
    /// factor (the provider asks for its own factors, and the account was bound to its
    /// subject by an administrator). Returns its token.
    public func openFullSession(account: UUID, address: String, now: Date = Date()) async throws -> String {
        try await open(account: account, stage: .full, address: address, now: now)
    }

    /// The session a token opens, while it is open; a full session's idle time starts again.
    public func session(token: String, now: Date = Date()) async throws -> Session? {
        guard (20...100).contains(token.count) else { return nil }
        let hashed = Self.hash(token), moment = Timestamp.string(now)
        let idleSince = Timestamp.string(now.addingTimeInterval(-idleTimeout))
        guard let row = try await database.read({ db in
            try await db.raw("""
                SELECT s.account_id, s.stage, s.csrf, s.last_seen_at, a.name FROM staff_sessions s
                JOIN staff_accounts a ON a.id = s.account_id
                WHERE s.token_hash = \(bind: hashed) AND s.ended_at IS NULL AND s.expires_at > \(bind: moment)
                  AND s.last_seen_at > \(bind: idleSince) AND a.disabled_at IS NULL
                """).first()
        }) else { return nil }
        guard let stage = Stage(rawValue: try row.decode(column: "stage", as: String.self)) else { return nil }
        // The idle clock is moved on at most once a minute, not written on every request.
        let lastSeen = try row.decode(column: "last_seen_at", as: String.self)
        if lastSeen < Timestamp.string(now.addingTimeInterval(-60)) {
            try await database.transaction { db in
                try await db.raw("UPDATE staff_sessions SET last_seen_at = \(bind: moment) WHERE token_hash = \(bind: hashed)").run()
            }
        }
        return Session(accountID: try row.decode(column: "account_id", as: UUID.self),
                       accountName: try row.decode(column: "name", as: String.self),
                       stage: stage, csrf: try row.decode(column: "csrf", as: String.self))
    }

    /// Ends a session on the server: its token opens nothing any more.
    public func signOut(token: String, now: Date = Date()) async throws {
        let hashed = Self.hash(token), moment = Timestamp.string(now)
        try await database.transaction { db in
            try await db.raw("UPDATE staff_sessions SET ended_at = \(bind: moment) WHERE token_hash = \(bind: hashed) AND ended_at IS NULL").run()
        }
    }

    // MARK: The second factor

    /// What enrolment shows: the secret for an authenticator app, as an `otpauth://` URI and
    /// as base32 text to type.
    public struct Enrolment: Sendable, Equatable {
        public var uri: String
        public var secret: String
    }

    /// The secret an account enrols, made on first asking and kept until confirmed.
    public func enrolment(of account: UUID, issuer: String = "Amparo") async throws -> Enrolment {
        let secret: String = try await database.transaction { db in
            let row = try await db.raw("SELECT name, totp_secret FROM staff_accounts WHERE id = \(bind: account)").first()
            if let kept = try row?.decode(column: "totp_secret", as: String?.self) { return kept }
            let made = Self.newTOTPSecret()
            try await db.raw("UPDATE staff_accounts SET totp_secret = \(bind: made) WHERE id = \(bind: account) AND totp_confirmed_at IS NULL").run()
            return made
        }
        let name = try await database.read { db in
            try await db.raw("SELECT name FROM staff_accounts WHERE id = \(bind: account)").first()?.decode(column: "name", as: String.self)
        } ?? ""
        let totp = TOTP(secret: secret)
        return Enrolment(uri: totp.createAuthenticatorURL(label: "\(issuer):\(name)", issuer: issuer),
                         secret: Base32.encode(Array(secret.utf8)))
    }

    /// Confirms enrolment with a first code from the app; returns ten recovery codes, shown
    /// once, and replaces the session with a full one. Nil when the code is wrong.
    public func confirmEnrolment(token: String, code: String, address: String, now: Date = Date()) async throws -> (token: String, recoveryCodes: [String])? {
        guard let session = try await session(token: token, now: now), session.stage == .enrolment else { return nil }
        guard try await acceptCode(code, account: session.accountID, now: now, confirming: true) else { return nil }
        let codes = (0..<10).map { _ in Self.newRecoveryCode() }
        try await database.transaction { db in
            try await db.raw("DELETE FROM staff_recovery_codes WHERE account_id = \(bind: session.accountID)").run()
            for code in codes {
                try await db.raw("""
                    INSERT INTO staff_recovery_codes (account_id, code_hash) VALUES (\(bind: session.accountID), \(bind: Self.hash(Self.normalisedRecoveryCode(code))))
                    """).run()
            }
        }
        let full = try await advance(token: token, account: session.accountID, address: address, now: now)
        return (full, codes)
    }

    /// Checks the second factor of a session half signed in: a code from the app, or an
    /// unused recovery code. Returns the full session's new token, or nil.
    public func secondFactor(token: String, code: String, address: String, now: Date = Date()) async throws -> String? {
        guard let session = try await session(token: token, now: now), session.stage == .secondFactor else { return nil }
        let digits = code.filter { !$0.isWhitespace }
        let accepted = digits.count == 6 ? try await acceptCode(digits, account: session.accountID, now: now, confirming: false)
            : try await useRecoveryCode(digits, account: session.accountID, now: now)
        guard accepted else {
            try await recordFailure(account: session.accountID, address: String(address.prefix(64)), moment: Timestamp.string(now), now: now)
            return nil
        }
        return try await advance(token: token, account: session.accountID, address: address, now: now)
    }

    /// Whether a six-digit code is the app's for this moment (or the step either side, for a
    /// clock a little off) and newer than the last one used: a code is good once.
    private func acceptCode(_ code: String, account: UUID, now: Date, confirming: Bool) async throws -> Bool {
        guard code.count == 6, let typed = Int(code) else { return false }
        return try await database.transaction { db in
            guard let row = try await db.raw("""
                SELECT totp_secret, totp_confirmed_at, totp_last_step FROM staff_accounts WHERE id = \(bind: account)
                """).first(), let secret = try row.decode(column: "totp_secret", as: String?.self) else { return false }
            let confirmed = try row.decode(column: "totp_confirmed_at", as: String?.self) != nil
            guard confirmed != confirming else { return false }
            let last = try row.decode(column: "totp_last_step", as: Int64?.self) ?? -1
            let totp = TOTP(secret: secret)
            let step = Int64(now.timeIntervalSince1970 / 30)
            guard let matched = [step - 1, step, step + 1].first(where: { candidate in
                candidate > last && totp.compute(date: Date(timeIntervalSince1970: Double(candidate) * 30)) == typed
            }) else { return false }
            let moment = Timestamp.string(now)
            // The step is stored only if no other request stored it or a later one first.
            try await db.raw("""
                UPDATE staff_accounts SET totp_last_step = \(bind: matched),
                    totp_confirmed_at = COALESCE(totp_confirmed_at, \(bind: moment))
                WHERE id = \(bind: account) AND (totp_last_step IS NULL OR totp_last_step < \(bind: matched))
                """).run()
            let stored = try await db.raw("SELECT totp_last_step FROM staff_accounts WHERE id = \(bind: account)").first()?
                .decode(column: "totp_last_step", as: Int64?.self)
            return stored == matched && matched > last
        }
    }

    private func useRecoveryCode(_ code: String, account: UUID, now: Date) async throws -> Bool {
        let hashed = Self.hash(Self.normalisedRecoveryCode(code)), moment = Timestamp.string(now)
        return try await database.transaction { db in
            guard try await db.raw("""
                SELECT code_hash FROM staff_recovery_codes WHERE account_id = \(bind: account) AND code_hash = \(bind: hashed) AND used_at IS NULL
                """).first() != nil else { return false }
            try await db.raw("""
                UPDATE staff_recovery_codes SET used_at = \(bind: moment) WHERE account_id = \(bind: account) AND code_hash = \(bind: hashed)
                """).run()
            return true
        }
    }

    private func hasSecondFactor(_ account: UUID) async throws -> Bool {
        try await database.read { db in
            try await db.raw("SELECT totp_confirmed_at FROM staff_accounts WHERE id = \(bind: account)").first()?
                .decode(column: "totp_confirmed_at", as: String?.self) != nil
        }
    }

    /// Ends a half-done session and opens a full one under a new token.
    private func advance(token: String, account: UUID, address: String, now: Date) async throws -> String {
        try await signOut(token: token, now: now)
        return try await open(account: account, stage: .full, address: address, now: now)
    }

    private func open(account: UUID, stage: Stage, address: String, now: Date) async throws -> String {
        let token = Self.newSecret(), csrf = Self.newSecret()
        let moment = Timestamp.string(now)
        let expires = Timestamp.string(now.addingTimeInterval(stage == .full ? absoluteTimeout : stageTimeout))
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO staff_sessions (token_hash, account_id, stage, csrf, address, created_at, last_seen_at, expires_at)
                VALUES (\(bind: Self.hash(token)), \(bind: account), \(bind: stage.rawValue), \(bind: csrf), \(bind: String(address.prefix(64))),
                        \(bind: moment), \(bind: moment), \(bind: expires))
                """).run()
        }
        return token
    }

    /// Counts a failure against the address and, when the account is known, the account,
    /// locking it once too many come in a row.
    private func recordFailure(account: UUID?, address: String, moment: String, now: Date) async throws {
        let threshold = failuresBeforeLock, base = lockDuration
        try await database.transaction { db in
            try await db.raw("INSERT INTO sign_in_failures (address, occurred_at) VALUES (\(bind: address), \(bind: moment))").run()
            guard let account else { return }
            try await db.raw("UPDATE staff_accounts SET failed_attempts = failed_attempts + 1 WHERE id = \(bind: account)").run()
            let failures = try await db.raw("SELECT failed_attempts FROM staff_accounts WHERE id = \(bind: account)").first()?
                .decode(column: "failed_attempts", as: Int.self) ?? 0
            if failures >= threshold, failures % threshold == 0 {
                let doubling = min(failures / threshold - 1, 6)
                let until = Timestamp.string(now.addingTimeInterval(base * Double(1 << doubling)))
                try await db.raw("UPDATE staff_accounts SET locked_until = \(bind: until) WHERE id = \(bind: account)").run()
            }
        }
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexadecimal
    }

    static func newSecret() -> String { CitizenSignIn.newToken() }

    /// 20 random characters of base32's alphabet: HummingbirdOTP keys its HMAC with the
    /// secret's bytes, so the text itself is the key (100 bits).
    static func newTOTPSecret() -> String {
        String((0..<20).map { _ in Base32.alphabet.randomElement()! })
    }

    /// Ten characters in two groups, `k7mq2-x9prd`, from an alphabet without 0/O and 1/l.
    static func newRecoveryCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        let chars = (0..<10).map { _ in alphabet.randomElement()! }
        return String(chars[0..<5]) + "-" + String(chars[5..<10])
    }

    static func normalisedRecoveryCode(_ code: String) -> String {
        code.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}

/// RFC 4648 base32, as authenticator apps take a secret.
enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    static func encode(_ bytes: [UInt8]) -> String {
        var output = "", buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }
}

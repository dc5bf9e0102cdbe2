import Crypto
import Foundation
import SQLKit
import AmparoDomain

/// The sign-ins through the country's digital identity under way, kept on the server between
/// the browser leaving for the provider and its coming back: the state, the nonce and PKCE's
/// code verifier (RFC 7636), each random, for ten minutes, and good once.
///
/// The state is kept as a hash (it travels in addresses, which proxies log); so is the
/// browser's own token, kept in a cookie, so that a callback address made in one browser
/// signs nobody in in another (a "login CSRF": someone's code planted in your browser).
public struct OpenIDRequests: Sendable {
    public let database: RegistryDatabase
    public var lifetime: TimeInterval = 10 * 60

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// What the provider is sent: the state and nonce it must give back, and the S256
    /// challenge of the verifier that stays here; and the token the browser keeps.
    public struct Started: Sendable, Equatable {
        public var state: String
        public var nonce: String
        public var codeChallenge: String
        public var browser: String
    }

    /// A sign-in under way, as the callback finds it.
    public struct Pending: Sendable, Equatable {
        public var purpose: OpenIDPurpose
        public var nonce: String
        public var codeVerifier: String
    }

    /// What a callback's state turned out to be.
    public enum Claim: Sendable, Equatable {
        /// Under way, now used: the one time it counts.
        case fresh(Pending)
        /// Known, but used already, expired, or begun in another browser.
        case spent(OpenIDPurpose)
    }

    /// Begins a sign-in for `purpose`; sign-ins a day past their end are forgotten on the way.
    public func start(purpose: OpenIDPurpose, now: Date = Date()) async throws -> Started {
        let state = CitizenSignIn.newToken(), nonce = CitizenSignIn.newToken(), verifier = CitizenSignIn.newToken()
        let browser = CitizenSignIn.newToken()
        let created = Timestamp.string(now), expires = Timestamp.string(now.addingTimeInterval(lifetime))
        let forgotten = Timestamp.string(now.addingTimeInterval(-24 * 3600))
        try await database.transaction { db in
            try await db.raw("DELETE FROM oidc_requests WHERE expires_at < \(bind: forgotten)").run()
            try await db.raw("""
                INSERT INTO oidc_requests (state_hash, browser_hash, nonce, code_verifier, purpose, created_at, expires_at)
                VALUES (\(bind: CitizenSignIn.hash(state)), \(bind: CitizenSignIn.hash(browser)), \(bind: nonce), \(bind: verifier),
                        \(bind: purpose.rawValue), \(bind: created), \(bind: expires))
                """).run()
        }
        return Started(state: state, nonce: nonce, codeChallenge: Self.challenge(verifier), browser: browser)
    }

    /// Uses the sign-in a callback's `state` names, once; `browser` is the token the cookie
    /// of the callback's browser holds. Nil for a state nobody gave out.
    public func claim(state: String, browser: String?, now: Date = Date()) async throws -> Claim? {
        guard (20...100).contains(state.count) else { return nil }
        let hashed = CitizenSignIn.hash(state), moment = Timestamp.string(now)
        let browserHash = browser.map(CitizenSignIn.hash) ?? ""
        return try await database.transaction { db -> Claim? in
            // One statement marks it used and reads it, so that two callbacks racing with the
            // same state cannot both find it unused.
            if let row = try await db.raw("""
                UPDATE oidc_requests SET used_at = \(bind: moment)
                WHERE state_hash = \(bind: hashed) AND used_at IS NULL AND expires_at > \(bind: moment)
                RETURNING browser_hash, nonce, code_verifier, purpose
                """).first() {
                guard let purpose = OpenIDPurpose(rawValue: try row.decode(column: "purpose", as: String.self)) else { return nil }
                // A state from another browser is used up all the same: it was seen by someone it was not given to.
                guard CitizenSignIn.same(try row.decode(column: "browser_hash", as: String.self), browserHash) else { return .spent(purpose) }
                return .fresh(Pending(purpose: purpose, nonce: try row.decode(column: "nonce", as: String.self),
                                      codeVerifier: try row.decode(column: "code_verifier", as: String.self)))
            }
            guard let row = try await db.raw("SELECT purpose FROM oidc_requests WHERE state_hash = \(bind: hashed)").first(),
                  let purpose = OpenIDPurpose(rawValue: try row.decode(column: "purpose", as: String.self)) else { return nil }
            return .spent(purpose)
        }
    }

    /// PKCE's S256 challenge: the verifier's SHA-256, base64url without padding (RFC 7636 §4.2).
    public static func challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

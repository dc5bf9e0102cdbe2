import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import SQLKit
import AmparoDomain

/// The staff accounts: made, listed, disabled (never deleted, so the audit keeps its
/// actors) and given a new password, from the command line or the back office.
public struct StaffAccounts: Sendable {
    public let database: RegistryDatabase
    /// bcrypt's cost: 12 (a quarter second) in service; tests may lower it.
    public var passwordCost: UInt8 = 12

    public init(database: RegistryDatabase, passwordCost: UInt8 = 12) {
        self.database = database
        self.passwordCost = passwordCost
    }

    /// One account as listed.
    public struct Account: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var roles: [RoleInArea]
        public var secondFactor: Bool
        public var disabled: Bool
    }

    /// A role held in an area, named by its code (`*` for the whole country).
    public struct RoleInArea: Sendable, Equatable, Hashable {
        public var role: StaffRole
        public var areaCode: String

        public init(_ role: StaffRole, _ areaCode: String) {
            self.role = role
            self.areaCode = areaCode
        }
    }

    /// Why an account could not be made or changed.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case nameTaken(String)
        case badName(String)
        case unknownArea(String)
        case noRoles
        case weakPassword
        case unknownAccount(String)
        case subjectBound(String)

        public var description: String {
            switch self {
            case .nameTaken(let name): "an account named \(name) exists already"
            case .badName(let name): "\"\(name)\" is not an account name: 2 to 60 letters, digits, '.', '_' or '-'"
            case .unknownArea(let code): "no area has the code \(code)"
            case .noRoles: "an account needs at least one role in one area"
            case .weakPassword: "a password needs at least 12 characters"
            case .unknownAccount(let name): "no account is named \(name)"
            case .subjectBound(let name): "that subject of that provider is bound to the account \(name) already"
            }
        }
    }

    public static let wholeCountryCode = "*"

    /// Makes an account with a password and its roles.
    @discardableResult
    public func add(name: String, password: String, roles: [RoleInArea], now: Date = Date()) async throws -> UUID {
        guard Self.validName(name) else { throw Refusal.badName(name) }
        guard !roles.isEmpty else { throw Refusal.noRoles }
        guard password.count >= 12 else { throw Refusal.weakPassword }
        let paths = try await areaPaths(Set(roles.map(\.areaCode)))
        let hash = try await Self.hashPassword(password, cost: passwordCost)
        let id = UUID(), created = Timestamp.string(now)
        try await database.transaction { db in
            if try await db.raw("SELECT id FROM staff_accounts WHERE name = \(bind: name)").first() != nil {
                throw Refusal.nameTaken(name)
            }
            try await db.raw("""
                INSERT INTO staff_accounts (id, name, password_hash, created_at)
                VALUES (\(bind: id), \(bind: name), \(bind: hash), \(bind: created))
                """).run()
            for role in Set(roles) {
                try await db.raw("""
                    INSERT INTO staff_roles (account_id, role, area_code, area_path)
                    VALUES (\(bind: id), \(bind: role.role.rawValue), \(bind: role.areaCode), \(bind: paths[role.areaCode] ?? "/"))
                    """).run()
            }
        }
        return id
    }

    /// Every account, by name.
    public func list() async throws -> [Account] {
        try await database.read { db in
            let rows = try await db.raw("""
                SELECT a.id, a.name, a.totp_confirmed_at, a.disabled_at, r.role, r.area_code
                FROM staff_accounts a LEFT JOIN staff_roles r ON r.account_id = a.id ORDER BY a.name, r.role, r.area_code
                """).all()
            var accounts: [Account] = []
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                if accounts.last?.id != id {
                    accounts.append(Account(id: id, name: try row.decode(column: "name", as: String.self), roles: [],
                                            secondFactor: try row.decode(column: "totp_confirmed_at", as: String?.self) != nil,
                                            disabled: try row.decode(column: "disabled_at", as: String?.self) != nil))
                }
                if let role = try row.decode(column: "role", as: String?.self).flatMap(StaffRole.init(rawValue:)) {
                    accounts[accounts.count - 1].roles.append(RoleInArea(role, try row.decode(column: "area_code", as: String.self)))
                }
            }
            return accounts
        }
    }

    /// Disables an account and ends its sessions; it stays, so that the audit keeps its actor.
    public func disable(name: String, now: Date = Date()) async throws {
        let moment = Timestamp.string(now)
        try await database.transaction { db in
            let id = try await Self.accountID(name, on: db)
            try await db.raw("UPDATE staff_accounts SET disabled_at = \(bind: moment) WHERE id = \(bind: id) AND disabled_at IS NULL").run()
            try await db.raw("UPDATE staff_sessions SET ended_at = \(bind: moment) WHERE account_id = \(bind: id) AND ended_at IS NULL").run()
        }
    }

    /// Gives an account a new password, lifts its lockout, and takes its second factor away so
    /// that it enrols a new one at its next sign-in (a reset is for a lost password or a lost
    /// phone); its open sessions end.
    public func reset(name: String, password: String, now: Date = Date()) async throws {
        guard password.count >= 12 else { throw Refusal.weakPassword }
        let hash = try await Self.hashPassword(password, cost: passwordCost)
        let moment = Timestamp.string(now)
        try await database.transaction { db in
            let id = try await Self.accountID(name, on: db)
            try await db.raw("""
                UPDATE staff_accounts SET password_hash = \(bind: hash), totp_secret = NULL, totp_confirmed_at = NULL,
                    totp_last_step = NULL, failed_attempts = 0, locked_until = NULL, disabled_at = NULL
                WHERE id = \(bind: id)
                """).run()
            try await db.raw("DELETE FROM staff_recovery_codes WHERE account_id = \(bind: id)").run()
            try await db.raw("UPDATE staff_sessions SET ended_at = \(bind: moment) WHERE account_id = \(bind: id) AND ended_at IS NULL").run()
        }
    }

    /// Binds an account to a subject of an OpenID Connect provider, so that it may sign in there.
    public func bind(name: String, issuer: String, subject: String) async throws {
        try await database.transaction { db in
            let id = try await Self.accountID(name, on: db)
            if let other = try await db.raw("""
                SELECT name FROM staff_accounts WHERE oidc_issuer = \(bind: issuer) AND oidc_subject = \(bind: subject) AND id <> \(bind: id)
                """).first() {
                throw Refusal.subjectBound(try other.decode(column: "name", as: String.self))
            }
            try await db.raw("""
                UPDATE staff_accounts SET oidc_issuer = \(bind: issuer), oidc_subject = \(bind: subject) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// The account bound to a provider's subject, unless it is disabled. A lockout for wrong
    /// passwords does not stop it: the provider's sign-in uses no password.
    public func bound(issuer: String, subject: String) async throws -> (id: UUID, name: String)? {
        guard !subject.isEmpty, subject.count <= 255, issuer.count <= 2000 else { return nil }
        return try await database.read { db in
            try await db.raw("""
                SELECT id, name FROM staff_accounts
                WHERE oidc_issuer = \(bind: issuer) AND oidc_subject = \(bind: subject) AND disabled_at IS NULL
                """).first().map { row in
                (id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self))
            }
        }
    }

    /// The account's roles as grants, each in its area's path.
    public func grants(of account: UUID) async throws -> [Grant] {
        try await database.read { db in
            try await db.raw("SELECT role, area_path FROM staff_roles WHERE account_id = \(bind: account)").all().compactMap { row in
                guard let role = StaffRole(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
                return Grant(role: role, areaPath: try row.decode(column: "area_path", as: String.self))
            }
        }
    }

    /// Whether the account must use a second factor: a role that changes data, or one held
    /// above a municipality.
    public func needsSecondFactor(_ account: UUID) async throws -> Bool {
        let levels = try await database.read { db in
            try await db.raw("""
                SELECT r.role, a.level FROM staff_roles r LEFT JOIN areas a ON a.code = r.area_code WHERE r.account_id = \(bind: account)
                """).all().compactMap { row -> (role: StaffRole, areaLevel: AreaLevel)? in
                guard let role = StaffRole(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
                // The whole country, or an area whose level is not one of the five, counts as above a municipality.
                let level = try row.decode(column: "level", as: String?.self).flatMap(AreaLevel.init(rawValue:)) ?? .country
                return (role, level)
            }
        }
        return SecondFactorRule.required(roles: levels)
    }

    /// The paths of the areas named, or the first unknown code.
    private func areaPaths(_ codes: Set<String>) async throws -> [String: String] {
        var paths: [String: String] = [Self.wholeCountryCode: Grant.wholeCountry]
        let wanted = codes.subtracting([Self.wholeCountryCode]).sorted()
        guard !wanted.isEmpty else { return paths }
        let rows = try await database.read { db in
            try await db.raw("SELECT code, path FROM areas WHERE code IN (\(binds: wanted))").all()
        }
        for row in rows { paths[try row.decode(column: "code", as: String.self)] = try row.decode(column: "path", as: String.self) }
        if let missing = wanted.first(where: { paths[$0] == nil }) { throw Refusal.unknownArea(missing) }
        return paths
    }

    static func accountID(_ name: String, on db: any SQLDatabase) async throws -> UUID {
        guard let row = try await db.raw("SELECT id FROM staff_accounts WHERE name = \(bind: name)").first() else {
            throw Refusal.unknownAccount(name)
        }
        return try row.decode(column: "id", as: UUID.self)
    }

    static func validName(_ name: String) -> Bool {
        (2...60).contains(name.count) && name.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0))) || "._-".unicodeScalars.contains($0)
        }
    }

    /// bcrypt, on NIO's thread pool: a quarter second of CPU must not hold up the event loops.
    static func hashPassword(_ password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    static func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

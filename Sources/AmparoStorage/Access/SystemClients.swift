import Crypto
import Foundation
import SQLKit
import AmparoDomain

/// The systems that call the API with OAuth2 client credentials (RFC 6749 §4.4): each has
/// scopes and areas, and a secret shown once and kept only as a hash.
public struct SystemClients: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// A client as authenticated: who it is and what it may do where.
    public struct Client: Sendable, Equatable {
        public var id: String
        public var name: String
        public var scopes: [ClientScope]
        public var areaPaths: [String]

        public init(id: String, name: String, scopes: [ClientScope], areaPaths: [String]) {
            self.id = id
            self.name = name
            self.scopes = scopes
            self.areaPaths = areaPaths
        }

        public var grants: [Grant] {
            scopes.flatMap { scope in areaPaths.map { Grant(scope: scope, areaPath: $0) } }
        }
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case nameTaken(String)
        case badName(String)
        case unknownArea(String)
        case unknownScope(String)
        case noScopes
        case noAreas

        public var description: String {
            switch self {
            case .nameTaken(let name): "a client named \(name) exists already"
            case .badName(let name): "\"\(name)\" is not a client name: 2 to 60 letters, digits, '.', '_' or '-'"
            case .unknownArea(let code): "no area has the code \(code)"
            case .unknownScope(let scope): "\(scope) is not a scope; the scopes are \(ClientScope.allCases.map(\.rawValue).joined(separator: ", "))"
            case .noScopes: "a client needs at least one scope"
            case .noAreas: "a client needs at least one area (* for the whole country)"
            }
        }
    }

    /// Makes a client; returns its id and its secret, which is not kept and cannot be shown again.
    public func add(name: String, scopes: [String], areas: [String], now: Date = Date()) async throws -> (id: String, secret: String) {
        guard StaffAccounts.validName(name) else { throw Refusal.badName(name) }
        guard !scopes.isEmpty else { throw Refusal.noScopes }
        guard !areas.isEmpty else { throw Refusal.noAreas }
        let parsed = try scopes.map { text in
            guard let scope = ClientScope(rawValue: text) else { throw Refusal.unknownScope(text) }
            return scope
        }
        var paths: [String: String] = [:]
        for code in Set(areas) {
            if code == StaffAccounts.wholeCountryCode { paths[code] = Grant.wholeCountry; continue }
            guard let area = try await AreaRepository(database: database).find(code: code) else { throw Refusal.unknownArea(code) }
            paths[code] = area.path
        }
        let id = "amparo-" + CitizenSignIn.randomText(bytes: 12), secret = CitizenSignIn.randomText(bytes: 32)
        let created = Timestamp.string(now)
        let scopeText = Set(parsed).map(\.rawValue).sorted().joined(separator: " ")
        let areaPaths = paths
        try await database.transaction { db in
            if try await db.raw("SELECT id FROM api_clients WHERE name = \(bind: name)").first() != nil { throw Refusal.nameTaken(name) }
            try await db.raw("""
                INSERT INTO api_clients (id, name, secret_hash, scopes, created_at)
                VALUES (\(bind: id), \(bind: name), \(bind: StaffSignIn.hash(secret)), \(bind: scopeText), \(bind: created))
                """).run()
            for (code, path) in areaPaths {
                try await db.raw("""
                    INSERT INTO api_client_areas (client_id, area_code, area_path) VALUES (\(bind: id), \(bind: code), \(bind: path))
                    """).run()
            }
        }
        return (id, secret)
    }

    /// The client these credentials are, if they are right and it is not disabled.
    public func authenticate(id: String, secret: String) async throws -> Client? {
        guard (1...100).contains(id.count), (1...200).contains(secret.count) else { return nil }
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT c.name, c.secret_hash, c.scopes, a.area_path FROM api_clients c
                JOIN api_client_areas a ON a.client_id = c.id
                WHERE c.id = \(bind: id) AND c.disabled_at IS NULL
                """).all()
        }
        // The secret is compared even when no client has the id, so both take as long.
        let kept = try rows.first?.decode(column: "secret_hash", as: String.self) ?? String(repeating: "0", count: 64)
        guard CitizenSignIn.same(StaffSignIn.hash(secret), kept), let first = rows.first else { return nil }
        return Client(id: id, name: try first.decode(column: "name", as: String.self),
                      scopes: try first.decode(column: "scopes", as: String.self).split(separator: " ").compactMap { ClientScope(rawValue: String($0)) },
                      areaPaths: try rows.map { try $0.decode(column: "area_path", as: String.self) }.sorted())
    }

    /// Disables a client: its secret takes no more tokens (those it has run out within minutes).
    public func disable(name: String, now: Date = Date()) async throws {
        let moment = Timestamp.string(now)
        try await database.transaction { db in
            try await db.raw("UPDATE api_clients SET disabled_at = \(bind: moment) WHERE name = \(bind: name) AND disabled_at IS NULL").run()
        }
    }
}

import AmparoDomain
import AmparoStorage
import Foundation
import JWTKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The country's digital identity as Amparo reaches it over HTTP: where its endpoints are
/// (its discovery document, fetched on first use and kept for a day), the keys its ID tokens
/// are signed with (its JWKS, fetched again once when a token names a key not yet seen, as
/// after the provider rotates its keys), the code exchanged for an ID token at its token
/// endpoint, and that token checked: its signature, issuer, audience, expiry and nonce.
actor DigitalIdentity {
    let provider: OpenIDProvider
    private let session: URLSession
    private var metadata: (endpoints: Endpoints, fetchedAt: Date)?
    private var keys: (collection: JWTKeyCollection, ids: Set<String>, fetchedAt: Date)?
    /// How long discovery is trusted before it is read again.
    private let metadataLifetime: TimeInterval = 24 * 3600
    /// A token naming an unknown key fetches the keys again at most this often, so that
    /// tokens with made-up key ids cannot make Amparo hammer the provider.
    private let keyRefetchInterval: TimeInterval

    init(provider: OpenIDProvider, keyRefetchInterval: TimeInterval = 30) {
        self.provider = provider
        self.keyRefetchInterval = keyRefetchInterval
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.timeoutIntervalForResource = 20
        session = URLSession(configuration: configuration)
    }

    /// The endpoints discovery names (OpenID Connect Discovery 1.0, §3).
    struct Endpoints: Decodable, Sendable {
        var issuer: String
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
        }
    }

    /// What a checked ID token says about the person: the provider's subject, and the ID
    /// document number in the configured claim when there is one.
    struct Identity: Sendable, Equatable {
        var subject: String
        var idNumber: String?
    }

    /// Why a sign-in through the provider failed. The reason goes to the server's log (it
    /// holds nothing personal); the person is shown the same refusal for all of them.
    enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The provider could not be reached, or answered what is not its discovery document or keys.
        case provider(url: String, reason: String)
        /// The token endpoint refused the code (RFC 6749 §5.2's error code, when it gave one).
        case tokenRefused(status: Int, error: String)
        case noIDToken
        case badSignature
        case unknownKey
        case wrongIssuer
        case wrongAudience
        case expired
        case wrongNonce

        var reason: String {
            switch self {
            case .provider: "provider_unavailable"
            case .tokenRefused: "code_refused"
            case .noIDToken: "no_id_token"
            case .badSignature: "bad_signature"
            case .unknownKey: "unknown_key"
            case .wrongIssuer: "wrong_issuer"
            case .wrongAudience: "wrong_audience"
            case .expired: "expired"
            case .wrongNonce: "wrong_nonce"
            }
        }

        var description: String {
            switch self {
            case .provider(let url, let reason): "the identity provider at \(url): \(reason)"
            case .tokenRefused(let status, let error): "the identity provider's token endpoint answered \(status) \(error)"
            default: "the identity provider's ID token: \(reason)"
            }
        }
    }

    /// Where to send the browser: the provider's authorization endpoint, asking for a code
    /// (with PKCE's S256 challenge) and an ID token carrying `nonce`.
    func authorizationURL(state: String, nonce: String, codeChallenge: String) async throws -> URL {
        let endpoint = try await endpoints().authorizationEndpoint
        guard var components = URLComponents(string: endpoint) else {
            throw Failure.provider(url: provider.discoveryURL, reason: "authorization_endpoint is not a URL")
        }
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: provider.clientID),
            URLQueryItem(name: "redirect_uri", value: provider.redirectURI),
            URLQueryItem(name: "scope", value: "openid"),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: codeChallenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        guard let url = components.url else { throw Failure.provider(url: endpoint, reason: "authorization_endpoint is not a URL") }
        return url
    }

    /// Exchanges a code at the token endpoint (the client authenticated with HTTP Basic,
    /// `client_secret_basic`) and checks the ID token that comes back against `nonce`.
    func signIn(code: String, codeVerifier: String, nonce: String) async throws -> Identity {
        let endpoint = try await endpoints().tokenEndpoint
        guard let url = URL(string: endpoint) else { throw Failure.provider(url: endpoint, reason: "token_endpoint is not a URL") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined.
        let credentials = Self.formEncoded(provider.clientID) + ":" + Self.formEncoded(provider.clientSecret)
        request.setValue("Basic " + Data(credentials.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        request.httpBody = Data([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", provider.redirectURI), ("code_verifier", codeVerifier),
        ].map { "\($0.0)=\(Self.formEncoded($0.1))" }.joined(separator: "&").utf8)
        let (data, status) = try await fetch(request)
        let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        guard status == 200 else {
            throw Failure.tokenRefused(status: status, error: String((body?["error"] as? String ?? "").prefix(64)))
        }
        guard let idToken = body?["id_token"] as? String, idToken.count < 16_384 else { throw Failure.noIDToken }
        return try await verify(idToken: idToken, nonce: nonce)
    }

    /// What an ID token must say (OpenID Connect Core 1.0, §2 and §3.1.3.7).
    struct IDToken: JWTIdentityToken {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var nonce: String?

        var audience: AudienceClaim { aud }

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try exp.verifyNotExpired()
        }
    }

    /// Checks an ID token: signed by one of the provider's keys, issued by it, for Amparo
    /// (jwt-kit also refuses an audience beside Amparo's), not expired, and repeating the
    /// nonce this sign-in sent. A token signed with a key not yet seen (a `kid` unknown, or
    /// no `kid` and a signature the known keys do not match) fetches the keys again, once.
    func verify(idToken: String, nonce: String) async throws -> Identity {
        let keyID = Self.keyID(of: idToken)
        var keys = try await currentKeys()
        if let keyID, !keys.ids.contains(keyID), mayFetchKeysAgain(keys.fetchedAt) { keys = try await fetchKeys() }
        if let keyID, !keys.ids.contains(keyID) { throw Failure.unknownKey }
        let claims: IDToken
        do {
            claims = try await check(idToken, with: keys.collection)
        } catch Failure.badSignature where keyID == nil && mayFetchKeysAgain(keys.fetchedAt) {
            claims = try await check(idToken, with: try await fetchKeys().collection)
        }
        guard claims.iss.value == provider.issuer else { throw Failure.wrongIssuer }
        guard let sent = claims.nonce, CitizenSignIn.same(sent, nonce) else { throw Failure.wrongNonce }
        guard !claims.sub.value.isEmpty else { throw Failure.badSignature }
        return Identity(subject: claims.sub.value, idNumber: Self.claim(provider.idNumberClaim, of: idToken))
    }

    private func check(_ idToken: String, with collection: JWTKeyCollection) async throws -> IDToken {
        do {
            return try await collection.verify(idToken, as: IDToken.self, expectedAudience: provider.clientID)
        } catch let error as JWTError {
            throw error.failedClaim is AudienceClaim ? Failure.wrongAudience
                : error.failedClaim is ExpirationClaim ? Failure.expired : Failure.badSignature
        } catch {
            throw Failure.badSignature
        }
    }

    private func mayFetchKeysAgain(_ fetchedAt: Date) -> Bool {
        Date().timeIntervalSince(fetchedAt) > keyRefetchInterval
    }

    // MARK: - Discovery and keys

    private func endpoints() async throws -> Endpoints {
        if let metadata, Date().timeIntervalSince(metadata.fetchedAt) < metadataLifetime { return metadata.endpoints }
        let url = provider.discoveryURL
        guard let address = URL(string: url) else { throw Failure.provider(url: url, reason: "not a URL") }
        let (data, status) = try await fetch(URLRequest(url: address))
        guard status == 200 else { throw Failure.provider(url: url, reason: "answered \(status)") }
        guard let endpoints = try? JSONDecoder().decode(Endpoints.self, from: data) else {
            throw Failure.provider(url: url, reason: "not a discovery document (authorization_endpoint, token_endpoint, jwks_uri)")
        }
        // Discovery §4.3: a document naming another issuer is not this provider's.
        guard endpoints.issuer == provider.issuer else {
            throw Failure.provider(url: url, reason: "names the issuer \(endpoints.issuer), not \(provider.issuer)")
        }
        metadata = (endpoints, Date())
        return endpoints
    }

    private func currentKeys() async throws -> (collection: JWTKeyCollection, ids: Set<String>, fetchedAt: Date) {
        if let keys { return keys }
        return try await fetchKeys()
    }

    /// Reads the provider's JWKS into a new collection, so that keys it no longer lists are dropped.
    private func fetchKeys() async throws -> (collection: JWTKeyCollection, ids: Set<String>, fetchedAt: Date) {
        let url = try await endpoints().jwksURI
        guard let address = URL(string: url) else { throw Failure.provider(url: url, reason: "jwks_uri is not a URL") }
        let (data, status) = try await fetch(URLRequest(url: address))
        guard status == 200, let text = String(data: data, encoding: .utf8) else { throw Failure.provider(url: url, reason: "answered \(status)") }
        let collection = JWTKeyCollection()
        do {
            try await collection.add(jwksJSON: text)
        } catch {
            throw Failure.provider(url: url, reason: "not a JSON Web Key Set: \(error)")
        }
        let listed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let ids = Set(((listed?["keys"] as? [[String: Any]]) ?? []).compactMap { $0["kid"] as? String })
        let fetched = (collection: collection, ids: ids, fetchedAt: Date())
        keys = fetched
        return fetched
    }

    /// One HTTP exchange: the body and the status.
    private func fetch(_ request: URLRequest) async throws -> (Data, Int) {
        let url = request.url?.absoluteString ?? "?"
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: Failure.provider(url: url, reason: error.localizedDescription))
                } else {
                    continuation.resume(returning: (data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0))
                }
            }.resume()
        }
    }

    // MARK: - The token's parts

    /// The `kid` of a token's header, read before its signature is checked, only to pick the key.
    static func keyID(of token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first,
              let data = base64URLDecoded(header),
              let fields = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        return fields["kid"] as? String
    }

    /// A claim of a token whose signature was checked already: text as it is, a whole number as digits.
    static func claim(_ name: String, of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = base64URLDecoded(parts[1]),
              let claims = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        switch claims[name] {
        case let text as String: return text.isEmpty || text.count > 60 ? nil : text
        case let number as Int: return String(number)
        default: return nil
        }
    }

    static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }

    /// `application/x-www-form-urlencoded`, as RFC 6749 asks: every byte but ASCII letters, digits and `-._~` escaped.
    static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

import AmparoDomain
import AmparoStorage
import Crypto
import Foundation
import JWTKit

/// The access tokens of system clients: JWTs signed with Ed25519 (EdDSA), valid for ten
/// minutes, carrying the client's scopes and areas, so that a request with one needs no
/// lookup. The public key is published at `/.well-known/jwks.json`.
struct AccessTokens: Sendable {
    static let lifetime: TimeInterval = 10 * 60
    static let issuer = "amparo"

    let keys: JWTKeyCollection
    let publicKey: Curve25519.Signing.PublicKey
    let keyID: String

    init(secret: ServerSecret) async {
        let key = secret.tokenSigningKey
        publicKey = key.publicKey
        // The key's id is the start of its public key's hash: a new secret, a new id.
        keyID = SHA256.hash(data: key.publicKey.rawRepresentation).prefix(8).hexadecimal
        keys = JWTKeyCollection()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: key), kid: JWKIdentifier(string: keyID))
    }

    /// What a token says.
    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var scope: String
        /// The area paths the client may act in.
        var areas: [String]

        func verify(using algorithm: some JWTAlgorithm) throws {
            try exp.verifyNotExpired()
            guard iss.value == AccessTokens.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer") }
        }
    }

    func issue(for client: SystemClients.Client, now: Date = Date()) async throws -> String {
        let claims = Claims(iss: .init(value: Self.issuer), sub: .init(value: client.name),
                            exp: .init(value: now.addingTimeInterval(Self.lifetime)), iat: .init(value: now),
                            scope: client.scopes.map(\.rawValue).joined(separator: " "), areas: client.areaPaths)
        return try await keys.sign(claims, kid: JWKIdentifier(string: keyID))
    }

    /// The requester a token stands for, or nil for a token that is forged, expired, or
    /// signed with another key.
    func requester(token: String) async -> Requester? {
        guard token.count < 4096, let claims = try? await keys.verify(token, as: Claims.self) else { return nil }
        let scopes = claims.scope.split(separator: " ").compactMap { ClientScope(rawValue: String($0)) }
        return Requester(actor: "client:\(claims.sub.value)",
                         grants: scopes.flatMap { scope in claims.areas.map { Grant(scope: scope, areaPath: $0) } })
    }

    /// The JSON Web Key Set of the public key (RFC 8037: an Ed25519 key is an OKP key).
    var jwks: String {
        let x = publicKey.rawRepresentation.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return #"{"keys":[{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":"\#(keyID)","x":"\#(x)"}]}"#
    }
}

import Foundation

/// The country's digital identity, an OpenID Connect provider, as Amparo is registered with
/// it: staff bound to one of its subjects, and citizens whose ID document number it asserts,
/// may sign in there instead of with a password or a one-time code.
///
///     let provider = try OpenIDProvider(issuer: "https://id.gob.example", clientID: "amparo",
///                                       clientSecret: secret, redirectBase: "https://amparo.example")
///     provider.redirectURI  // "https://amparo.example/oidc/callback"
public struct OpenIDProvider: Sendable, Equatable {
    /// The provider's issuer identifier, exactly as its ID tokens' `iss` spell it; its
    /// discovery document is at `ISSUER/.well-known/openid-configuration`.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// Where browsers reach Amparo (scheme, host and port, no path): the provider sends them
    /// back to `/oidc/callback` under it.
    public var redirectBase: String
    /// The claim of the ID token that holds the national ID document number.
    public var idNumberClaim: String

    public static let defaultIDNumberClaim = "national_id"
    /// The path the provider sends the browser back to, under `redirectBase`.
    public static let callbackPath = "/oidc/callback"

    public init(issuer: String, clientID: String, clientSecret: String, redirectBase: String,
                idNumberClaim: String = OpenIDProvider.defaultIDNumberClaim) throws {
        // A trailing slash is part of the issuer as the provider spells it; only surrounding space is dropped.
        let issuer = issuer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard issuer.hasPrefix("https://") || issuer.hasPrefix("http://") else { throw Refusal.issuerNotAURL(issuer) }
        guard !clientID.isEmpty else { throw Refusal.missing("client id") }
        guard !clientSecret.isEmpty else { throw Refusal.missing("client secret") }
        var base = redirectBase.trimmingCharacters(in: .whitespacesAndNewlines)
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("https://") || base.hasPrefix("http://") else { throw Refusal.redirectBaseNotAURL(redirectBase) }
        let claim = idNumberClaim.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !claim.isEmpty else { throw Refusal.missing("ID number claim") }
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectBase = base
        self.idNumberClaim = claim
    }

    /// Where the provider sends the browser back with a code.
    public var redirectURI: String { redirectBase + Self.callbackPath }

    /// Where the provider describes itself (OpenID Connect Discovery 1.0, §4).
    public var discoveryURL: String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + "/.well-known/openid-configuration"
    }

    /// Why a provider's configuration was refused.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case issuerNotAURL(String)
        case redirectBaseNotAURL(String)
        case missing(String)

        public var description: String {
            switch self {
            case .issuerNotAURL(let text): "the OpenID Connect issuer \"\(text)\" is not an http(s) URL"
            case .redirectBaseNotAURL(let text): "the address browsers reach Amparo at, \"\(text)\", is not an http(s) URL"
            case .missing(let what): "the OpenID Connect provider's \(what) is missing"
            }
        }
    }
}

/// What a sign-in through the digital identity is for: the back office or the portal.
public enum OpenIDPurpose: String, Sendable, Equatable, CaseIterable {
    case staff
    case citizen
}

import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird
import NIOCore

/// `POST /oauth/token`: the client-credentials grant of OAuth 2.0 (RFC 6749 §4.4), with the
/// client authenticated by HTTP Basic; and `GET /.well-known/jwks.json`, the public key its
/// tokens are checked with.
struct TokenEndpoint: Sendable {
    let clients: SystemClients
    let tokens: AccessTokens
    let audit: PersonalDataAudit

    func addRoutes(to router: Router<AmparoRequestContext>) {
        router.post("oauth/token", use: token)
        router.get(".well-known/jwks.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: tokens.jwks)))
        }
    }

    struct Issued: Encodable, Sendable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int
        var scope: String
    }

    /// RFC 6749 §5.2: errors of the token endpoint have a shape of their own.
    struct TokenError: Encodable, Sendable {
        var error: String
        var errorDescription: String
    }

    @Sendable func token(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        let form = try await PageForm(request)
        guard form["grant_type"] == "client_credentials" else {
            return try refusal(.badRequest, "unsupported_grant_type", .unsupportedGrant, context: context, request: request)
        }
        guard let (id, secret) = Self.basicCredentials(request),
              let client = try await clients.authenticate(id: id, secret: secret) else {
            try await audit.signIn(actor: "client:?", outcome: "refused", purpose: "client_credentials", request: request, context: context)
            var response = try refusal(.unauthorized, "invalid_client", .badClientCredentials, context: context, request: request)
            response.headers[.wwwAuthenticate] = "Basic realm=\"amparo\""
            return response
        }
        let token = try await tokens.issue(for: client)
        try await audit.signIn(actor: "client:\(client.name)", outcome: "allowed", purpose: "client_credentials", request: request, context: context)
        var response = try JSONResponse(value: Issued(accessToken: token, expiresIn: Int(AccessTokens.lifetime),
                                                      scope: client.scopes.map(\.rawValue).joined(separator: " ")))
            .response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func refusal(_ status: HTTPResponse.Status, _ code: String, _ message: APIMessage, context: AmparoRequestContext,
                         request: Request) throws -> Response {
        var response = try JSONResponse(value: TokenError(error: code, errorDescription: message.text(in: context.language)), status: status)
            .response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `Authorization: Basic base64(id:secret)`, each part form-encoded as RFC 6749 §2.3.1 asks.
    static func basicCredentials(_ request: Request) -> (String, String)? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        let id = String(text[..<colon]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        let secret = String(text[text.index(after: colon)...]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        guard let id, let secret else { return nil }
        return (id, secret)
    }
}

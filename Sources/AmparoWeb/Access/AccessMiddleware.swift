import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird
import HTTPTypes

/// Sets who is asking on every request, before any route runs, in one place: a bearer
/// token (a system client) on the API, else a staff session cookie; on the portal the
/// citizen whose session cookie it is. Also the language they read (`?lang=`, kept in a
/// cookie from then on, else the cookie, else `Accept-Language`), the refusals of requests
/// that change state without intent, and the security headers of every response.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = AmparoRequestContext
    let citizens: CitizenSignIn
    let staff: StaffSignIn
    let tokens: AccessTokens
    let audit: PersonalDataAudit

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let chosen = request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:))
        context.language = chosen ?? request.cookies["lang"].flatMap { Language(rawValue: $0.value) }
            ?? Language.negotiate(request.headers[.acceptLanguage])
        let path = request.uri.path
        var response: Response
        do {
            if path.hasPrefix("/portal") {
                if let token = request.cookies[PortalCookies.session]?.value {
                    context.citizen = try await citizens.citizen(session: token)
                }
            } else {
                try await identify(request, context: &context)
            }
            response = try await next(request, context)
        } catch let refusal as AccessRefusal {
            try await audit.refused(refusal, request: request, context: context)
            // A person not signed in who opens a page of the back office is led to sign in.
            if case .unauthenticated = refusal, path.hasPrefix("/office"), request.method == .get {
                response = try SeeOther(location: "/office/sign-in").response(from: request, context: context)
            } else {
                throw refusal.problem(in: context.language)
            }
        }
        if let chosen {
            response.setCookie(Cookie(name: "lang", value: chosen.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                      httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// Who the request comes from: a bearer token wins over a session cookie; a token that
    /// does not verify is refused rather than taken as nobody.
    private func identify(_ request: Request, context: inout Context) async throws {
        let changesState = ![.get, .head, .options].contains(request.method)
        // Other schemes (Basic, at the token endpoint) are for the routes that take them.
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            guard let requester = await tokens.requester(token: String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
                throw AccessRefusal.unauthenticated(reason: "bad_token")
            }
            context.requester = requester
        } else if let token = request.cookies[StaffCookies.session]?.value,
                  let session = try await staff.session(token: token) {
            context.staff = session
            if session.stage == .full {
                context.requester = Requester(actor: "staff:\(session.accountName)",
                                              grants: try await StaffAccounts(database: staff.database).grants(of: session.accountID))
            }
            // A session rides along with any request a page makes: on the API it reads, and
            // only a bearer token, which no other site can make a browser send, changes state.
            if changesState && request.uri.path.hasPrefix("/api/") {
                throw AccessRefusal.forbidden(reason: "session_cannot_change_state")
            }
        }
        if changesState && request.uri.path.hasPrefix("/api/") && request.method == .post {
            let type = request.headers[.contentType]?.lowercased() ?? ""
            guard type.hasPrefix("application/json") else { throw AccessRefusal.unsupportedMediaType }
        }
    }
}

/// The headers every response carries, errors included: no sniffing of types, no framing,
/// no referrer beyond the site, a content security policy that allows only Amparo's own
/// files, and HSTS where the server is reached over TLS. The outermost middleware, so that
/// it sees every answer as it leaves.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = AmparoRequestContext
    /// Whether browsers reach the server over HTTPS (directly or behind a proxy), for HSTS.
    let behindTLS: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        Self.add(to: &response.headers, behindTLS: behindTLS)
        return response
    }

    static func add(to headers: inout HTTPFields, behindTLS: Bool) {
        let defaults: [(String, String)] = [
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Content-Security-Policy",
             "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ]
        for (name, value) in defaults {
            let field = HTTPField.Name(name)!
            if headers[field] == nil { headers[field] = value }
        }
        if behindTLS { headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000; includeSubDomains" }
    }
}

/// The staff session's cookie: kept from scripts, sent only over HTTPS (browsers treat
/// localhost as such), and never on a request another site starts.
enum StaffCookies {
    static let session = "amparo_staff"
    /// The token the sign-in form repeats, before there is a session to keep one.
    static let signInForm = "amparo_staff_form"

    static func session(_ token: String) -> Cookie {
        Cookie(name: session, value: token, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    static func ended() -> Cookie {
        Cookie(name: session, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    static func form(_ token: String) -> Cookie {
        Cookie(name: signInForm, value: token, maxAge: 3600, path: "/office", secure: true, httpOnly: true, sameSite: .strict)
    }
}

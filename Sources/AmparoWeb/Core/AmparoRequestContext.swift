import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird

/// Who is asking, and for which areas. Until staff sign-in arrives every request is the
/// public API's anonymous reader, scoped to the whole country; the check lives in
/// `AccessMiddleware` so that sign-in will change one place.
public struct Requester: Sendable, Equatable {
    public var name: String
    /// Area paths the requester may see; `/` is everything.
    public var areaScopes: [String]

    public static let anonymous = Requester(name: "anonymous", areaScopes: ["/"])

    public func mayRead(areaPath: String) -> Bool {
        areaScopes.contains { areaPath.hasPrefix($0) }
    }

    /// Whether the requester sees the whole country, and so needs no filter by area.
    public var readsEverywhere: Bool { mayRead(areaPath: "/") }
}

/// The request context of every route: the framework's core plus who is asking.
public struct AmparoRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requester: Requester?
    /// The citizen signed in to the portal, on the portal's pages; nil elsewhere and for
    /// anyone not signed in. The portal answers to this alone, never to `requester`.
    public var citizen: CitizenSignIn.Citizen?
    /// The language the requester reads.
    public var language: Language = .en

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requester = nil
    }

    public var responseEncoder: JSONEncoder { APIJSON.encoder() }
}

/// Sets who is asking on every request, before any route runs — the staff requester, and on
/// the portal the citizen whose session cookie it is — and the language they read:
/// `?lang=` when a page's language links are followed (kept in a cookie from then on),
/// else the cookie, else `Accept-Language`.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = AmparoRequestContext
    let requester: Requester
    let citizens: CitizenSignIn

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requester = requester
        if request.uri.path.hasPrefix("/portal"), let token = request.cookies[PortalCookies.session]?.value {
            context.citizen = try await citizens.citizen(session: token)
        }
        let chosen = request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:))
        context.language = chosen ?? request.cookies["lang"].flatMap { Language(rawValue: $0.value) }
            ?? Language.negotiate(request.headers[.acceptLanguage])
        var response = try await next(request, context)
        if let chosen {
            response.setCookie(Cookie(name: "lang", value: chosen.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                      httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

import AmparoDomain
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
}

/// The request context of every route: the framework's core plus who is asking.
public struct AmparoRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requester: Requester?
    /// The language the requester reads, from `Accept-Language`.
    public var language: Language = .en

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requester = nil
    }

    public var responseEncoder: JSONEncoder { APIJSON.encoder() }
}

/// Sets who is asking on every request, before any route runs.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = AmparoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requester = .anonymous
        context.language = Language.negotiate(request.headers[.acceptLanguage])
        return try await next(request, context)
    }
}

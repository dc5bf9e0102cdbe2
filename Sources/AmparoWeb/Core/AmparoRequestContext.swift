import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird

/// The request context of every route: the framework's core plus who is asking, set once by
/// `AccessMiddleware` before any route runs.
public struct AmparoRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is asking: a signed-in staff account, a system client with a token, or nobody.
    public var requester: Requester = .anonymous
    /// The staff session, on requests that carry one (full or half done).
    public var staff: StaffSignIn.Session?
    /// The citizen signed in to the portal, on the portal's pages; nil elsewhere and for
    /// anyone not signed in. The portal answers to this alone, never to `requester`.
    public var citizen: CitizenSignIn.Citizen?
    /// The language the requester reads.
    public var language: Language = .en
    /// The address the request came from, as the audit trail keeps it.
    public var address: String = ""
    /// The route's template once the router has found it (`/api/v1/households/{id}`).
    var routeTemplate: String { endpointPath ?? "" }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        if let remote = source.channel.remoteAddress { address = remote.ipAddress ?? "" }
    }

    public var responseEncoder: JSONEncoder { APIJSON.encoder() }
}

import Foundation
import Hummingbird
import Logging
import AmparoDomain
import AmparoStorage
import NIOCore

/// How the web server runs.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The currency benefits are paid in (ISO 4217), for costs in the back office.
    public var currency: String
    /// The secret every key of the server is derived from (token signing, the audit's keyed hashes).
    public var secret: ServerSecret
    /// Whether browsers reach the server over HTTPS (directly or through a proxy): HSTS is sent then.
    public var behindTLS: Bool
    /// What this listener answers.
    public var surface: Surface
    /// The country's digital identity (an OpenID Connect provider) staff and citizens may sign
    /// in with; nil offers no such sign-in.
    public var digitalIdentity: OpenIDProvider?

    /// What a listener answers: everything, or the citizen portal alone, so that a ministry
    /// can put the portal on the internet and keep the back office and the staff's API on
    /// its own network.
    public enum Surface: Sendable {
        case everything
        /// `/portal`, its style sheets and `/health`; every other path is 404.
        case portalOnly
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, currency: String = "COP", secret: ServerSecret,
                behindTLS: Bool = false, surface: Surface = .everything, digitalIdentity: OpenIDProvider? = nil) {
        self.host = host
        self.port = port
        self.currency = currency
        self.secret = secret
        self.behindTLS = behindTLS
        self.surface = surface
        self.digitalIdentity = digitalIdentity
    }
}

/// The whole web side of Amparo over one registry database: the command `serve` runs it,
/// and the tests drive the same router in process.
public func buildApplication(configuration: WebConfiguration, database: RegistryDatabase,
                             logger: Logger = Logger(label: "amparo.web")) async -> some ApplicationProtocol {
    Application(
        router: await buildRouter(database: database, configuration: configuration),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Amparo"),
        logger: logger)
}

func buildRouter(database: RegistryDatabase, configuration: WebConfiguration) async -> Router<AmparoRequestContext> {
    let router = Router(context: AmparoRequestContext.self)
    let audit = PersonalDataAudit(database: database, secret: configuration.secret)
    let tokens = await AccessTokens(secret: configuration.secret)
    let staff = StaffSignIn(database: database)
    let citizens = CitizenSignIn(database: database, codeKey: configuration.secret.key(for: "citizen codes"))
    router.add(middleware: SecurityHeaders(behindTLS: configuration.behindTLS))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AccessMiddleware(citizens: citizens, staff: staff, tokens: tokens, audit: audit))
    router.get("health") { _, _ -> JSONResponse<Health> in
        do {
            try await database.read { try await $0.raw("SELECT 1").run() }
            return JSONResponse(value: Health(status: "ok", database: database.dialect.rawValue))
        } catch {
            return JSONResponse(value: Health(status: "unavailable", database: database.dialect.rawValue), status: .serviceUnavailable)
        }
    }
    // The portal's own listener offers no digital identity: its callback lives with the back office's.
    let portalPages = PortalPages(database: database, signIn: citizens,
                                  digitalIdentity: configuration.digitalIdentity != nil && configuration.surface == .everything)
    portalPages.addRoutes(to: router.group("portal"))
    router.get("static/:file") { _, context in
        guard let name = context.parameters.get("file"), let bytes = PageTemplates.staticFiles[name] else {
            throw HTTPError(.notFound)
        }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".svg") ? "image/svg+xml" : "application/octet-stream"
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    guard configuration.surface == .everything else {
        router.get("") { _, _ in SeeOther(location: "/portal") }
        return router
    }
    TokenEndpoint(clients: SystemClients(database: database), tokens: tokens, audit: audit).addRoutes(to: router)
    let api = router.group("api/v1")
    api.get("openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: .init(string: OpenAPIDocument.json)))
    }
    RegistryAPI(database: database, audit: audit).addRoutes(to: api)
    TargetingAPI(database: database, audit: audit).addRoutes(to: api)
    IdentityAPI(database: database, audit: audit).addRoutes(to: api)

    let office = router.group("office")
    let staffPages = StaffSignInPages(signIn: staff, audit: audit, digitalIdentity: configuration.digitalIdentity != nil)
    staffPages.addRoutes(to: office)
    if let provider = configuration.digitalIdentity {
        OpenIDSignInPages(identity: DigitalIdentity(provider: provider), requests: OpenIDRequests(database: database), staff: staff,
                          staffPages: staffPages, citizens: citizens, portal: portalPages, audit: audit)
            .addRoutes(office: office, portal: router.group("portal"), router: router)
    }
    OfficeHome(database: database).addRoutes(to: office)
    IdentityPages(database: database, audit: audit).addRoutes(to: office)
    TargetingPages(database: database, currency: configuration.currency).addRoutes(to: office)
    HouseholdPages(database: database, audit: audit).addRoutes(to: office)
    router.get("") { _, _ in SeeOther(location: "/office") }
    return router
}

struct Health: Encodable, Sendable {
    var status: String
    var database: String
}

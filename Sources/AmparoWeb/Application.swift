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
    /// The country's digital identity (an OpenID Connect provider) staff and citizens may sign
    /// in with; nil offers no such sign-in.
    public var digitalIdentity: OpenIDProvider?

    public init(host: String = "127.0.0.1", port: Int = 8080, currency: String = "COP", secret: ServerSecret,
                behindTLS: Bool = false, digitalIdentity: OpenIDProvider? = nil) {
        self.host = host
        self.port = port
        self.currency = currency
        self.secret = secret
        self.behindTLS = behindTLS
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
    router.add(middleware: SecurityHeaders(behindTLS: configuration.behindTLS))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AccessMiddleware(citizens: CitizenSignIn(database: database), staff: staff, tokens: tokens, audit: audit))
    router.get("health") { _, _ -> JSONResponse<Health> in
        do {
            try await database.read { try await $0.raw("SELECT 1").run() }
            return JSONResponse(value: Health(status: "ok", database: database.dialect.rawValue))
        } catch {
            return JSONResponse(value: Health(status: "unavailable", database: database.dialect.rawValue), status: .serviceUnavailable)
        }
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

    let office = router.group("office"), portal = router.group("portal")
    let staffPages = StaffSignInPages(signIn: staff, audit: audit, digitalIdentity: configuration.digitalIdentity != nil)
    staffPages.addRoutes(to: office)
    let portalPages = PortalPages(database: database, digitalIdentity: configuration.digitalIdentity != nil)
    if let provider = configuration.digitalIdentity {
        OpenIDSignInPages(identity: DigitalIdentity(provider: provider), requests: OpenIDRequests(database: database), staff: staff,
                          staffPages: staffPages, citizens: CitizenSignIn(database: database), portal: portalPages, audit: audit)
            .addRoutes(office: office, portal: portal, router: router)
    }
    OfficeHome(database: database).addRoutes(to: office)
    IdentityPages(database: database, audit: audit).addRoutes(to: office)
    TargetingPages(database: database, currency: configuration.currency).addRoutes(to: office)
    HouseholdPages(database: database, audit: audit).addRoutes(to: office)
    portalPages.addRoutes(to: portal)
    router.get("static/:file") { _, context in
        guard let name = context.parameters.get("file"), let bytes = PageTemplates.staticFiles[name] else {
            throw HTTPError(.notFound)
        }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".svg") ? "image/svg+xml" : "application/octet-stream"
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    router.get("") { _, _ in SeeOther(location: "/office") }
    return router
}

struct Health: Encodable, Sendable {
    var status: String
    var database: String
}

import Foundation
import Hummingbird
import Logging
import AmparoStorage
import NIOCore

/// How the web server runs.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The currency benefits are paid in (ISO 4217), for costs in the back office.
    public var currency: String
    /// Who every request is taken to come from, until staff sign-in says who is asking: the
    /// public API's anonymous reader of the whole country, unless a narrower one is given.
    public var requester: Requester

    public init(host: String = "127.0.0.1", port: Int = 8080, currency: String = "COP", requester: Requester = .anonymous) {
        self.host = host
        self.port = port
        self.currency = currency
        self.requester = requester
    }
}

/// The whole web side of Amparo over one registry database: the command `serve` runs it,
/// and the tests drive the same router in process.
public func buildApplication(configuration: WebConfiguration, database: RegistryDatabase,
                             logger: Logger = Logger(label: "amparo.web")) -> some ApplicationProtocol {
    Application(
        router: buildRouter(database: database, currency: configuration.currency, requester: configuration.requester),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Amparo"),
        logger: logger)
}

func buildRouter(database: RegistryDatabase, currency: String = "COP", requester: Requester = .anonymous) -> Router<AmparoRequestContext> {
    let router = Router(context: AmparoRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AccessMiddleware(requester: requester, citizens: CitizenSignIn(database: database)))
    router.get("health") { _, _ -> JSONResponse<Health> in
        do {
            try await database.read { try await $0.raw("SELECT 1").run() }
            return JSONResponse(value: Health(status: "ok", database: database.dialect.rawValue))
        } catch {
            return JSONResponse(value: Health(status: "unavailable", database: database.dialect.rawValue), status: .serviceUnavailable)
        }
    }
    let api = router.group("api/v1")
    api.get("openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: .init(string: OpenAPIDocument.json)))
    }
    RegistryAPI(database: database).addRoutes(to: api)
    TargetingAPI(database: database).addRoutes(to: api)
    IdentityAPI(database: database).addRoutes(to: api)

    let office = router.group("office")
    OfficeHome(database: database).addRoutes(to: office)
    IdentityPages(database: database).addRoutes(to: office)
    TargetingPages(database: database, currency: currency).addRoutes(to: office)
    HouseholdPages(database: database).addRoutes(to: office)
    PortalPages(database: database).addRoutes(to: router.group("portal"))
    router.get("static/:file") { _, context in
        guard let name = context.parameters.get("file"), let bytes = PageTemplates.staticFiles[name] else {
            throw HTTPError(.notFound)
        }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".svg") ? "image/svg+xml" : "application/octet-stream"
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600",
                                               .init("X-Content-Type-Options")!: "nosniff"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    router.get("") { _, _ in SeeOther(location: "/office") }
    return router
}

struct Health: Encodable, Sendable {
    var status: String
    var database: String
}

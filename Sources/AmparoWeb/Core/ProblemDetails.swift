import AmparoDomain
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// An error as RFC 9457 problem details: `application/problem+json` with a type, a title,
/// the status, and a detail that says what was wrong and where.
public struct ProblemDetails: Error, HTTPResponseError, Encodable, Sendable {
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String
    /// The query parameter or path segment at fault, where there is one.
    public var parameter: String?
    /// The language title and detail are in.
    public var language: Language

    public init(status: HTTPResponse.Status, title: String, detail: String, parameter: String? = nil,
                language: Language = .en) {
        // RFC 9457: "about:blank" when the status and title say all there is to say.
        self.type = "about:blank"
        self.title = title
        self.status = status
        self.detail = detail
        self.parameter = parameter
        self.language = language
    }

    init(status: HTTPResponse.Status, _ message: APIMessage, in language: Language, parameter: String? = nil) {
        self.init(status: status, title: APIMessage.title(status, in: language), detail: message.text(in: language),
                  parameter: parameter, language: language)
    }

    static func badRequest(_ message: APIMessage, in language: Language, parameter: String) -> ProblemDetails {
        ProblemDetails(status: .badRequest, message, in: language, parameter: parameter)
    }

    static func notFound(_ message: APIMessage, in language: Language) -> ProblemDetails {
        ProblemDetails(status: .notFound, message, in: language)
    }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, parameter }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(parameter, forKey: .parameter)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        // A person reading the back office gets the problem as a page, in the frame of the others.
        if request.uri.path == "/office" || request.uri.path.hasPrefix("/office/") {
            let page = Page(template: "error", title: title, section: .home,
                            content: ErrorContent(detail: detail, back: "/office"), language: language, status: status)
            return try page.response(from: request, context: context)
        }
        if request.uri.path == "/portal" || request.uri.path.hasPrefix("/portal/") {
            let page = PortalPage(template: "portal-error", title: title, content: ErrorContent(detail: detail, back: "/portal"),
                                  language: language, csrf: "", status: status)
            return try page.response(from: request, context: context)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data("{\"status\":\(status.code)}".utf8)
        return Response(status: status,
                        headers: [.contentType: "application/problem+json", .contentLanguage: language.rawValue],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// What the error page shows.
struct ErrorContent: Sendable {
    var detail: String
    var back: String
}

/// Turns every error into problem details, so that no request ever gets a bare 500 page
/// or a stack trace: unknown routes become 404, failures of ours a 500 that tells nothing private.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = AmparoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            throw problem
        } catch let error as HTTPError {
            if error.status == .notFound { throw ProblemDetails(status: .notFound, .nothingAt(request.uri.path), in: context.language) }
            throw ProblemDetails(status: error.status, title: APIMessage.title(error.status, in: context.language),
                                 detail: error.body ?? error.status.reasonPhrase, language: context.language)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            throw ProblemDetails(status: .internalServerError, .internalError, in: context.language)
        }
    }
}

/// The JSON of the API: snake_case keys, as the exchange format spells its columns.
enum APIJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// A value sent as the JSON body of a response.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try APIJSON.encoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

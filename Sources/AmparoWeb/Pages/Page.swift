import AmparoDomain
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// The part of the back office a page belongs to, which the navigation marks as current.
enum OfficeSection: String, Sendable {
    case home, identity, targeting
}

/// A page rendered on the server: a template, the typed content it shows, the words of the
/// reader's language, and the frame every page shares (navigation, language choice).
struct Page<Content: Sendable>: ResponseGenerator {
    var template: String
    var title: String
    var section: OfficeSection
    var content: Content
    var language: Language
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let staff = (context as? AmparoRequestContext)?.staff
        let view = PageView(lang: language.rawValue, title: title, t: PageText.words(language),
                            nav: .init(section), languages: LanguageLink.all(current: language, request: request),
                            account: staff?.stage == .full ? staff?.accountName : nil, csrf: staff?.csrf ?? "",
                            content: content)
        return try PageTemplates.response(view, template: template, language: language, status: status)
    }
}

enum PageError: Error {
    case missingTemplate(String)
}

/// What a template sees: `t.key` for a word, `content` for the page's own data.
struct PageView<Content: Sendable>: Sendable {
    var lang: String
    var title: String
    var t: [String: String]
    var nav: Navigation
    var languages: [LanguageLink]
    /// The signed-in account's name, for the frame's sign-out button; nil on the sign-in pages.
    var account: String?
    /// The session's token, which every form repeats.
    var csrf: String
    var content: Content

    struct Navigation: Sendable {
        var home: Bool
        var identity: Bool
        var targeting: Bool

        init(_ section: OfficeSection) {
            home = section == .home
            identity = section == .identity
            targeting = section == .targeting
        }
    }
}

/// A link to the same page in another language: `?lang=` sets the reader's choice, which a
/// cookie then keeps.
struct LanguageLink: Sendable {
    var code: String
    var name: String
    var href: String
    var current: Bool

    static func all(current: Language, request: Request) -> [LanguageLink] {
        let names: [Language: String] = [.es: "Español", .pt: "Português", .en: "English"]
        let kept = request.uri.queryParameters.filter { $0.key != "lang" }.map { (String($0.key), String($0.value)) }
        return [Language.es, .pt, .en].map { language in
            LanguageLink(code: language.rawValue, name: names[language] ?? language.rawValue,
                         href: PageLink.path(request.uri.path, query: kept + [("lang", language.rawValue)]),
                         current: language == current)
        }
    }
}

/// Builds the links of the pages, with their query strings encoded.
enum PageLink {
    static func path(_ path: String, query: [(String, String)]) -> String {
        guard !query.isEmpty else { return path }
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` means a space in a form-encoded query: encode it.
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return path + "?" + encoded
    }
}

/// The headers of every page: HTML that is never cached (it holds personal data). The
/// content security policy and the other security headers are every response's, added by
/// `SecurityHeaders`.
enum PageHeaders {
    static let html: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
    ]
}

/// A page's request for a redirect after a form, so that reloading does not post again.
struct SeeOther: ResponseGenerator {
    var location: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

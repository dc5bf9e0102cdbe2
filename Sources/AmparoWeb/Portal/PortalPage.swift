import AmparoDomain
import Foundation
import Hummingbird
import HTTPTypes

/// A page of the citizen portal: like the back office's, but in the portal's own light frame
/// (no staff navigation), and able to set the portal's cookies.
struct PortalPage<Content: Sendable>: ResponseGenerator {
    var template: String
    var title: String
    var content: Content
    var language: Language
    /// The token the page's forms carry against cross-site requests.
    var csrf: String
    var signedIn = false
    var status: HTTPResponse.Status = .ok
    var cookies: [Cookie] = []

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let view = PortalView(lang: language.rawValue, title: title, t: PageText.words(language),
                              languages: LanguageLink.all(current: language, request: request), csrf: csrf,
                              signedIn: signedIn, content: content)
        var response = try PageTemplates.response(view, template: template, language: language, status: status)
        for cookie in cookies { response.setCookie(cookie) }
        return response
    }
}

/// What a portal template sees.
struct PortalView<Content: Sendable>: Sendable {
    var lang: String
    var title: String
    var t: [String: String]
    var languages: [LanguageLink]
    var csrf: String
    var signedIn: Bool
    var content: Content
}

/// The portal's cookies: the session, and the token its forms must repeat. Both are kept
/// from scripts (HttpOnly), sent only over HTTPS (Secure; browsers treat localhost as
/// such), and never on a request another site starts (SameSite=Strict).
enum PortalCookies {
    static let session = "amparo_portal"
    static let csrf = "amparo_portal_csrf"

    static func session(_ token: String, seconds: Int) -> Cookie { cookie(session, token, seconds: seconds) }

    static func ended() -> Cookie { cookie(session, "", seconds: 0) }

    static func csrf(_ token: String) -> Cookie { cookie(csrf, token, seconds: 24 * 3600) }

    private static func cookie(_ name: String, _ value: String, seconds: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: seconds, path: "/portal", secure: true, httpOnly: true, sameSite: .strict)
    }
}

import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird

/// Signing in with the country's digital identity (OpenID Connect's authorization-code flow
/// with PKCE): `/office/sign-in/oidc` for staff and `/portal/sign-in/oidc` for citizens send
/// the browser to the provider; it comes back to `/oidc/callback` with a code, which is
/// exchanged for an ID token. A staff account bound to the token's subject gets a full
/// session; a citizen, the portal session of the person whose ID document number the token
/// asserts. Every refusal, whatever its reason, is the same page with status 401, so that
/// nobody learns whether an account or a person exists; every outcome is in the audit trail.
struct OpenIDSignInPages: Sendable {
    let identity: DigitalIdentity
    let requests: OpenIDRequests
    let staff: StaffSignIn
    let staffPages: StaffSignInPages
    let citizens: CitizenSignIn
    let portal: PortalPages
    let audit: PersonalDataAudit

    static let purpose = "oidc"

    func addRoutes(office: RouterGroup<AmparoRequestContext>, portal: RouterGroup<AmparoRequestContext>,
                   router: Router<AmparoRequestContext>) {
        office.get("sign-in/oidc") { request, context in try await start(.staff, request: request, context: context) }
        portal.get("sign-in/oidc") { request, context in try await start(.citizen, request: request, context: context) }
        router.get("oidc/callback", use: callback)
    }

    /// Begins a sign-in: keeps its state, nonce and verifier, gives the browser a token of
    /// its own, and sends it to the provider.
    func start(_ purpose: OpenIDPurpose, request: Request, context: AmparoRequestContext) async throws -> Response {
        let started = try await requests.start(purpose: purpose)
        let destination: URL
        do {
            destination = try await identity.authorizationURL(state: started.state, nonce: started.nonce,
                                                              codeChallenge: started.codeChallenge)
        } catch let failure as DigitalIdentity.Failure {
            context.logger.warning("the digital identity provider cannot be reached", metadata: ["error": "\(failure)"])
            let words = PageText.words(context.language)
            throw ProblemDetails(status: .serviceUnavailable, title: APIMessage.title(.serviceUnavailable, in: context.language),
                                 detail: words["oidc_unavailable"] ?? "", language: context.language)
        }
        var response = try SeeOther(location: destination.absoluteString).response(from: request, context: context)
        response.setCookie(OpenIDCookie.browser(started.browser))
        return response
    }

    /// Where the provider sends the browser back: `?code=&state=` (or `?error=&state=`).
    @Sendable func callback(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let state = String(query.get("state")?.prefix(100) ?? "")
        guard let claim = try await requests.claim(state: state, browser: request.cookies[OpenIDCookie.name]?.value) else {
            // A state nobody gave out: nothing says which sign-in page to show, so a problem document.
            try await audit.signIn(actor: "anonymous", outcome: "refused", purpose: Self.purpose, request: request, context: context)
            context.logger.notice("a digital identity sign-in was refused", metadata: ["reason": "unknown_state"])
            throw ProblemDetails(status: .unauthorized, .signInNeeded, in: context.language)
        }
        let pending: OpenIDRequests.Pending
        switch claim {
        case .spent(let purpose):
            return try await refuse(purpose, reason: "state_used_or_expired", request: request, context: context)
        case .fresh(let fresh):
            pending = fresh
        }
        guard query.get("error") == nil, let code = query.get("code"), !code.isEmpty, code.count <= 2048 else {
            return try await refuse(pending.purpose, reason: "no_code", request: request, context: context)
        }
        let person: DigitalIdentity.Identity
        do {
            person = try await identity.signIn(code: String(code), codeVerifier: pending.codeVerifier, nonce: pending.nonce)
        } catch let failure as DigitalIdentity.Failure {
            return try await refuse(pending.purpose, reason: failure.reason, request: request, context: context)
        }
        switch pending.purpose {
        case .staff:
            guard let account = try await StaffAccounts(database: staff.database).bound(issuer: identity.provider.issuer,
                                                                                         subject: person.subject) else {
                return try await refuse(.staff, reason: "unknown_subject", request: request, context: context)
            }
            let token = try await staff.openFullSession(account: account.id, address: context.address)
            try await audit.signIn(actor: "staff:\(account.name)", outcome: "allowed", purpose: Self.purpose, request: request,
                                   context: context, channel: "office")
            var response = try signedIn(next: "/office", stylesheet: "/static/amparo.css", context: context)
            response.setCookie(StaffCookies.session(token))
            response.setCookie(OpenIDCookie.ended())
            return response
        case .citizen:
            guard let number = person.idNumber, let (token, citizen) = try await citizens.signIn(assertedIDNumber: number) else {
                return try await refuse(.citizen, reason: "unknown_person", request: request, context: context)
            }
            try await audit.signIn(actor: "citizen:\(citizen.individualID.uuidString)", outcome: "allowed", purpose: Self.purpose,
                                   request: request, context: context, channel: "portal")
            var response = try signedIn(next: "/portal/household", stylesheet: "/static/portal.css", context: context)
            response.setCookie(PortalCookies.session(token, seconds: Int(citizens.sessionLifetime)))
            response.setCookie(OpenIDCookie.ended())
            return response
        }
    }

    /// The one refusal, whatever went wrong: the sign-in page with the message a wrong
    /// password (or, on the portal, a failed sign-in) gets, status 401. The reason goes to
    /// the server's log, never to the reader.
    private func refuse(_ purpose: OpenIDPurpose, reason: String, request: Request, context: AmparoRequestContext) async throws -> Response {
        let channel = purpose == .staff ? "office" : "portal"
        try await audit.signIn(actor: purpose == .staff ? "staff:?" : "citizen:?", outcome: "refused", purpose: Self.purpose,
                               request: request, context: context, channel: channel)
        context.logger.notice("a digital identity sign-in was refused", metadata: ["reason": "\(reason)", "channel": "\(channel)"])
        var response: Response
        switch purpose {
        case .staff:
            response = try staffPages.refusal(request, context: context)
        case .citizen:
            let (token, cookies) = portal.csrf(request)
            let words = PageText.words(context.language)
            response = try PortalPage(template: "portal-sign-in", title: words["portal_title"] ?? "",
                                      content: PortalPages.SignInContent(idNumber: "", error: words["portal_oidc_refused"],
                                                                         digitalIdentity: true),
                                      language: context.language, csrf: token, status: .unauthorized, cookies: cookies)
                .response(from: request, context: context)
        }
        response.setCookie(OpenIDCookie.ended())
        return response
    }

    struct SignedInView: Sendable {
        var lang: String
        var t: [String: String]
        var next: String
        var stylesheet: String
    }

    /// A page that moves on at once to `next`. Not a redirect: the session's cookie is
    /// SameSite=Strict, and a browser that arrived from the provider's site would not send
    /// it along a redirect; from a page of Amparo's own it does.
    private func signedIn(next: String, stylesheet: String, context: AmparoRequestContext) throws -> Response {
        var response = try PageTemplates.response(SignedInView(lang: context.language.rawValue, t: PageText.words(context.language),
                                                               next: next, stylesheet: stylesheet),
                                                  template: "oidc-continue", language: context.language, status: .ok)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// The browser's own token for a sign-in through the digital identity, so that the callback
/// counts only in the browser that began it. SameSite=Lax, not Strict: the callback is a
/// navigation from the provider's site, on which a Strict cookie is not sent.
enum OpenIDCookie {
    static let name = "amparo_oidc"

    static func browser(_ token: String) -> Cookie {
        Cookie(name: name, value: token, maxAge: 10 * 60, path: "/oidc", secure: true, httpOnly: true, sameSite: .lax)
    }

    static func ended() -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/oidc", secure: true, httpOnly: true, sameSite: .lax)
    }
}

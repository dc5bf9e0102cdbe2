import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird

/// Staff sign-in at `/office/sign-in`: a name and a password, then a code from an
/// authenticator app (or a recovery code); an account whose roles need a second factor and
/// has none enrols one first, and is shown its recovery codes once. Every step opens a
/// session under a new token, and every attempt, right or wrong, is in the audit trail.
struct StaffSignInPages: Sendable {
    let signIn: StaffSignIn
    let audit: PersonalDataAudit
    /// Whether the national digital identity is configured, so that the sign-in page offers it.
    var digitalIdentity = false

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("sign-in", use: start)
        group.post("sign-in", use: enter)
        group.get("second-factor", use: askSecondFactor)
        group.post("second-factor", use: checkSecondFactor)
        group.get("enrol", use: showEnrolment)
        group.post("enrol", use: confirmEnrolment)
        group.post("sign-out", use: leave)
    }

    struct SignInContent: Sendable {
        var csrf: String
        var name: String
        var error: String?
        var digitalIdentity = false
    }

    struct EnrolContent: Sendable {
        var csrf: String
        var uri: String
        var secret: String
        var error: String?
    }

    struct CodesContent: Sendable {
        var codes: [String]
    }

    @Sendable func start(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        if context.staff?.stage == .full { return try SeeOther(location: "/office").response(from: request, context: context) }
        let (token, cookie) = formToken(request)
        var response = try page("office-sign-in", "title_sign_in", SignInContent(csrf: token, name: "", digitalIdentity: digitalIdentity), context).response(from: request, context: context)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func enter(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        let form = try await PageForm(request)
        guard let kept = request.cookies[StaffCookies.signInForm]?.value, let sent = form["csrf"], !kept.isEmpty,
              CitizenSignIn.same(kept, sent) else {
            throw AccessRefusal.forbidden(reason: "csrf")
        }
        let name = String((form["name"] ?? "").prefix(60)), password = form["password"] ?? ""
        guard let (token, stage) = try await signIn.signIn(name: name, password: password, address: context.address) else {
            try await audit.signIn(actor: "staff:\(name)", outcome: "refused", purpose: "password", request: request, context: context)
            let words = PageText.words(context.language)
            return try page("office-sign-in", "title_sign_in", SignInContent(csrf: kept, name: name, error: words["sign_in_refused"],
                                                                              digitalIdentity: digitalIdentity),
                            context, status: .unauthorized).response(from: request, context: context)
        }
        try await audit.signIn(actor: "staff:\(name)", outcome: "allowed", purpose: "password", request: request, context: context)
        let next = switch stage {
        case .full: "/office"
        case .secondFactor: "/office/second-factor"
        case .enrolment: "/office/enrol"
        }
        var response = try SeeOther(location: next).response(from: request, context: context)
        response.setCookie(StaffCookies.session(token))
        return response
    }

    /// The answer to a refused sign-in: the sign-in page again with the one message that
    /// says neither which part was wrong nor whether the account exists.
    func refusal(_ request: Request, context: AmparoRequestContext) throws -> Response {
        let (token, cookie) = formToken(request)
        let words = PageText.words(context.language)
        var response = try page("office-sign-in", "title_sign_in",
                                SignInContent(csrf: token, name: "", error: words["sign_in_refused"], digitalIdentity: digitalIdentity),
                                context, status: .unauthorized).response(from: request, context: context)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    @Sendable func askSecondFactor(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        guard let session = context.staff, session.stage == .secondFactor else {
            return try SeeOther(location: "/office/sign-in").response(from: request, context: context)
        }
        return try page("office-second-factor", "title_second_factor", SignInContent(csrf: session.csrf, name: session.accountName), context)
            .response(from: request, context: context)
    }

    @Sendable func checkSecondFactor(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        let form = try await PageForm(request, context: context)
        guard let session = context.staff, session.stage == .secondFactor,
              let token = request.cookies[StaffCookies.session]?.value else {
            return try SeeOther(location: "/office/sign-in").response(from: request, context: context)
        }
        let actor = "staff:\(session.accountName)"
        guard let full = try await signIn.secondFactor(token: token, code: String((form["code"] ?? "").prefix(20)), address: context.address) else {
            try await audit.signIn(actor: actor, outcome: "refused", purpose: "second_factor", request: request, context: context)
            let words = PageText.words(context.language)
            return try page("office-second-factor", "title_second_factor",
                            SignInContent(csrf: session.csrf, name: session.accountName, error: words["second_factor_refused"]),
                            context, status: .unauthorized).response(from: request, context: context)
        }
        try await audit.signIn(actor: actor, outcome: "allowed", purpose: "second_factor", request: request, context: context)
        var response = try SeeOther(location: "/office").response(from: request, context: context)
        response.setCookie(StaffCookies.session(full))
        return response
    }

    @Sendable func showEnrolment(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        guard let session = context.staff, session.stage == .enrolment else {
            return try SeeOther(location: "/office/sign-in").response(from: request, context: context)
        }
        let enrolment = try await signIn.enrolment(of: session.accountID)
        return try page("office-enrol", "title_enrol", EnrolContent(csrf: session.csrf, uri: enrolment.uri, secret: enrolment.secret), context)
            .response(from: request, context: context)
    }

    @Sendable func confirmEnrolment(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        let form = try await PageForm(request, context: context)
        guard let session = context.staff, session.stage == .enrolment, let token = request.cookies[StaffCookies.session]?.value else {
            return try SeeOther(location: "/office/sign-in").response(from: request, context: context)
        }
        let actor = "staff:\(session.accountName)"
        guard let (full, codes) = try await signIn.confirmEnrolment(token: token, code: String((form["code"] ?? "").prefix(20)),
                                                                    address: context.address) else {
            try await audit.signIn(actor: actor, outcome: "refused", purpose: "enrolment", request: request, context: context)
            let enrolment = try await signIn.enrolment(of: session.accountID)
            let words = PageText.words(context.language)
            return try page("office-enrol", "title_enrol",
                            EnrolContent(csrf: session.csrf, uri: enrolment.uri, secret: enrolment.secret, error: words["second_factor_refused"]),
                            context, status: .unauthorized).response(from: request, context: context)
        }
        try await audit.signIn(actor: actor, outcome: "allowed", purpose: "enrolment", request: request, context: context)
        // The codes are shown once, on this answer, never again.
        var response = try page("office-recovery-codes", "title_recovery_codes", CodesContent(codes: codes), context)
            .response(from: request, context: context)
        response.setCookie(StaffCookies.session(full))
        return response
    }

    @Sendable func leave(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        _ = try await PageForm(request, context: context)
        if let token = request.cookies[StaffCookies.session]?.value { try await signIn.signOut(token: token) }
        var response = try SeeOther(location: "/office/sign-in").response(from: request, context: context)
        response.setCookie(StaffCookies.ended())
        return response
    }

    private func page<Content: Sendable>(_ template: String, _ title: String, _ content: Content, _ context: AmparoRequestContext,
                                         status: HTTPResponse.Status = .ok) -> Page<Content> {
        Page(template: template, title: PageText.words(context.language)[title] ?? "", section: .home, content: content,
             language: context.language, status: status)
    }

    /// The sign-in form's token: the one the browser holds, or a new one to give it.
    private func formToken(_ request: Request) -> (String, Cookie?) {
        if let kept = request.cookies[StaffCookies.signInForm]?.value, (32...64).contains(kept.count) { return (kept, nil) }
        let token = CitizenSignIn.newToken()
        return (token, StaffCookies.form(token))
    }
}

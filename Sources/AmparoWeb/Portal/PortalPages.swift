import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird

/// The citizen portal at `/portal`: a citizen signs in with their ID document number and a
/// one-time code, then sees their own household — its members and, under each published
/// policy, its result in plain words with what led to it and what would change it.
///
/// The household always comes from the session, never from the address, so no address
/// leads to another household. Forms repeat a token kept in a cookie, against requests
/// started by another site; every page a signed-in citizen sees is in the access log.
struct PortalPages: Sendable {
    let signIn: CitizenSignIn
    let households: HouseholdRepository
    let areas: AreaRepository
    let assessments: HouseholdAssessments
    let log: AccessLog
    /// Whether the national digital identity is configured, so that the sign-in page offers it.
    let digitalIdentity: Bool

    init(database: RegistryDatabase, signIn: CitizenSignIn, digitalIdentity: Bool = false) {
        self.digitalIdentity = digitalIdentity
        self.signIn = signIn
        households = HouseholdRepository(database: database)
        areas = AreaRepository(database: database)
        assessments = HouseholdAssessments(database: database)
        log = AccessLog(database: database)
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("", use: start)
        group.post("code", use: askForCode)
        group.post("sign-in", use: enter)
        group.get("household", use: household)
        group.post("sign-out", use: leave)
    }

    struct SignInContent: Sendable {
        var idNumber: String
        var error: String?
        var digitalIdentity = false
    }

    /// The sign-in page: the ID document number.
    @Sendable func start(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        if context.citizen != nil { return try SeeOther(location: "/portal/household").response(from: request, context: context) }
        let (token, cookies) = csrf(request)
        return try PortalPage(template: "portal-sign-in", title: words(context)["portal_title"] ?? "", content: SignInContent(idNumber: "", digitalIdentity: digitalIdentity),
                              language: context.language, csrf: token, cookies: cookies)
            .response(from: request, context: context)
    }

    /// Sends a code to whoever holds the number, and asks for it. The answer is the same
    /// whether the number is registered or not.
    @Sendable func askForCode(_ request: Request, context: AmparoRequestContext) async throws -> PortalPage<SignInContent> {
        let form = try await checkedForm(request, context: context)
        let number = String((form["id_number"] ?? "").prefix(60))
        let title = words(context)["portal_code_title"] ?? ""
        guard !number.trimmingCharacters(in: .whitespaces).isEmpty else {
            return PortalPage(template: "portal-sign-in", title: words(context)["portal_title"] ?? "",
                              content: SignInContent(idNumber: "", error: words(context)["portal_number_missing"], digitalIdentity: digitalIdentity),
                              language: context.language, csrf: form.csrf, status: .badRequest)
        }
        // The answer takes as long whether the number is registered or not.
        try await Self.atLeast(Self.answerTime) {
            _ = try await signIn.requestCode(idNumber: number, language: context.language, address: context.address)
        }
        return PortalPage(template: "portal-code", title: title, content: SignInContent(idNumber: number),
                          language: context.language, csrf: form.csrf)
    }

    /// Checks the code; a right one opens a new session and leads to the household.
    @Sendable func enter(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        let form = try await checkedForm(request, context: context)
        let number = String((form["id_number"] ?? "").prefix(60)), code = String((form["code"] ?? "").prefix(20))
        let opened = try await Self.atLeast(Self.answerTime) {
            try await signIn.signIn(idNumber: number, code: code, address: context.address)
        }
        guard let (token, _) = opened else {
            return try PortalPage(template: "portal-code", title: words(context)["portal_code_title"] ?? "",
                                  content: SignInContent(idNumber: number, error: words(context)["portal_code_wrong"]),
                                  language: context.language, csrf: form.csrf, status: .badRequest)
                .response(from: request, context: context)
        }
        // A new token at every sign-in: a session cookie planted before it opens nothing.
        var response = try SeeOther(location: "/portal/household").response(from: request, context: context)
        response.setCookie(PortalCookies.session(token, seconds: Int(signIn.sessionLifetime)))
        return response
    }

    struct HouseholdContent: Sendable {
        var registryNumber: String
        var area: String
        var members: [Member]
        var results: [Result]
        var date: String
        var looks: [Look]
    }

    /// One consultation of the household's data: when, by whom, through what, for what.
    struct Look: Sendable {
        var when: String
        var who: String
        var purpose: String
    }

    struct Member: Sendable {
        var name: String
        var relationship: String
        var birthDate: String
    }

    struct Result: Sendable {
        var summary: String
        var reasons: [String]
        var unknown: [String]
        var change: String?
        var hasReasons: Bool { !reasons.isEmpty }
        var hasUnknown: Bool { !unknown.isEmpty }
    }

    /// The citizen's own household, and its result under each published policy, explained.
    @Sendable func household(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        guard let citizen = context.citizen,
              let household = try await households.find(id: citizen.householdID) else {
            return try SeeOther(location: "/portal").response(from: request, context: context)
        }
        let language = context.language, format = PageFormat(language), words = PageText.words(language)
        let date = CalendarDate.today()
        let area = try await areas.find(code: household.area.code)
        let members = (household.members ?? []).map { member in
            Member(name: [member.individual.answers.text("given_names"), member.individual.answers.text("first_surname")]
                    .compactMap { $0 }.joined(separator: " "),
                   relationship: words["relationship_\(member.relationship)"] ?? member.relationship,
                   birthDate: member.individual.answers["birth_date"].flatMap { CalendarDate(iso: $0.exchangeText) }.map(format.date) ?? "")
        }
        let results = try await assessments.explainUnderEachPolicy(household, areaPath: area?.path ?? "/", on: date).map { explained in
            let names = explained.members.map { $0.individual.answers.text("given_names") }
            let plain = CitizenExplanation(explained.explanation, language: language) { index in
                (index < names.count ? names[index] : nil) ?? "#\(index + 1)"
            }
            return Result(summary: plain.result, reasons: plain.reasons, unknown: plain.unknown, change: plain.change)
        }
        let reads = PersonalDataAudit.household(household)
        let actor = "citizen:\(citizen.individualID.uuidString)"
        try await log.recordReads(reads, actor: actor, channel: "portal", purpose: "own_household", requestPath: request.uri.description)
        let looks = try await self.looks(at: reads.map(\.id), by: actor, format: format, words: words)
        let (token, cookies) = csrf(request)
        return try PortalPage(template: "portal-household", title: words["portal_household_title"] ?? "",
                              content: HouseholdContent(registryNumber: household.registryNumber.description,
                                                        area: area?.name ?? household.area.code, members: members,
                                                        results: results, date: format.date(date), looks: looks),
                              language: language, csrf: token, signedIn: true, cookies: cookies)
            .response(from: request, context: context)
    }

    /// Ends the session.
    @Sendable func leave(_ request: Request, context: AmparoRequestContext) async throws -> Response {
        _ = try await checkedForm(request, context: context)
        if let token = request.cookies[PortalCookies.session]?.value { try await signIn.signOut(session: token) }
        var response = try SeeOther(location: "/portal").response(from: request, context: context)
        response.setCookie(PortalCookies.ended())
        return response
    }

    /// Who looked at the household's data, newest first: one line per request, however many
    /// of its members it showed.
    private func looks(at ids: [UUID], by citizen: String, format: PageFormat, words: [String: String]) async throws -> [Look] {
        var seen = Set<String>()
        var looks: [Look] = []
        for entry in try await log.latest(of: ids, limit: 200) {
            guard seen.insert(entry.occurredAt + entry.actor + entry.requestPath).inserted else { continue }
            let who = entry.actor == citizen ? words["portal_look_you"] ?? entry.actor
                : entry.actor.hasPrefix("citizen:") ? words["portal_look_citizen"] ?? entry.actor
                : entry.actor == "anonymous" ? words["portal_look_anonymous"] ?? entry.actor
                // A staff account or a system, by its name.
                : String(entry.actor.drop { $0 != ":" }.dropFirst())
            let channel = words["portal_channel_\(entry.channel)"] ?? entry.channel
            looks.append(Look(when: format.moment(entry.occurredAt), who: "\(who) · \(channel)",
                              purpose: words["portal_purpose_\(entry.purpose)"] ?? entry.purpose))
            if looks.count == 30 { break }
        }
        return looks
    }

    private func words(_ context: AmparoRequestContext) -> [String: String] { PageText.words(context.language) }

    /// How long the portal takes, at least, to answer a request for a code or a code: longer
    /// than either road through the database, so that the time tells nothing of who is registered.
    static let answerTime: Duration = .milliseconds(300)

    /// Runs `body`, then waits out what is left of `duration`.
    static func atLeast<T: Sendable>(_ duration: Duration, _ body: () async throws -> T) async throws -> T {
        let clock = ContinuousClock(), start = clock.now
        let result = try await body()
        let left = duration - (clock.now - start)
        if left > .zero { try await Task.sleep(for: left) }
        return result
    }

    /// The token of the forms: the one the browser holds, or a new one to give it.
    func csrf(_ request: Request) -> (String, [Cookie]) {
        if let kept = request.cookies[PortalCookies.csrf]?.value, kept.count >= 32, kept.count <= 64 { return (kept, []) }
        let token = CitizenSignIn.newToken()
        return (token, [PortalCookies.csrf(token)])
    }

    /// A posted form whose token matches the cookie's; anything else is refused with 403.
    private func checkedForm(_ request: Request, context: AmparoRequestContext) async throws -> CheckedForm {
        let form = try await PageForm(request)
        guard let kept = request.cookies[PortalCookies.csrf]?.value, let sent = form["csrf"],
              CitizenSignIn.same(kept, sent), !kept.isEmpty else {
            throw ProblemDetails(status: .forbidden, .formExpired, in: context.language)
        }
        return CheckedForm(form: form, csrf: kept)
    }

    struct CheckedForm {
        var form: PageForm
        var csrf: String
        subscript(name: String) -> String? { form[name] }
    }
}

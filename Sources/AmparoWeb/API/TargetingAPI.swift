import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage

/// Targeting in API v1: the published policies, the runs and their figures, and for one
/// household the explanation of its result under a policy.
struct TargetingAPI: Sendable {
    let catalogue: PolicyCatalogue
    let runs: TargetingRunRepository
    let households: HouseholdRepository
    let areas: AreaRepository
    let assessments: HouseholdAssessments
    let audit: PersonalDataAudit

    init(database: RegistryDatabase, audit: PersonalDataAudit) {
        self.audit = audit
        catalogue = PolicyCatalogue(database: database)
        runs = TargetingRunRepository(database: database)
        households = HouseholdRepository(database: database)
        areas = AreaRepository(database: database)
        assessments = HouseholdAssessments(database: database)
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("targeting/policies", needs: .readAggregates, use: listPolicies)
        group.get("targeting/runs", needs: .readAggregates, use: listRuns)
        group.get("targeting/runs/:id", needs: .readAggregates, use: showRun)
        group.get("targeting/runs/:id/report", needs: .readAggregates, use: runReport)
        group.get("targeting/runs/:id/compare/:other", needs: .readAggregates, use: compareRuns)
        group.get("targeting/runs/:id/cost", needs: .readAggregates, use: cost)
        group.get("households/:id/assessment", needs: .readPersons, use: assessHousehold)
    }

    struct Items<Item: Encodable & Sendable>: Encodable, Sendable {
        var items: [Item]
    }

    @Sendable func listPolicies(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Items<PolicyCatalogue.Entry>> {
        return JSONResponse(value: Items(items: try await catalogue.entries()))
    }

    @Sendable func listRuns(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Items<StoredRun>> {
        return JSONResponse(value: Items(items: try await runs.list().filter {
            context.requester.may(.readAggregates, in: $0.areaPath ?? Grant.wholeCountry)
        }))
    }

    @Sendable func showRun(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<StoredRun> {
        JSONResponse(value: try await runs.run(named: context.parameters.get("id"), context: context))
    }

    @Sendable func runReport(_ request: Request, context: AmparoRequestContext) async throws -> RawJSONResponse {
        let run = try await runs.run(named: context.parameters.get("id"), context: context)
        let query = APIQuery(request, language: context.language)
        let weighting = try query.weighting()
        let scopes = try query.text("scope").map { Set($0.split(separator: ",").map(String.init)) }
        let report = try await runs.report(run.id, scopes: scopes, weighting: weighting)
        return RawJSONResponse(json: report.json())
    }

    struct CostOut: Encodable, Sendable {
        var benefit: String
        var per: String
        var classes: [String]
        var populations: [Line]

        struct Line: Encodable, Sendable {
            var scope: String
            var key: String
            var name: String
            var households: Int64
            var persons: Int64
            var cost: String
        }
    }

    /// What a benefit would cost per payment for the households the run selects.
    @Sendable func cost(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<CostOut> {
        let run = try await runs.run(named: context.parameters.get("id"), context: context)
        let query = APIQuery(request, language: context.language)
        guard let benefit = try query.benefit() else {
            throw ProblemDetails.badRequest(.notAnAmount(""), in: context.language, parameter: "benefit")
        }
        let report = try await runs.report(run.id)
        let cost = try query.cost(of: benefit, report: report)
        return JSONResponse(value: CostOut(
            benefit: Answer.money(hundredths: cost.amount).exchangeText, per: cost.recipient.rawValue, classes: cost.classes,
            populations: cost.lines.map {
                .init(scope: $0.scope, key: $0.key, name: $0.name, households: $0.households, persons: $0.persons,
                      cost: Answer.money(hundredths: $0.cost).exchangeText)
            }))
    }

    @Sendable func compareRuns(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<RunComparison> {
        let first = try await runs.run(named: context.parameters.get("id"), context: context)
        let second = try await runs.run(named: context.parameters.get("other"), context: context)
        return JSONResponse(value: try await runs.compare(first.id, second.id))
    }

    /// The household's result under a policy on its current data, explained.
    @Sendable func assessHousehold(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<Assessed> {
        let language = context.language
        let query = APIQuery(request, language: language)
        guard let reference = try query.text("policy") else {
            throw ProblemDetails.badRequest(.policyRequired, in: language, parameter: "policy")
        }
        let date = try query.referenceDate() ?? CalendarDate.today()
        let key = context.parameters.get("id") ?? ""
        let (household, areaPath) = try await households.find(key: key, context: context)
        guard let explained = try await assessments.explain(household, areaPath: areaPath, policy: reference, on: date) else {
            throw ProblemDetails.notFound(.noPolicy(reference), in: language)
        }
        try await audit.read([PersonalDataRead(.household, household.id)] + explained.members.map { PersonalDataRead(.individual, $0.individual.id) },
                             purpose: "targeting_explanation", request: request, context: context)
        return JSONResponse(value: Assessed(explained.explanation, members: explained.members, date: date, language: language))
    }

}

extension TargetingRunRepository {
    /// The run a path names, if the requester may see its area; or the problem to answer:
    /// 400 for a bad number, 404 for none.
    func run(named text: String?, context: AmparoRequestContext) async throws -> StoredRun {
        let text = text ?? ""
        guard let id = Int64(text), id > 0 else {
            throw ProblemDetails.badRequest(.notARunNumber(text), in: context.language, parameter: "id")
        }
        guard let run = try await find(id) else { throw ProblemDetails.notFound(.noRun(text), in: context.language) }
        try context.require(.readAggregates, in: run.areaPath ?? Grant.wholeCountry, entity: "none", id: nil)
        return run
    }
}

extension APIQuery {
    /// `weighting=households` or `persons`; nil when not asked.
    func weighting() throws -> Weighting? {
        guard let text = try text("weighting") else { return nil }
        guard let weighting = Weighting(rawValue: text) else {
            throw ProblemDetails.badRequest(.notAWeighting(text), in: language, parameter: "weighting")
        }
        return weighting
    }

    /// `reference_date=2026-11-24`; nil when not asked.
    func referenceDate() throws -> CalendarDate? {
        guard let text = try text("reference_date") else { return nil }
        guard let date = CalendarDate(iso: text) else {
            throw ProblemDetails.badRequest(.notADate(text), in: language, parameter: "reference_date")
        }
        return date
    }

    /// `benefit=150000.50`: the amount in hundredths; nil when not asked.
    func benefit() throws -> Int64? {
        guard let text = try text("benefit") else { return nil }
        guard let amount = Questionnaire.Kind.hundredths(text), amount > 0 else {
            throw ProblemDetails.badRequest(.notAnAmount(text), in: language, parameter: "benefit")
        }
        return amount
    }

    /// The cost of `benefit` for `per` (household or person) and the `classes` given (comma
    /// separated or repeated; the policy's first class by default).
    func cost(of benefit: Int64, report: RunReport) throws -> BenefitCost {
        var recipient = BenefitCost.Recipient.household
        if let text = try text("per") {
            guard let parsed = BenefitCost.Recipient(rawValue: text) else {
                throw ProblemDetails.badRequest(.notARecipient(text), in: language, parameter: "per")
            }
            recipient = parsed
        }
        let classes = request.uri.queryParameters.getAll("classes").flatMap { $0.split(separator: ",").map(String.init) }
        do {
            return try BenefitCost(report: report, amount: benefit, recipient: recipient, classes: classes)
        } catch .unknownClass(let id, let known) {
            throw ProblemDetails.badRequest(.notAClass(id, known: known), in: language, parameter: "classes")
        } catch {
            throw ProblemDetails.badRequest(.notAnAmount(String(benefit)), in: language, parameter: "benefit")
        }
    }
}

/// A household's explained result, as the API gives it.
struct Assessed: Encodable, Sendable {
    var policy: String
    var referenceDate: String
    var className: String
    var classTitle: String
    var score: String?
    var cutoff: String?
    var value: Double?
    var findings: [FindingOut]
    /// The indicators whose change would change the result.
    var decisive: [String]
    var sentences: [String]

    struct FindingOut: Encodable, Sendable {
        var id: String
        var title: String
        var weight: String?
        var status: String
        var evidence: [EvidenceOut]
    }

    struct EvidenceOut: Encodable, Sendable {
        var personID: UUID?
        var personName: String?
        var field: String
        var value: String?
    }

    enum CodingKeys: String, CodingKey {
        case policy, referenceDate, className = "class", classTitle, score, cutoff, value, findings, decisive, sentences
    }

    init(_ explanation: Explanation, members: [Member], date: CalendarDate, language: Language) {
        func name(_ index: Int) -> String {
            guard index < members.count else { return "#\(index + 1)" }
            return members[index].individual.answers.text("given_names") ?? "#\(index + 1)"
        }
        policy = explanation.policy.reference
        referenceDate = date.description
        className = explanation.className
        classTitle = explanation.policy.classes[explanation.assessment.classIndex].title[language]
        score = explanation.score?.decimal(places: 4)
        cutoff = explanation.cutoff?.decimal(places: 4)
        value = explanation.assessment.value
        findings = explanation.findings.map { finding in
            FindingOut(id: finding.id, title: finding.title[language], weight: finding.weight?.description,
                       status: ["no", "unknown", "yes"][Int(finding.status.rawValue)],
                       evidence: finding.evidence.map { item in
                           EvidenceOut(personID: item.member.flatMap { $0 < members.count ? members[$0].individual.id : nil },
                                       personName: item.member.map(name), field: item.field, value: item.value)
                       })
        }
        decisive = explanation.decisiveIndicators.map(\.id)
        sentences = explanation.sentences(language, memberName: name)
    }
}

/// A JSON document sent as it is, keys untouched (class ids such as `A` stay upper-case).
struct RawJSONResponse: ResponseGenerator {
    var json: JSONValue

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: json.text)))
    }
}

import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage

/// The caseworker's view of one household: its members, and its result under a policy
/// explained — which indicators, from which of its answers, made it poor or not, and what
/// would change the result.
struct HouseholdPages: Sendable {
    let households: HouseholdRepository
    let areas: AreaRepository
    let catalogue: PolicyCatalogue
    let assessments: HouseholdAssessments
    let audit: PersonalDataAudit

    init(database: RegistryDatabase, audit: PersonalDataAudit) {
        households = HouseholdRepository(database: database)
        areas = AreaRepository(database: database)
        catalogue = PolicyCatalogue(database: database)
        assessments = HouseholdAssessments(database: database)
        self.audit = audit
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("households", needs: .readPersons, use: find)
        group.get("households/:id", needs: .readPersons, use: show)
    }

    /// The home page's search box: a registry number leads to its household.
    @Sendable func find(_ request: Request, context: AmparoRequestContext) async throws -> SeeOther {
        let text = try APIQuery(request, language: context.language).text("number") ?? ""
        let household = try await households.find(key: text, context: context).household
        return SeeOther(location: "/office/households/\(household.registryNumber)")
    }

    struct Content: Sendable {
        var area: String
        var members: [MemberRow]
        var policies: [TargetingPages.Choice]
        var assessment: AssessmentView?
    }

    struct MemberRow: Sendable {
        var name: String
        var relationship: String
        var sex: String
        var birthDate: String
        var document: String
    }

    struct AssessmentView: Sendable {
        var policy: String
        var className: String
        var score: String?
        var sentences: [String]
        var findings: [FindingRow]
    }

    struct FindingRow: Sendable {
        var title: String
        var weight: String
        var status: String
        /// yes, no or unknown: the row's colour, which the status's words repeat.
        var tone: String
        var evidence: String
        var decisive: Bool
    }

    @Sendable func show(_ request: Request, context: AmparoRequestContext) async throws -> Page<Content> {
        let language = context.language, format = PageFormat(language), words = PageText.words(language)
        let key = context.parameters.get("id") ?? ""
        let (household, areaPath) = try await households.find(key: key, context: context)
        let query = APIQuery(request, language: language)
        let date = try query.referenceDate() ?? CalendarDate.today()
        let members = (household.members ?? []).map { member in
            let answers = member.individual.answers
            return MemberRow(
                name: [answers.text("given_names"), answers.text("first_surname"), answers.text("second_surname")]
                    .compactMap { $0 }.joined(separator: " "),
                relationship: words["relationship_\(member.relationship)"] ?? member.relationship,
                sex: answers.text("sex").map { words["sex_\($0)"] ?? $0 } ?? "",
                birthDate: answers["birth_date"].flatMap { CalendarDate(iso: $0.exchangeText) }.map(format.date) ?? "",
                document: [answers.text("id_type"), answers.text("id_number")].compactMap { $0 }.joined(separator: " "))
        }
        let path = "/office/households/\(household.registryNumber)"
        let chosen = try query.text("policy")
        // Each published policy by its title in the reader's language.
        let published = try await catalogue.policies()
        let policies = try await catalogue.entries().compactMap { entry in
            published[entry.reference].map { policy in
                TargetingPages.Choice(label: policy.title[language], href: PageLink.path(path, query: [("policy", entry.reference)]),
                                      current: chosen == entry.reference || chosen == entry.name)
            }
        }
        var assessment: AssessmentView?
        var purpose = "household_record"
        if let chosen {
            guard let explained = try await assessments.explain(household, areaPath: areaPath, policy: chosen, on: date) else {
                throw ProblemDetails.notFound(.noPolicy(chosen), in: language)
            }
            assessment = view(explained, language: language, format: format, words: words)
            purpose = "targeting_explanation"
        }
        try await audit.read(PersonalDataAudit.household(household), purpose: purpose, request: request, context: context)
        return Page(template: "household", title: PageSentence.householdTitle(household.registryNumber).text(in: language),
                    section: .home,
                    content: Content(area: "\(household.area.name) (\(household.area.code))", members: members,
                                     policies: policies, assessment: assessment),
                    language: language)
    }

    private func view(_ explained: HouseholdAssessments.Explained, language: Language, format: PageFormat,
                      words: [String: String]) -> AssessmentView {
        let explanation = explained.explanation
        let members = explained.members
        func name(_ index: Int) -> String {
            index < members.count ? members[index].individual.answers.text("given_names") ?? "#\(index + 1)" : "#\(index + 1)"
        }
        let decisive = Set(explanation.decisiveIndicators.map(\.id))
        let findings = explanation.findings.map { finding in
            let tone = ["no", "unknown", "yes"][Int(finding.status.rawValue)]
            let evidence = finding.evidence.map { item in
                let who = item.member.map { name($0) + ": " } ?? ""
                return who + item.field + " = " + (item.value ?? (words["map_no_data"] ?? "—"))
            }
            return FindingRow(title: finding.title[language],
                              weight: finding.weight.map { format.percent($0.doubleValue, places: 2) } ?? "",
                              status: words["finding_\(tone)"] ?? tone, tone: tone,
                              evidence: evidence.joined(separator: "; "), decisive: decisive.contains(finding.id))
        }
        let score = explanation.score.map { score in
            PageSentence.scoreAgainstCutoff(score: format.percent(score.doubleValue, places: 1),
                                            cutoff: explanation.cutoff.map { format.percent($0.doubleValue, places: 1) } ?? "—")
                .text(in: language)
        }
        return AssessmentView(policy: "\(explanation.policy.title[language]) (\(explanation.policy.reference))",
                              className: explanation.policy.classes[explanation.assessment.classIndex].title[language],
                              score: score, sentences: explanation.sentences(language, memberName: name), findings: findings)
    }
}

import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage

/// The back office's screens of identity resolution: the deduplication runs, and the
/// clerical review queue where a person decides whether two records are the same person.
struct IdentityPages: Sendable {
    let identity: IdentityRepository
    let audit: PersonalDataAudit

    init(database: RegistryDatabase, audit: PersonalDataAudit) {
        identity = IdentityRepository(database: database)
        self.audit = audit
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("identity", needs: .reviewIdentity, use: runs)
        group.get("identity/runs/:id/review", needs: .reviewIdentity, use: review)
        group.post("identity/runs/:id/pairs/:left/:right/decision", needs: .reviewIdentity, use: decide)
        group.post("identity/merges/:id/undo", needs: .reviewIdentity, use: undo)
    }

    struct RunsContent: Sendable {
        var runs: [RunRow]
        var hasRuns: Bool
    }

    struct RunRow: Sendable {
        var number: String
        var status: String
        var persons: String
        var linked: String
        var waiting: String
        var reviewHref: String?
        var thresholds: String
        var startedAt: String
        var startedBy: String
        var finishedAt: String
    }

    @Sendable func runs(_ request: Request, context: AmparoRequestContext) async throws -> Page<RunsContent> {
        try context.requireEverywhere(.reviewIdentity)
        let language = context.language, format = PageFormat(language)
        let words = PageText.words(language)
        var rows: [RunRow] = []
        for run in try await identity.runs().reversed() {
            let counts = try await identity.counts(run: run.id)
            rows.append(RunRow(
                number: String(run.id),
                status: words[run.status == "completed" ? "status_completed" : "status_running"] ?? run.status,
                persons: format.count(run.records), linked: format.count(counts.linked), waiting: format.count(counts.waiting),
                reviewHref: counts.waiting > 0 ? "/office/identity/runs/\(run.id)/review" : nil,
                thresholds: PageSentence.thresholds(link: format.probability(run.linkThreshold), review: format.probability(run.reviewThreshold))
                    .text(in: language),
                startedAt: format.moment(run.startedAt), startedBy: run.startedBy,
                finishedAt: run.finishedAt.map(format.moment) ?? "—"))
        }
        return Page(template: "identity-runs", title: words["title_identity"] ?? "", section: .identity,
                    content: RunsContent(runs: rows, hasRuns: !rows.isEmpty), language: language)
    }

    struct ReviewContent: Sendable {
        var summary: String
        var notice: Notice?
        var pairs: [PairView]
        var nextHref: String?
    }

    struct Notice: Sendable {
        var text: String
        var undoAction: String?
        var run: String
        var cursor: String
    }

    struct PairView: Sendable {
        var number: Int
        var probability: String
        var leftRef: String
        var rightRef: String
        var rows: [FieldRow]
        var action: String
        var cursor: String
    }

    struct FieldRow: Sendable {
        var label: String
        var left: String
        var right: String
        /// For the household row: links to each household's page, to look closer before deciding.
        var leftHref: String?
        var rightHref: String?
        var level: String
        /// agree, close, differ or missing: the row's colour, which the level's words repeat.
        var tone: String
    }

    static let pageSize = 10

    @Sendable func review(_ request: Request, context: AmparoRequestContext) async throws -> Page<ReviewContent> {
        // Reviewing shows persons from anywhere in the country.
        try context.requireEverywhere(.reviewIdentity)
        let language = context.language, format = PageFormat(language)
        let run = try await identity.run(named: context.parameters.get("id"), language: language)
        let query = APIQuery(request, language: language)
        let cursorText = try query.text("cursor")
        let cursor = try cursorText.map { try ReviewCursor(parsing: $0, language: language) }
        let pairs = try await identity.pairs(run: run.id, status: "review", undecidedOnly: true,
                                             after: cursor.map { ($0.left, $0.right) }, limit: Self.pageSize)
        let persons = try await identity.reviewedPersons(pairs.flatMap { [$0.left, $0.right] })
        try await audit.read(persons.keys.sorted().map { PersonalDataRead(.individual, $0) }, purpose: "clerical_review",
                             request: request, context: context)
        let comparisons = run.linkageComparisons
        let words = PageText.words(language)
        let views = pairs.enumerated().map { index, pair in
            PairView(
                number: index + 1, probability: PageSentence.probability(format.probability(pair.probability)).text(in: language),
                leftRef: pair.leftRef, rightRef: pair.rightRef,
                rows: comparisons.enumerated().map { position, comparison in
                    row(comparison, level: pair.pattern[position], persons[pair.left], persons[pair.right],
                        words: words, format: format, language: language)
                },
                action: "/office/identity/runs/\(run.id)/pairs/\(pair.left.uuidString)/\(pair.right.uuidString)/decision",
                cursor: cursorText ?? "")
        }
        let counts = try await identity.counts(run: run.id)
        let summary = PageSentence.reviewSummary(persons: format.count(run.records), waiting: format.count(counts.waiting),
                                                 link: format.probability(run.linkThreshold), review: format.probability(run.reviewThreshold))
        let next = pairs.count == Self.pageSize ? pairs.last.map {
            PageLink.path("/office/identity/runs/\(run.id)/review", query: [("cursor", ReviewCursor(left: $0.left, right: $0.right).text)])
        } : nil
        return Page(template: "identity-review", title: PageSentence.reviewTitle(run: String(run.id)).text(in: language),
                    section: .identity,
                    content: ReviewContent(summary: summary.text(in: language),
                                           notice: try await notice(request, run: run.id, cursor: cursorText ?? "", language: language),
                                           pairs: views, nextHref: next),
                    language: language)
    }

    /// One field of a pair: both values as the reviewer reads them, and how far they agree.
    private func row(_ comparison: Comparison, level: Int, _ left: ReviewedPerson?, _ right: ReviewedPerson?,
                     words: [String: String], format: PageFormat, language: Language) -> FieldRow {
        func value(_ person: ReviewedPerson?) -> String {
            guard let person else { return "" }
            switch comparison.field {
            case .givenNames: return person.givenNames ?? ""
            case .surnames: return [person.firstSurname, person.secondSurname].compactMap { $0 }.joined(separator: " ")
            case .birthDate: return person.birthDate.map { CalendarDate(iso: $0).map(format.date) ?? $0 } ?? ""
            case .sex: return person.sex.map { words["sex_\($0)"] ?? $0 } ?? ""
            case .idNumber: return person.idNumber ?? ""
            case .phone: return person.phone ?? ""
            case .region: return [person.areaName, person.areaCode.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
            case .household, nil: return person.registryNumber ?? ""
            default: return ""
            }
        }
        let levels = comparison.levelTexts
        let tone = level < 0 ? "missing" : level == 0 ? "agree" : level == levels.count - 1 ? "differ" : "close"
        func link(_ person: ReviewedPerson?) -> String? {
            guard comparison.field == nil, let number = person?.registryNumber else { return nil }
            return "/office/households/\(number)"
        }
        return FieldRow(label: words["field_\(comparison.name)"] ?? comparison.name, left: value(left), right: value(right),
                        leftHref: link(left), rightHref: link(right),
                        level: level < 0 ? words["level_missing"] ?? "" : levels[level][language], tone: tone)
    }

    /// What the last form did, told on the page it returns to.
    private func notice(_ request: Request, run: Int64, cursor: String, language: Language) async throws -> Notice? {
        let query = request.uri.queryParameters
        let words = PageText.words(language)
        guard let done = query.get("done") else { return nil }
        if done == "undone" { return Notice(text: PageSentence.undone.text(in: language), undoAction: nil, run: String(run), cursor: cursor) }
        guard let decision = IdentityRepository.Decision(rawValue: done) else { return nil }
        var text = PageSentence.decided(words["decision_\(decision.rawValue)"]?.lowercased() ?? done).text(in: language)
        var undoAction: String?
        if let number = query.get("merge").flatMap({ Int64($0) }), let merge = try await identity.findMerge(number), !merge.isUndone {
            let persons = try await identity.reviewedPersons([merge.individual, merge.into])
            text += " " + PageSentence.merged(right: persons[merge.individual]?.ref ?? "—", left: persons[merge.into]?.ref ?? "—")
                .text(in: language)
            undoAction = "/office/identity/merges/\(merge.id)/undo"
        }
        return Notice(text: text, undoAction: undoAction, run: String(run), cursor: cursor)
    }

    @Sendable func decide(_ request: Request, context: AmparoRequestContext) async throws -> SeeOther {
        try context.requireEverywhere(.reviewIdentity)
        let language = context.language
        let run = try await identity.run(named: context.parameters.get("id"), language: language)
        let left = try context.personID("left"), right = try context.personID("right")
        let form = try await PageForm(request, context: context)
        guard let decision = form["decision"].flatMap(IdentityRepository.Decision.init(rawValue:)) else {
            throw ProblemDetails.badRequest(.notADecision(form["decision"] ?? ""), in: language, parameter: "decision")
        }
        let merge = try await identity.decide(run: run.id, left: left, right: right, decision, context: context)
        // After a skip the queue goes on past the pair; otherwise it stays where the reviewer was.
        var cursor = form["cursor"].flatMap { $0.isEmpty ? nil : $0 }
        if decision == .skip { cursor = ReviewCursor(left: left, right: right).text }
        var told = [("done", decision.rawValue)]
        if let merge { told.append(("merge", String(merge))) }
        return queue(run: run.id, at: cursor, telling: told)
    }

    /// Back to the review queue where the reviewer was, telling what was done; a cursor that
    /// is not one is dropped.
    private func queue(run: Int64, at cursor: String?, telling told: [(String, String)]) -> SeeOther {
        let valid = cursor.flatMap { try? ReviewCursor(parsing: $0, language: .en) }
        return SeeOther(location: PageLink.path("/office/identity/runs/\(run)/review",
                                                query: (valid.map { [("cursor", $0.text)] } ?? []) + told))
    }

    @Sendable func undo(_ request: Request, context: AmparoRequestContext) async throws -> SeeOther {
        try context.requireEverywhere(.reviewIdentity)
        let form = try await PageForm(request, context: context)
        try await identity.undo(mergeNamed: context.parameters.get("id"), reason: "undone in clerical review", context: context)
        guard let run = form["run"].flatMap({ Int64($0) }), try await identity.run(run) != nil else {
            return SeeOther(location: "/office/identity")
        }
        return queue(run: run, at: form["cursor"], telling: [("done", "undone")])
    }
}

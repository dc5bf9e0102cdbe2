import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage

/// Identity resolution in API v1: deduplication runs, the clerical review queue with both
/// records side by side, reviewers' decisions, undoing a merge, and the check made before
/// a person is registered.
struct IdentityAPI: Sendable {
    let identity: IdentityRepository
    let individuals: IndividualRepository
    let check: RegistrationCheck
    let audit: PersonalDataAudit

    init(database: RegistryDatabase, audit: PersonalDataAudit) {
        self.audit = audit
        identity = IdentityRepository(database: database)
        individuals = IndividualRepository(database: database)
        check = RegistrationCheck(database: database)
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("identity/runs", needs: .reviewIdentity, use: listRuns)
        group.get("identity/runs/:id/review", needs: .reviewIdentity, use: reviewQueue)
        group.post("identity/runs/:id/pairs/:left/:right/decision", needs: .reviewIdentity, use: decide)
        group.delete("identity/merges/:id", needs: .reviewIdentity, use: undoMerge)
        group.post("identity/check", needs: .changeRegistry, use: checkRegistration)
    }

    @Sendable func listRuns(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<TargetingAPI.Items<IdentityRepository.StoredRun>> {
        try context.requireEverywhere(.reviewIdentity)
        return JSONResponse(value: .init(items: try await identity.runs()))
    }

    /// A record as the reviewer sees it.
    struct PersonOut: Encodable, Sendable {
        var id: UUID
        var personRef: String
        var fields: [String: String]
    }

    /// A pair awaiting review: both records, and each field's level of agreement.
    struct ReviewPair: Encodable, Sendable {
        var left: PersonOut
        var right: PersonOut
        var probability: Double
        var weight: Double
        var agreement: [String: String]
    }

    struct ReviewPage: Encodable, Sendable {
        var items: [ReviewPair]
        var nextCursor: String?
    }

    @Sendable func reviewQueue(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<ReviewPage> {
        // Reviewing shows persons from anywhere in the country.
        try context.requireEverywhere(.reviewIdentity)
        let run = try await identity.run(named: context.parameters.get("id"), language: context.language)
        let query = APIQuery(request, language: context.language)
        let limit = try query.limit(default: 20, max: 100)
        let cursor = try query.text("cursor").map { try ReviewCursor(parsing: $0, language: context.language) }
        let pairs = try await identity.pairs(run: run.id, status: "review", undecidedOnly: true,
                                             after: cursor.map { ($0.left, $0.right) }, limit: limit)
        let persons = try await identity.reviewedPersons(pairs.flatMap { [$0.left, $0.right] })
        try await audit.read(persons.keys.sorted().map { PersonalDataRead(.individual, $0) }, purpose: "clerical_review",
                             request: request, context: context)
        let comparisons = run.linkageComparisons
        var items: [ReviewPair] = []
        for pair in pairs {
            let agreement = Dictionary(uniqueKeysWithValues: zip(comparisons.map(\.name), pair.pattern.agreement(comparisons)))
            items.append(ReviewPair(left: PersonOut(id: pair.left, personRef: pair.leftRef, fields: persons[pair.left]?.fields ?? [:]),
                                    right: PersonOut(id: pair.right, personRef: pair.rightRef, fields: persons[pair.right]?.fields ?? [:]),
                                    probability: pair.probability, weight: pair.weight, agreement: agreement))
        }
        let next = pairs.count == limit ? pairs.last.map { ReviewCursor(left: $0.left, right: $0.right).text } : nil
        return JSONResponse(value: ReviewPage(items: items, nextCursor: next))
    }

    struct DecisionIn: Decodable { var decision: String }
    struct DecisionOut: Encodable, Sendable {
        var decision: String
        var mergeID: Int64?
    }

    @Sendable func decide(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<DecisionOut> {
        try context.requireEverywhere(.reviewIdentity)
        let language = context.language
        let run = try await identity.run(named: context.parameters.get("id"), language: language)
        let left = try context.personID("left"), right = try context.personID("right")
        let body = try await request.decode(as: DecisionIn.self, context: context)
        guard let decision = IdentityRepository.Decision(rawValue: body.decision) else {
            throw ProblemDetails.badRequest(.notADecision(body.decision), in: language, parameter: "decision")
        }
        let merge = try await identity.decide(run: run.id, left: left, right: right, decision, context: context)
        if merge != nil {
            try await audit.wrote([PersonalDataRead(.individual, left), PersonalDataRead(.individual, right)], purpose: "merge",
                                  request: request, context: context, permission: .reviewIdentity)
        }
        return JSONResponse(value: DecisionOut(decision: decision.rawValue, mergeID: merge))
    }

    @Sendable func undoMerge(_ request: Request, context: AmparoRequestContext) async throws -> HTTPResponse.Status {
        try context.requireEverywhere(.reviewIdentity)
        try await identity.undo(mergeNamed: context.parameters.get("id"), reason: nil, context: context)
        return .noContent
    }

    struct PersonIn: Decodable {
        var givenNames: String?
        var firstSurname: String?
        var secondSurname: String?
        var birthDate: String?
        var sex: String?
        var idNumber: String?

        enum CodingKeys: String, CodingKey {
            case givenNames = "given_names", firstSurname = "first_surname", secondSurname = "second_surname"
            case birthDate = "birth_date", sex, idNumber = "id_number"
        }
    }

    struct CheckOut: Encodable, Sendable {
        var matches: [Match]
        struct Match: Encodable, Sendable {
            var individualID: UUID
            var personRef: String
            var name: String
            var birthDate: String?
            var householdID: UUID?
            var registryNumber: String?
            var probability: Double?
            var message: String
        }
    }

    /// Asked before saving a new person: who already registered may be this person.
    @Sendable func checkRegistration(_ request: Request, context: AmparoRequestContext) async throws -> JSONResponse<CheckOut> {
        let language = context.language
        let body = try await request.decode(as: PersonIn.self, context: context)
        for (name, value) in [("given_names", body.givenNames), ("first_surname", body.firstSurname),
                              ("second_surname", body.secondSurname), ("id_number", body.idNumber)] where (value?.count ?? 0) > 200 {
            throw ProblemDetails.badRequest(.tooLong(name), in: language, parameter: name)
        }
        if let date = body.birthDate, CalendarDate(iso: date) == nil {
            throw ProblemDetails.badRequest(.notADate(date), in: language, parameter: "birth_date")
        }
        var person = PersonRecord(id: "new")
        person.givenNames = body.givenNames
        person.firstSurname = body.firstSurname
        person.secondSurname = body.secondSurname
        person.birthDate = body.birthDate
        person.sex = body.sex
        person.idNumber = body.idNumber
        // Only the matches the requester may see: a person elsewhere is not shown, as a search would not.
        var visible: [RegistrationCheck.Candidate] = []
        for candidate in try await check.candidates(for: person) {
            let paths = try await individuals.areaPaths(of: candidate.individualID)
            if paths.contains(where: { context.requester.may(.readPersons, in: $0) })
                || (paths.isEmpty && context.requester.may(.readPersons, in: Grant.wholeCountry)) {
                visible.append(candidate)
            }
        }
        let matches = visible.map { candidate in
            let name = [candidate.givenNames, candidate.surnames].compactMap { $0 }.joined(separator: " ")
            return CheckOut.Match(
                individualID: candidate.individualID, personRef: candidate.personRef, name: name,
                birthDate: candidate.birthDate, householdID: candidate.householdID, registryNumber: candidate.registryNumber,
                probability: candidate.probability,
                message: APIMessage.mayBeRegistered(name: name, household: candidate.registryNumber ?? "—").text(in: language))
        }
        try await audit.read(matches.map { PersonalDataRead(.individual, $0.individualID) }, purpose: "registration_check",
                             request: request, context: context)
        return JSONResponse(value: CheckOut(matches: matches))
    }

}

extension IdentityRepository {
    /// The run a path names, or the problem to answer: 400 for a bad number, 404 for none.
    func run(named text: String?, language: Language) async throws -> StoredRun {
        let text = text ?? ""
        guard let id = Int64(text), id > 0 else {
            throw ProblemDetails.badRequest(.notARunNumber(text), in: language, parameter: "id")
        }
        guard let run = try await run(id) else { throw ProblemDetails.notFound(.noDedupRun(text), in: language) }
        return run
    }

    /// A reviewer's decision, or the problem to answer: 404 for a pair the run does not
    /// have, 409 for a record merged already. Returns the merge's number for "same".
    func decide(run: Int64, left: UUID, right: UUID, _ decision: Decision, context: AmparoRequestContext) async throws -> Int64? {
        do {
            return try await decide(run: run, left: left, right: right, decision, actor: context.requester.actor)
        } catch IdentityError.unknownPair {
            throw ProblemDetails.notFound(.noPair, in: context.language)
        } catch IdentityError.alreadyMerged {
            throw ProblemDetails(status: .conflict, .alreadyMerged, in: context.language)
        }
    }

    /// Undoes the merge a path names, or answers 400 for a bad number, 404 for no merge in force.
    func undo(mergeNamed text: String?, reason: String?, context: AmparoRequestContext) async throws {
        let text = text ?? ""
        guard let id = Int64(text), id > 0 else {
            throw ProblemDetails.badRequest(.notAMergeNumber(text), in: context.language, parameter: "id")
        }
        do {
            try await undo(merge: id, actor: context.requester.actor, reason: reason)
        } catch IdentityError.notAMerge {
            throw ProblemDetails.notFound(.noMerge(text), in: context.language)
        }
    }
}

extension AmparoRequestContext {
    /// A person's id from the path, or 400 naming the segment.
    func personID(_ name: String) throws -> UUID {
        guard let id = parameters.get(name).flatMap(UUID.init(uuidString:)) else {
            throw ProblemDetails.badRequest(.notAPersonID(parameters.get(name) ?? ""), in: language, parameter: name)
        }
        return id
    }
}

/// Where a page of the review queue starts: after the pair `left_right`.
struct ReviewCursor: Sendable {
    var left: UUID
    var right: UUID

    init(left: UUID, right: UUID) {
        self.left = left
        self.right = right
    }

    init(parsing text: String, language: Language) throws {
        let parts = text.split(separator: "_").compactMap { UUID(uuidString: String($0)) }
        guard parts.count == 2 else { throw ProblemDetails.badRequest(.badCursor(text), in: language, parameter: "cursor") }
        (left, right) = (parts[0], parts[1])
    }

    var text: String { "\(left.uuidString)_\(right.uuidString)" }
}

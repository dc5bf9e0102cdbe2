import Foundation
import AmparoDomain

/// One household assessed on its current data under a published policy, and explained: the
/// slow road, for the caseworker and the citizen, beside the whole-registry run.
public struct HouseholdAssessments: Sendable {
    public let database: RegistryDatabase
    let questionnaire: Questionnaire

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    /// The explanation, with the members it counted (those present on the reference date) in
    /// the order its evidence numbers them.
    public struct Explained: Sendable {
        public var explanation: Explanation
        public var members: [Member]
    }

    /// Explains a household under `reference` (NAME or NAME@VERSION) as on `date`; nil when no
    /// such policy is published.
    public func explain(_ household: Household, areaPath: String, policy reference: String,
                        on date: CalendarDate) async throws -> Explained? {
        let policies = try await PolicyCatalogue(database: database, questionnaire: questionnaire).policies()
        guard let policy = PolicyCatalogue.policy(reference, in: policies) else { return nil }
        return try await explain(household, areaPath: areaPath, policy: policy, policies: policies, on: date)
    }

    /// Explains a household under every published policy, by name and version, reading the
    /// catalogue once. A policy that cannot score anyone yet (a climate index before its
    /// hazard layers are loaded) is left out: it has nothing to say about this household.
    public func explainUnderEachPolicy(_ household: Household, areaPath: String, on date: CalendarDate) async throws -> [Explained] {
        let policies = try await PolicyCatalogue(database: database, questionnaire: questionnaire).policies()
        var explained: [Explained] = []
        for policy in policies.values.sorted(by: { ($0.name, $0.version) < ($1.name, $1.version) }) {
            do {
                explained.append(try await explain(household, areaPath: areaPath, policy: policy, policies: policies, on: date))
            } catch is PolicyError {
                continue
            }
        }
        return explained
    }

    private func explain(_ household: Household, areaPath: String, policy: TargetingPolicy, policies: [String: TargetingPolicy],
                         on date: CalendarDate) async throws -> Explained {
        let engine = try await HazardLayers(database: database).engine(for: policy, questionnaire: questionnaire, policies: policies)
        // The same members a run counts: those whose membership spans the reference date.
        let day = date.description
        let members = (household.members ?? []).filter { $0.startDate <= day && ($0.endDate.map { $0 > day } ?? true) }
        var facts = HouseholdFacts(layout: engine.layout)
        facts.load(layout: engine.layout, household: household.answers, members: members.map(\.individual.answers),
                   areaPath: areaPath, referenceDate: date)
        return Explained(explanation: engine.explain(&facts), members: members)
    }
}

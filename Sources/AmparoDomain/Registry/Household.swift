import Foundation

/// A household of the registry: the people who live together and share their means,
/// with the answers about their dwelling and living conditions.
public struct Household: Sendable, Encodable {
    public var id: UUID
    /// The number people quote, e.g. `H-0000-1234-0`.
    public var registryNumber: String
    /// The key the household had in the source it came from.
    public var sourceRef: String
    public var area: AreaSummary
    public var answers: AnswerSheet
    /// Attributes a country or a source added beyond the questionnaire, kept as given.
    public var extra: [String: String]
    public var createdAt: String
    public var updatedAt: String
    /// Present members, the head first; nil in lists, where members are not loaded.
    public var members: [Member]?

    public init(id: UUID, registryNumber: String, sourceRef: String, area: AreaSummary, answers: AnswerSheet,
                extra: [String: String], createdAt: String, updatedAt: String, members: [Member]? = nil) {
        self.id = id
        self.registryNumber = registryNumber
        self.sourceRef = sourceRef
        self.area = area
        self.answers = answers
        self.extra = extra
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.members = members
    }
}

/// A person's place in a household over a span of time: people move, marry, leave home.
public struct Member: Sendable, Encodable {
    public var relationship: String
    public var startDate: String
    public var endDate: String?
    public var individual: Individual

    public init(relationship: String, startDate: String, endDate: String?, individual: Individual) {
        self.relationship = relationship
        self.startDate = startDate
        self.endDate = endDate
        self.individual = individual
    }
}

/// A person of the registry.
public struct Individual: Sendable, Encodable {
    public var id: UUID
    public var sourceRef: String
    public var answers: AnswerSheet
    public var extra: [String: String]
    public var createdAt: String
    public var updatedAt: String
    /// The households the person belongs or belonged to; nil where not loaded.
    public var memberships: [MembershipSummary]?

    public init(id: UUID, sourceRef: String, answers: AnswerSheet, extra: [String: String],
                createdAt: String, updatedAt: String, memberships: [MembershipSummary]? = nil) {
        self.id = id
        self.sourceRef = sourceRef
        self.answers = answers
        self.extra = extra
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.memberships = memberships
    }
}

/// Which household a person belongs to, as seen from the person.
public struct MembershipSummary: Sendable, Encodable {
    public var householdID: UUID
    public var registryNumber: String
    public var relationship: String
    public var startDate: String
    public var endDate: String?

    public init(householdID: UUID, registryNumber: String, relationship: String, startDate: String, endDate: String?) {
        self.householdID = householdID
        self.registryNumber = registryNumber
        self.relationship = relationship
        self.startDate = startDate
        self.endDate = endDate
    }
}

/// An administrative area as other records point to it.
public struct AreaSummary: Sendable, Encodable, Equatable {
    public var code: String
    public var name: String
    public var level: String

    public init(code: String, name: String, level: String) {
        self.code = code
        self.name = name
        self.level = level
    }
}

/// One entry of the append-only change history: what changed, from what to what, who did it,
/// through which channel, when and why.
public struct ChangeEntry: Sendable, Encodable, Equatable {
    public var id: Int64
    /// `area`, `household`, `individual` or `membership`.
    public var entity: String
    public var entityID: UUID
    /// The field that changed; `record` when the whole record was created.
    public var field: String
    public var oldValue: String?
    public var newValue: String?
    public var actor: String
    /// `bulk_import`, `assisted`, `portal`, `field_collection`, `partner_api`, …
    public var channel: String
    public var occurredAt: String
    public var reason: String?

    public init(id: Int64, entity: String, entityID: UUID, field: String, oldValue: String?, newValue: String?,
                actor: String, channel: String, occurredAt: String, reason: String?) {
        self.id = id
        self.entity = entity
        self.entityID = entityID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.actor = actor
        self.channel = channel
        self.occurredAt = occurredAt
        self.reason = reason
    }
}

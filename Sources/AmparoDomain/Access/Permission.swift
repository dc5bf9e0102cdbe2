/// What a request may ask of Amparo. Routes name the permission they need; roles and a
/// system client's scopes are sets of these; `AccessTable` is the one place that says which.
public enum Permission: String, CaseIterable, Sendable, Codable {
    /// Households, people, their history and searches, and one household's explained result.
    case readPersons = "read_persons"
    /// Register households and people and correct their data.
    case changeRegistry = "change_registry"
    /// Verify change requests others submitted.
    case verifyChanges = "verify_changes"
    /// Clerical review of possible duplicates: decide pairs, merge, undo a merge.
    case reviewIdentity = "review_identity"
    /// Figures over many households (targeting runs, costs, deduplication runs): never a person.
    case readAggregates = "read_aggregates"
    /// Define programmes and policies, run targeting, enrol.
    case manageProgrammes = "manage_programmes"
    /// Prepare, approve and reconcile payment batches.
    case managePayments = "manage_payments"
    /// Receive, assign and resolve grievances.
    case handleGrievances = "handle_grievances"
    /// Read the audit trail.
    case readAuditTrail = "read_audit_trail"
    /// Create, change and disable staff accounts and system clients, and the configuration.
    case manageAccounts = "manage_accounts"

    /// Permissions that change data: an account holding one needs a second factor.
    public var changesData: Bool {
        switch self {
        case .readPersons, .readAggregates, .readAuditTrail: false
        case .changeRegistry, .verifyChanges, .reviewIdentity, .manageProgrammes, .managePayments,
             .handleGrievances, .manageAccounts: true
        }
    }
}

/// The roles a staff account holds, each in one or more areas.
public enum StaffRole: String, CaseIterable, Sendable, Codable {
    case registrationOfficer = "registration_officer"
    case verifier
    case programmeManager = "programme_manager"
    case paymentOfficer = "payment_officer"
    case grievanceOfficer = "grievance_officer"
    case analyst
    case auditor
    case administrator
}

/// The scopes a system client (OAuth2 client credentials) may be given.
public enum ClientScope: String, CaseIterable, Sendable, Codable {
    case registryRead = "registry:read"
    case registryWrite = "registry:write"
    case identityReview = "identity:review"
    case targetingRead = "targeting:read"
}

/// Which role and which scope may do what: the permission table every check reads.
public enum AccessTable {
    public static func permissions(of role: StaffRole) -> Set<Permission> {
        switch role {
        case .registrationOfficer: [.readPersons, .changeRegistry]
        case .verifier: [.readPersons, .verifyChanges, .reviewIdentity]
        case .programmeManager: [.readPersons, .readAggregates, .manageProgrammes]
        case .paymentOfficer: [.readPersons, .managePayments]
        case .grievanceOfficer: [.readPersons, .handleGrievances]
        // An analyst sees figures, never a person.
        case .analyst: [.readAggregates]
        case .auditor: [.readAuditTrail]
        // An administrator manages accounts but reads no personal data through this role.
        case .administrator: [.manageAccounts]
        }
    }

    public static func permissions(of scope: ClientScope) -> Set<Permission> {
        switch scope {
        case .registryRead: [.readPersons]
        case .registryWrite: [.changeRegistry]
        case .identityReview: [.reviewIdentity]
        case .targetingRead: [.readAggregates]
        }
    }
}

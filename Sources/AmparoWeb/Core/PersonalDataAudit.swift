import AmparoDomain
import AmparoStorage
import Foundation
import Hummingbird

/// Notes every read of personal data a route makes, and every refusal, in one place: who
/// asked (and under which role), through which channel, for what, at which address; the
/// route's template, never its query, whose terms go in as a keyed hash.
struct PersonalDataAudit: Sendable {
    let log: AccessLog
    let secret: ServerSecret

    init(database: RegistryDatabase, secret: ServerSecret) {
        log = AccessLog(database: database)
        self.secret = secret
    }

    func read(_ reads: [PersonalDataRead], purpose: String, request: Request, context: AmparoRequestContext,
              permission: Permission = .readPersons) async throws {
        let role = context.requester.role(for: permission, in: Grant.wholeCountry)
            ?? context.requester.grants.first { $0.permissions.contains(permission) }?.role
        try await log.recordReads(reads, actor: context.requester.actor, role: role, channel: Self.channel(request),
                                  purpose: purpose, requestPath: Self.route(request, context: context),
                                  termsHash: termsHash(request), address: context.address)
    }

    /// A write of personal data (a merge, its undoing).
    func wrote(_ records: [PersonalDataRead], purpose: String, request: Request, context: AmparoRequestContext,
               permission: Permission) async throws {
        let role = context.requester.grants.first { $0.permissions.contains(permission) }?.role
        try await log.record(records.map { record in
            AuditEntry(actor: context.requester.actor, role: role, channel: Self.channel(request), action: "write",
                       entity: record.entity.rawValue, entityID: record.id, purpose: purpose,
                       requestPath: Self.route(request, context: context), address: context.address)
        })
    }

    /// A request refused for who asked.
    func refused(_ refusal: AccessRefusal, request: Request, context: AmparoRequestContext) async throws {
        var entry = AuditEntry(actor: context.requester.actor, channel: Self.channel(request), action: "refused",
                               purpose: refusal.reason, requestPath: Self.route(request, context: context),
                               termsHash: termsHash(request), outcome: "refused", address: context.address)
        if case .outOfScope(let entity, let id, let areaPath) = refusal {
            entry.entity = id == nil ? "none" : entity
            entry.entityID = id ?? AuditEntry.noRecord
            entry.areaPath = areaPath
        }
        try await log.record([entry])
    }

    /// A sign-in, right or wrong; `channel` where the path does not tell (the digital
    /// identity's one callback serves the back office and the portal).
    func signIn(actor: String, outcome: String, purpose: String, request: Request, context: AmparoRequestContext,
                channel: String? = nil) async throws {
        try await log.record([AuditEntry(actor: actor, channel: channel ?? Self.channel(request), action: "sign_in", purpose: purpose,
                                         requestPath: request.uri.path, outcome: outcome, address: context.address)])
    }

    static func channel(_ request: Request) -> String {
        let path = request.uri.path
        return path.hasPrefix("/office") ? "office" : path.hasPrefix("/portal") ? "portal" : "api"
    }

    /// The route's template when the router found one, else the path.
    static func route(_ request: Request, context: AmparoRequestContext) -> String {
        context.routeTemplate.isEmpty ? request.uri.path : context.routeTemplate
    }

    /// The query's terms, sorted, as one keyed hash; nil for a request without any.
    private func termsHash(_ request: Request) -> String? {
        let terms = request.uri.queryParameters.filter { !["lang", "limit", "after", "cursor"].contains(String($0.key)) }
            .map { "\($0.key)=\($0.value)" }.sorted()
        return terms.isEmpty ? nil : secret.termsHash(terms.joined(separator: "&"))
    }

    /// A household and each member shown with it.
    static func household(_ household: Household) -> [PersonalDataRead] {
        [PersonalDataRead(.household, household.id)] + (household.members ?? []).map { PersonalDataRead(.individual, $0.individual.id) }
    }
}

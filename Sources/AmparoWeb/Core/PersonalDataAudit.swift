import AmparoDomain
import AmparoStorage
import Hummingbird

/// Notes every read of personal data a route makes, in one place, with who asked, through
/// which channel (the API or the back office) and for what.
struct PersonalDataAudit: Sendable {
    let log: AccessLog

    init(database: RegistryDatabase) {
        log = AccessLog(database: database)
    }

    func read(_ reads: [PersonalDataRead], purpose: String, request: Request, context: AmparoRequestContext) async throws {
        let path = request.uri.path
        try await log.recordReads(reads, actor: context.requester?.name ?? "anonymous",
                                  channel: path.hasPrefix("/office") ? "office" : "api",
                                  purpose: purpose, requestPath: request.uri.description)
    }

    /// A household and each member shown with it.
    static func household(_ household: Household) -> [PersonalDataRead] {
        [PersonalDataRead(.household, household.id)] + (household.members ?? []).map { PersonalDataRead(.individual, $0.individual.id) }
    }
}

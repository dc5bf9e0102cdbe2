import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage

/// The back office's first page: the size of the registry and the work waiting.
struct OfficeHome: Sendable {
    let statistics: RegistryStatistics
    let identity: IdentityRepository
    let targeting: TargetingRunRepository

    init(database: RegistryDatabase) {
        statistics = RegistryStatistics(database: database)
        identity = IdentityRepository(database: database)
        targeting = TargetingRunRepository(database: database)
    }

    func addRoutes(to group: RouterGroup<AmparoRequestContext>) {
        group.get("", use: home)
    }

    struct Content: Sendable {
        var households: String
        var individuals: String
        var areas: String
        var reviewWaiting: String
        var targetingRuns: String
    }

    @Sendable func home(_ request: Request, context: AmparoRequestContext) async throws -> Page<Content> {
        try context.requireSignedIn()
        let language = context.language, format = PageFormat(language)
        let counts = try await statistics.counts()
        var waiting: Int64 = 0
        if let latest = try await identity.latestRun() { waiting = try await identity.counts(run: latest.id).waiting }
        let runs = try await targeting.list().count
        return Page(template: "office-home", title: PageText.words(language)["title_home"] ?? "", section: .home,
                    content: Content(households: format.count(counts.households), individuals: format.count(counts.individuals),
                                     areas: format.count(counts.areas),
                                     reviewWaiting: PageSentence.pairsWaiting(format.count(waiting)).text(in: language),
                                     targetingRuns: PageSentence.runsKept(format.count(runs)).text(in: language)),
                    language: language)
    }
}

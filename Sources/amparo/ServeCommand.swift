import ArgumentParser
import Foundation
import Hummingbird
import AmparoDomain
import AmparoStorage
import AmparoWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web server: the back office, the citizen portal, the JSON API and its OpenAPI description.",
        discussion: "Brings the database up to date first. Stop it with Ctrl-C.")

    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: "The address to listen on; 0.0.0.0 for every interface.") var host = "127.0.0.1"
    @Flag(help: "If the registry is empty, fill it with a small demo registry first.") var demo = false
    @Option(help: "The currency benefits are paid in (ISO 4217), for the costs the back office shows.") var currency = "COP"
    @Flag(help: "Browsers reach the server over HTTPS (directly or through a proxy): send HSTS.") var behindTLS = false
    @Option(help: ArgumentHelp("Also serve the citizen portal alone on this port, to expose it apart from the back office and the API.",
                               valueName: "port")) var portalPort: Int?
    @Option(help: "The address the portal's own listener binds to.") var portalHost = "127.0.0.1"
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let port = self.port, host = self.host, demo = self.demo, currency = self.currency, behindTLS = self.behindTLS
        let portalPort = self.portalPort, portalHost = self.portalHost
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ValidationError("--currency is a three-letter ISO 4217 code such as COP, BRL or USD")
        }
        try await options.withDatabase(migrate: true) { database in
            if demo, try await RegistryStatistics(database: database).counts().households == 0 {
                let summary = try await DemoLoader(database: database).load(DemoRegistry(households: 500, seed: 1))
                print("Loaded a demo registry of \(summary.households.added) households and \(summary.individuals.added) people.")
                // Someone to sign in as: national roles that change data, so the sign-in walks through a second factor.
                let password = CitizenSignIn.newToken().prefix(16)
                try await StaffAccounts(database: database).add(name: "demo", password: String(password), roles: [
                    .init(.registrationOfficer, StaffAccounts.wholeCountryCode), .init(.verifier, StaffAccounts.wholeCountryCode),
                    .init(.programmeManager, StaffAccounts.wholeCountryCode),
                ])
                print("""
                    Sign in to the back office as demo with the password \(password). Its roles ask for a second factor: \
                    add the key the enrolment page shows to an authenticator app (or run `oathtool --totp -b KEY`).
                    """)
            }
            print("Amparo on \(options.location), listening on http://\(host):\(port) — the back office is at /office")
            print("The citizen portal is at /portal. Messages to citizens (sign-in codes) are written to this log: no SMS gateway or mail server is configured.")
            let secret = try SecretSource.load(for: options.location)
            let provider = try DigitalIdentitySource.load(host: host, port: port)
            if let provider {
                print("Staff and citizens may sign in with the digital identity at \(provider.issuer); it sends them back to \(provider.redirectURI).")
            }
            let app = await buildApplication(configuration: WebConfiguration(host: host, port: port, currency: currency, secret: secret,
                                                                             behindTLS: behindTLS, digitalIdentity: provider),
                                             database: database)
            let portal = portalPort == nil ? nil : await buildApplication(
                configuration: WebConfiguration(host: portalHost, port: portalPort ?? 0, currency: currency, secret: secret,
                                                behindTLS: behindTLS, surface: .portalOnly), database: database)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService() }
                if let portal {
                    print("The citizen portal alone, for the internet, on http://\(portalHost):\(portalPort ?? 0)/portal")
                    group.addTask { try await portal.runService() }
                }
                // The outbox is emptied every two seconds; what a restart interrupts goes on the next round.
                group.addTask {
                    let outbox = Outbox(database: database), carrier = LogCarrier()
                    while !Task.isCancelled {
                        _ = try? await outbox.deliver(through: carrier)
                        try? await Task.sleep(for: .seconds(2))
                    }
                }
                // On PostgreSQL the households' snapshot is kept current every minute, so that no run has
                // to rebuild it where an import could not keep it current (see HouseholdSnapshotRefresh).
                // Like the outbox's, the loop ends only with the server: the first task to end ends them all.
                if database.dialect == .postgres {
                    group.addTask {
                        let refresh = HouseholdSnapshotRefresh(database: database)
                        while !Task.isCancelled {
                            do {
                                if case .rebuilt(let households) = try await refresh.run() {
                                    print("Rebuilt the households' snapshot that targeting runs read: \(households) households.")
                                }
                            } catch {
                                if !Task.isCancelled { print("The households' snapshot could not be brought up to date: \(error)") }
                            }
                            try? await Task.sleep(for: .seconds(60))
                        }
                    }
                }
                // The server ends on Ctrl-C; the loops end with it.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}

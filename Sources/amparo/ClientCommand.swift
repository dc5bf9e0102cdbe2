import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

/// `amparo client`: the systems that call the API with OAuth2 client credentials.
struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "System clients of the API (OAuth2 client credentials): add, disable.",
        subcommands: [Add.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a client with scopes in areas, and print its id and secret (shown this once).",
            discussion: "Scopes: \(ClientScope.allCases.map(\.rawValue).joined(separator: ", ")). Areas: area codes, * for the whole country.")

        @Argument var name: String
        @Option(name: .customLong("scope"), help: "A scope; repeat for several.") var scopes: [String] = []
        @Option(name: .customLong("area"), help: "An area code, * for the whole country; repeat for several.") var areas: [String] = []
        @Flag(help: "Print {\"client_id\": …, \"client_secret\": …} as JSON.") var json = false
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let name = self.name, scopes = self.scopes, areas = self.areas, json = self.json
            try await options.withDatabase(migrate: true) { database in
                let made: (id: String, secret: String)
                do {
                    made = try await SystemClients(database: database).add(name: name, scopes: scopes, areas: areas)
                } catch let refusal as SystemClients.Refusal {
                    throw ValidationError(refusal.description)
                }
                if json {
                    let object = ["client_id": made.id, "client_secret": made.secret]
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    print("client_id: \(made.id)\nclient_secret: \(made.secret)\nThe secret is not kept: store it now.")
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a client: it takes no more tokens.")
        @Argument var name: String
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let name = self.name
            try await options.withDatabase(migrate: true) { database in
                try await SystemClients(database: database).disable(name: name)
                print("Disabled \(name).")
            }
        }
    }
}

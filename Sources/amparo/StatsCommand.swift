import ArgumentParser
import Foundation
import AmparoStorage

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count the areas, households, people and change history entries in the registry.")

    @OptionGroup var options: DatabaseOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let counts = try await options.withDatabase(migrate: true) { try await RegistryStatistics(database: $0).counts() }
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(counts), as: UTF8.self))
        } else {
            for (name, value) in [("areas", counts.areas), ("households", counts.households),
                                  ("individuals", counts.individuals), ("memberships", counts.memberships),
                                  ("change history entries", counts.changeHistoryEntries)] {
                print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(value))
            }
        }
    }
}

import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Make a synthetic registry of a Latin American country, for trying Amparo out and for tests.",
        discussion: """
            The households, people and areas look like a census: names with two surnames, rural and urban areas, \
            housing, schooling, work, health and disability that vary together with poverty. The same seed always \
            gives the same registry. With --out the files are written in the exchange format; without it they are \
            imported into the database.
            """)

    @Option(help: "How many households.") var households = 1_000
    @Option(help: "The seed: the same seed gives the same registry.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Write areas.csv, households.csv and individuals.csv into this folder instead of importing.",
                               valueName: "dir")) var out: String?
    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        guard households > 0, households <= 50_000_000 else { throw ValidationError("--households must be between 1 and 50,000,000") }
    }

    func run() async throws {
        keepOneHeap()
        let registry = DemoRegistry(households: households, seed: seed)
        if let out {
            let written = try DemoFiles.write(registry, to: out)
            print("Wrote \(written.areas) areas, \(written.households) households and \(written.individuals) people to \(out)")
            return
        }
        let summary = try await options.withDatabase(migrate: true) { database in
            try await DemoLoader(database: database).load(registry)
        }
        print("Loaded \(summary.households.added) households and \(summary.individuals.added) people "
              + "(\(summary.households.alreadyPresent) households were already there) into \(options.location)")
    }
}

import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast Amparo does its whole-registry work on this machine.",
        subcommands: [BenchImport.self])
}

struct BenchImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make N demo households, import them, and print people per second and peak memory.",
        discussion: """
            Without --database it imports into a new SQLite file in a temporary folder. Give an empty \
            PostgreSQL database with --database postgres://… to measure PostgreSQL.
            """)

    @Option(help: "How many households.") var households = 100_000
    @Option(help: "The seed of the demo registry.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("An empty database to import into (default: a new temporary SQLite file).",
                               valueName: "path-or-url")) var database: String?

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amparo-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let location = DatabaseLocation(database ?? (folder as NSString).appendingPathComponent("bench.sqlite"))

        var clock = ContinuousClock.now
        let written = try DemoFiles.write(DemoRegistry(households: households, seed: seed), to: folder + "/files")
        let generation = ContinuousClock.now - clock
        printError("generated \(written.households) households, \(written.individuals) people in \(format(generation))")

        let db = try await RegistryDatabase.open(location)
        do {
            try await Migrator(database: db).migrate()
            guard try await RegistryStatistics(database: db).counts().households == 0 else {
                throw ValidationError("\(location) is not empty; the benchmark needs an empty database")
            }
            let display = ProgressDisplay()
            clock = ContinuousClock.now
            let summary = try await RegistryImport(database: db).run(
                directory: folder + "/files", options: ImportOptions(actor: "bench"),
                problems: { printError($0.description) }, progress: { display.show($0) })
            display.finish()
            let elapsed = ContinuousClock.now - clock
            try await db.close()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("database            \(location)")
            print("households          \(summary.households.added)")
            print("individuals         \(summary.individuals.added)")
            print("import time         \(format(elapsed))")
            print("individuals/second  \(Int(Double(summary.individuals.added) / seconds))")
            print("households/second   \(Int(Double(summary.households.added) / seconds))")
            print("peak memory         \(peakMemoryMegabytes()) MB")
        } catch {
            try? await db.close()
            throw error
        }
    }

    private func format(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return String(format: "%.1f s", seconds)
    }

    /// The most memory the process has held at once (resident set), in megabytes.
    private func peakMemoryMegabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024  // kilobytes on Linux
    }
}

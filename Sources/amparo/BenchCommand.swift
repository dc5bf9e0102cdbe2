import Synchronization
import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast Amparo does its whole-registry work on this machine.",
        subcommands: [BenchImport.self, BenchTarget.self])
}

struct BenchImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make N demo households, import them, and print people per second, each stage's time and peak memory.",
        discussion: """
            Without --database it imports into a new SQLite file in a temporary folder. Give an empty \
            PostgreSQL database with --database postgres://… to measure PostgreSQL. The demo files are \
            flushed to disk before the clock starts, as files to import would be. With --repeat N the \
            same files are imported N times, each time into an empty database (a new SQLite file, or the \
            PostgreSQL database emptied of what the run before imported), and the median and range are printed. \
            The peak memory is each import's own, without the making of the files or the imports before it.
            """)

    @Option(help: "How many households.") var households = 100_000
    @Option(help: "The seed of the demo registry.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("An empty database to import into (default: a new temporary SQLite file).",
                               valueName: "path-or-url")) var database: String?
    @Option(name: .customLong("repeat"), help: "How many times to import the same files.") var repetitions = 1

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repeat must be 1 or more") }
        if repetitions > 1, let database, case .sqlite = DatabaseLocation(database) {
            throw ValidationError("--repeat imports into a new SQLite file each time: leave out --database")
        }
    }

    func run() async throws {
        keepOneHeap()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amparo-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let clock = ContinuousClock.now
        let written = try DemoFiles.write(DemoRegistry(households: households, seed: seed), to: folder + "/files")
        printError("generated \(written.households) households, \(written.individuals) people in \(format(ContinuousClock.now - clock))")
        // Files to import are on disk already in real use: their write-back must not run
        // under the import and be counted against it.
        sync()

        var times = RepeatedMeasurement(), people = RepeatedMeasurement(), memory = RepeatedMeasurement()
        var stageNames: [String] = [], stageTimes: [String: RepeatedMeasurement] = [:]
        var last: ImportSummary?
        for run in 1...repetitions {
            let file = (folder as NSString).appendingPathComponent("bench-\(run).sqlite")
            let location = DatabaseLocation(database ?? file)
            let peak = ImportPeakMemory()
            let (summary, elapsed, stages) = try await importOnce(into: location, emptying: run > 1 && database != nil, from: folder + "/files")
            memory.add(Double(peak.megabytes()))
            last = summary
            for stage in stages.stages {
                if stageTimes[stage.name] == nil { stageNames.append(stage.name) }
                stageTimes[stage.name, default: RepeatedMeasurement()].add(stage.seconds)
            }
            if database == nil {
                for suffix in ["", "-wal", "-shm", "-import.lock"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            }
            times.add(elapsed)
            people.add(Double(summary.individuals.added) / elapsed)
            if repetitions > 1 {
                printError("run \(run) of \(repetitions): \(format(seconds: elapsed)), \(Int(people.values.last!)) individuals/second")
            }
        }
        print("database            \(database.map { DatabaseLocation($0).description } ?? "SQLite, a new temporary file")")
        guard let last else { return }
        print("households          \(last.households.added)")
        print("individuals         \(last.individuals.added)")
        print("import time         \(times.summary { format(seconds: $0) })")
        for name in stageNames {
            print("  \(name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(stageTimes[name]!.summary { format(seconds: $0) })")
        }
        print("individuals/second  \(people.summary { String(Int($0)) })")
        print("households/second   \(Int(Double(last.households.added) / times.median!))")
        print("peak memory         \(memory.summary { "\(Int($0)) MB" })")
    }

    /// One import of the files into `location`, which must be empty or, with `emptying`, is
    /// emptied of the run before; returns what it did, its seconds, and those of each stage.
    private func importOnce(into location: DatabaseLocation, emptying: Bool,
                            from files: String) async throws -> (ImportSummary, Double, StageTimes) {
        let db = try await RegistryDatabase.open(location)
        do {
            try await Migrator(database: db).migrate()
            if emptying { try await BenchmarkRegistry.emptyAfterImport(db) }
            guard try await RegistryStatistics(database: db).counts().households == 0 else {
                throw ValidationError("\(location) is not empty; the benchmark needs an empty database")
            }
            let display = ProgressDisplay()
            let clock = ContinuousClock.now
            let stages = Mutex(StageTimes())
            stages.withLock { $0.enter("starting", at: 0) }
            let summary = try await RegistryImport(database: db).run(
                directory: files, options: ImportOptions(actor: "bench"),
                problems: { printError($0.description) }, progress: { progress in
                    display.show(progress)
                    let at = seconds(ContinuousClock.now - clock)
                    stages.withLock { $0.enter("\(progress.stage.rawValue) \(progress.file)", at: at) }
                })
            display.finish()
            let elapsed = seconds(ContinuousClock.now - clock)
            try await db.close()
            return (summary, elapsed, stages.withLock { times in
                times.finish(at: elapsed)
                return times
            })
        } catch {
            try? await db.close()
            throw error
        }
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func format(_ duration: Duration) -> String { format(seconds: seconds(duration)) }

func format(seconds: Double) -> String { String(format: "%.1f s", seconds) }

/// The most memory the process holds during one of several imports it runs, measured on
/// its own: neither the making of the demo files nor an import before it counts. Memory an
/// import before freed is given back to the system first, and on Linux the peak starts
/// again from what the process then holds (`clear_refs`, then `VmHWM`); elsewhere it is
/// the process's peak so far.
struct ImportPeakMemory {
    init() {
        giveFreedMemoryBack()
        if let reset = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
            try? reset.write(contentsOf: Data("5".utf8))
            try? reset.close()
        }
    }

    func megabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            return peakMemoryMegabytes()
        }
        return kilobytes / 1024
    }
}

/// The most memory the process has held at once (resident set), in megabytes.
func peakMemoryMegabytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss / 1024  // kilobytes on Linux
}

struct BenchTarget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Measure a targeting policy: scoring alone on one core, then a whole-registry run end to end.",
        discussion: """
            Scoring alone assesses demo households held in memory, over and over. End to end reads the \
            registry, scores it and stores every result and the figures. Without --database the registry \
            is N demo households imported into a new temporary SQLite file; with --database the run goes \
            over the registry already there, and is kept there like any run, by the actor "bench": \
            measure on a copy, not on the registry analysts read. With --repeat N each figure is measured \
            N times (N runs are kept), and the median and range are printed.
            """)

    @Option(help: "The policy.") var policy = "colombia-mpi"
    @Option(help: "How many households to score, and to import when no --database is given.") var households = 100_000
    @Option(help: "The seed of the demo registry.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("A registry to run over (default: a new temporary SQLite file with N demo households).",
                               valueName: "path-or-url")) var database: String?
    @Flag(help: "Measure scoring alone, without the end-to-end run.") var scoringOnly = false
    @Option(name: .customLong("repeat"), help: "How many times to measure each figure.") var repetitions = 1

    func validate() throws {
        guard repetitions >= 1 else { throw ValidationError("--repeat must be 1 or more") }
    }

    func run() async throws {
        let referenceDate = CalendarDate(year: 2026, month: 11, day: 24)!
        let presets = try TargetingPreset.policies()
        guard let found = presets[policy] ?? presets.values.first(where: { $0.name == policy }) else {
            throw ValidationError("\(policy) is not a preset: \(presets.keys.sorted().joined(separator: ", "))")
        }
        // The demo's hazard layers, for a climate vulnerability index.
        let demoHazards = DemoRegistry(households: 0, seed: seed).hazardLayers
        let engine = try PolicyEngine(policy: found, policies: presets,
                                      hazards: Dictionary(uniqueKeysWithValues: demoHazards.map { ($0.name, $0) }))
        let benchmark = ScoringBenchmark(engine: engine, demo: DemoRegistry(households: 10_000, seed: seed), referenceDate: referenceDate)
        var scoring = RepeatedMeasurement(), poor = 0
        for _ in 1...repetitions {
            let clock = ContinuousClock.now
            poor = benchmark.score(count: households)
            scoring.add(seconds(ContinuousClock.now - clock))
        }
        print("policy                      \(found.reference)")
        print("scoring alone               \(households) households in \(scoring.summary { String(format: "%.2f s", $0) }), one core")
        print("scoring households/second   \(RepeatedMeasurement(scoring.values.map { Double(households) / $0 }).summary { String(Int($0)) })  (first class: \(poor))")
        if scoringOnly { return }

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amparo-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let location = DatabaseLocation(database ?? (folder as NSString).appendingPathComponent("bench.sqlite"))
        let db = try await RegistryDatabase.open(location)
        do {
            try await Migrator(database: db).migrate()
            if database == nil {
                _ = try DemoFiles.write(DemoRegistry(households: households, seed: seed), to: folder + "/files")
                _ = try await RegistryImport(database: db).run(directory: folder + "/files", options: ImportOptions(actor: "bench"),
                                                               problems: { printError($0.description) })
                for layer in demoHazards { try await HazardLayers(database: db).store(layer, actor: "bench") }
                printError("imported \(households) demo households")
            }
            var times = RepeatedMeasurement(), rates = RepeatedMeasurement()
            // On PostgreSQL, the runs that rebuilt the households' snapshot, apart.
            var rebuildingRates = RepeatedMeasurement(), currentRates = RepeatedMeasurement()
            var done: Int64 = 0
            for run in 1...repetitions {
                let display = ProgressDisplay()
                var job = TargetingRun(database: db)
                let rebuilt = SeenFlag()
                job.progress = { progress in
                    if progress.rebuildingSnapshot { rebuilt.set() }
                    display.show(progress)
                }
                let start = ContinuousClock.now
                let id = try await job.start(.published(found.reference), referenceDate: referenceDate, areaCode: nil, actor: "bench")
                let elapsed = seconds(ContinuousClock.now - start)
                display.finish()
                done = try await TargetingRunRepository(database: db).find(id)?.householdsDone ?? 0
                times.add(elapsed)
                rates.add(Double(done) / elapsed)
                if db.dialect == .postgres {
                    if rebuilt.isSet { rebuildingRates.add(Double(done) / elapsed) } else { currentRates.add(Double(done) / elapsed) }
                }
                if repetitions > 1 {
                    printError("run \(run) of \(repetitions): \(format(seconds: elapsed)), \(Int(rates.values.last!)) households/second"
                               + (rebuilt.isSet ? ", snapshot rebuilt" : ""))
                }
            }
            try await db.close()
            print("database                    \(location)")
            print("end to end                  \(done) households in \(times.summary { format(seconds: $0) }) (read, score, store, figures)")
            print("end-to-end households/second \(rates.summary { String(Int($0)) })")
            if !rebuildingRates.values.isEmpty { print("  rebuilding the snapshot    \(rebuildingRates.summary { String(Int($0)) })") }
            if !currentRates.values.isEmpty { print("  from a current snapshot    \(currentRates.summary { String(Int($0)) })") }
            print("peak memory                 \(peakMemoryMegabytes()) MB")
        } catch {
            try? await db.close()
            throw error
        }
    }
}

/// Whether something was seen, from whichever thread saw it.
private final class SeenFlag: Sendable {
    private let seen = Atomic<Bool>(false)
    func set() { seen.store(true, ordering: .relaxed) }
    var isSet: Bool { seen.load(ordering: .relaxed) }
}

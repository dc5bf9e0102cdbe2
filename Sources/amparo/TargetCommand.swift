import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct TargetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Targeting: publish policies, score the registry under them, report and compare the runs.",
        subcommands: [
            TargetPoliciesCommand.self, TargetPublishCommand.self, TargetRunCommand.self, TargetRunsCommand.self,
            TargetReportCommand.self, TargetCompareCommand.self, TargetSnapshotCommand.self,
        ])
}

struct TargetSnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "On PostgreSQL, bring the households' snapshot that runs read up to date now.",
        discussion: """
            A run on PostgreSQL reads each household from a snapshot, about two rows a household. An \
            import keeps it current when it was current as the import began. Otherwise (after an upgrade \
            that changed it, after a stopped import, after a crash of the server) the next whole-registry \
            run rebuilds it as it reads, and takes about three times as long; run this first instead. `amparo \
            serve` does it every minute. It does nothing on SQLite, which keeps no snapshot, or while an \
            import runs.
            """)

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            let display = ProgressDisplay()
            var refresh = HouseholdSnapshotRefresh(database: database)
            refresh.progress = { done, total in display.show(key: "rebuilding the households' snapshot", done: done, total: total) }
            let outcome = try await refresh.run()
            display.finish()
            switch outcome {
            case .notKept: print("SQLite keeps no snapshot: runs read the registry's tables.")
            case .current: print("The households' snapshot is current.")
            case .rebuilt(let households): print("Rebuilt the snapshot of \(households) households.")
            case .importRunning: print("An import is running: the snapshot is left for later.")
            }
        }
    }
}

struct TargetPoliciesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "List the published policies (the presets come with the database), or print one as JSON.")

    @OptionGroup var options: DatabaseOptions
    @Option(help: "Print this policy's definition (NAME or NAME@VERSION), to copy as the start of a new one.")
    var show: String?

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            let catalogue = PolicyCatalogue(database: database)
            if let show {
                guard let policy = try await catalogue.policy(show) else { throw TargetingError.unknownPolicy(show) }
                print(policy.source.text)
                return
            }
            for entry in try await catalogue.entries() {
                let example = entry.isExample ? "  (example)" : ""
                print(entry.reference.padding(toLength: 28, withPad: " ", startingAt: 0)
                      + entry.kind.padding(toLength: 8, withPad: " ", startingAt: 0) + entry.title + example)
            }
        }
    }
}

struct TargetPublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Check a policy file and publish it. A published policy never changes: change it by publishing a new version.",
        discussion: "The format is described in docs/targeting-policies.md; `amparo target policies --show colombia-mpi` prints an example.")

    @OptionGroup var options: DatabaseOptions
    @Argument(help: "The policy, a JSON file.") var file: String
    @Option(help: "Who publishes it, for the record.") var actor = NSUserName()

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot be read") }
        try await options.withDatabase(migrate: true) { database in
            let catalogue = PolicyCatalogue(database: database)
            let policy: TargetingPolicy
            do {
                policy = try TargetingPolicy.read(data, policies: try await catalogue.policies())
            } catch let error as PolicyError {
                throw ValidationError("\(file): \(error)")
            }
            // A TargetingError reaches the person as its description, without the usage text.
            switch try await catalogue.publish(policy, by: actor) {
            case .published: print("published \(policy.reference)")
            case .alreadyPublished: print("\(policy.reference) is already published with these rules")
            }
        }
    }
}

struct TargetRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Score every household (or those of an area) under a policy at a reference date, and store the results.",
        discussion: """
            Each household's class, score, deprivations and missing data are stored, with the figures for \
            every area and group. A run stopped at any moment continues with --resume RUN. \
            With --policy-file the policy is a draft that is not published: the run is a simulation.
            """)

    @OptionGroup var options: DatabaseOptions
    @Option(help: "The published policy: NAME (its latest version) or NAME@VERSION.") var policy: String?
    @Option(name: .customLong("policy-file"), help: "A draft policy (JSON) to simulate without publishing it.") var policyFile: String?
    @Option(help: "Only this area and the areas below it.") var area: String?
    @Option(name: .customLong("reference-date"), help: "Ages and memberships as on this day, YYYY-MM-DD (default today).")
    var referenceDate: String?
    @Option(help: "Carry on an interrupted run.") var resume: Int64?
    @Option(help: "Who runs it, for the record.") var actor = NSUserName()

    func run() async throws {
        let date: CalendarDate
        if let referenceDate {
            guard let parsed = CalendarDate(iso: referenceDate) else { throw ValidationError("--reference-date: \(referenceDate) is not a date YYYY-MM-DD") }
            date = parsed
        } else {
            date = CalendarDate.today()
        }
        var subject: TargetingRun.Subject?
        if let policy { subject = .published(policy) }
        if let policyFile {
            guard let data = FileManager.default.contents(atPath: policyFile) else { throw ValidationError("\(policyFile): cannot be read") }
            subject = .draft(try Self.draft(data, file: policyFile))
        }
        guard resume != nil || subject != nil else { throw ValidationError("give --policy, --policy-file or --resume") }
        let display = ProgressDisplay()
        try await options.withDatabase(migrate: true) { database in
            var job = TargetingRun(database: database)
            job.progress = { display.show($0) }
            do {
                let id: Int64
                if let resume {
                    try await job.resume(resume)
                    id = resume
                } else {
                    id = try await job.start(subject!, referenceDate: date, areaCode: area, actor: actor)
                }
                display.finish()
                let report = try await TargetingRunRepository(database: database).report(id, scopes: ["all"])
                print("run \(id) completed")
                print(report.table())
            } catch {
                display.finish()
                throw error
            }
        }
    }
}

extension TargetRunCommand {
    /// A draft read against the presets; a draft composition may name them.
    static func draft(_ data: Data, file: String) throws -> TargetingPolicy {
        let result = Result { () throws(PolicyError) -> TargetingPolicy in
            try TargetingPolicy.read(data, policies: try TargetingPreset.policies())
        }
        switch result {
        case .success(let policy): return policy
        case .failure(let error): throw ValidationError("\(file): \(error)")
        }
    }
}

struct TargetRunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List the targeting runs, the latest first.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            for run in try await TargetingRunRepository(database: database).list() {
                let area = run.areaCode.map { " area \($0)" } ?? ""
                print("\(run.id)\t\(run.policyReference)\t\(run.purpose)\t\(run.referenceDate)\(area)\t\(run.status)\t"
                      + "\(run.householdsDone) households\t\(run.startedAt)")
            }
        }
    }
}

struct TargetReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The figures of a run: classes, and for an MPI H, A, M0, headcounts and contributions, for the whole, every area and group.")

    @OptionGroup var options: DatabaseOptions
    @Argument(help: "The run.") var run: Int64
    @Option(help: "table, csv or json.") var format: ReportFormat = .table
    @Option(help: "Only these populations: all, area, zone, head_sex, head_ethnicity (repeat).") var scope: [String] = []
    @Option(help: "households or persons (default both).") var weighting: Weighting?

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            let report = try await TargetingRunRepository(database: database)
                .report(run, scopes: scope.isEmpty ? nil : Set(scope), weighting: weighting)
            switch format {
            case .table: print(report.table())
            case .csv: FileHandle.standardOutput.write(Data(report.csv()))
            case .json: print(report.json().text)
            }
        }
    }
}

struct TargetCompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "How households moved between classes from one run to another; --list names those that changed.")

    @OptionGroup var options: DatabaseOptions
    @Argument(help: "The earlier run.") var from: Int64
    @Argument(help: "The later run.") var to: Int64
    @Flag(help: "List the households whose class changed.") var list = false
    @Option(help: "At most this many households in the list.") var limit = 100

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            let runs = TargetingRunRepository(database: database)
            let comparison = try await runs.compare(from, to)
            print("from\tto\thouseholds\tpersons")
            for transition in comparison.transitions {
                print("\(transition.fromClass)\t\(transition.toClass)\t\(transition.households)\t\(transition.persons)")
            }
            if list {
                for change in try await runs.changes(from, to, limit: limit) {
                    print("\(change.registryNumber)\t\(change.fromClass) → \(change.toClass)")
                }
            }
        }
    }
}

extension Weighting: ExpressibleByArgument {}

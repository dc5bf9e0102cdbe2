import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct DedupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Find persons registered more than once, by probabilistic record linkage over the whole registry.",
        subcommands: [DedupRunCommand.self, DedupRunsCommand.self, DedupExportCommand.self, DedupUndoCommand.self])
}

struct DedupRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Compare every likely pair of persons and store those that may be the same person.",
        discussion: """
            The model is estimated from the registry itself. Pairs at or above --link-threshold are \
            linked at once; those from --review-threshold up go to clerical review. A run stopped at \
            any moment continues with --resume RUN. No record is changed: merging is a reviewer's decision.
            """)

    @OptionGroup var options: DatabaseOptions
    @Option(name: .customLong("link-threshold"), help: "Match probability from which a pair is linked at once.")
    var linkThreshold = 0.99
    @Option(name: .customLong("review-threshold"), help: "Match probability from which a pair goes to clerical review.")
    var reviewThreshold = 0.8
    @Option(help: "Carry a stopped run to its end.") var resume: Int64?
    @Option(help: "Who starts the run, for the record.") var actor = NSUserName()

    func validate() throws {
        guard reviewThreshold > 0, reviewThreshold <= linkThreshold, linkThreshold < 1 else {
            throw ValidationError(IdentityError.thresholds(review: reviewThreshold, link: linkThreshold).description)
        }
    }

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            var job = DeduplicationRun(database: database)
            job.linkThreshold = linkThreshold
            job.reviewThreshold = reviewThreshold
            job.progress = { progress in printError("rule \(progress.rule) of \(progress.rules): \(progress.pairs) pairs") }
            let started = ContinuousClock.now
            let id: Int64
            if let resume {
                try await job.resume(resume)
                id = resume
            } else {
                id = try await job.start(actor: actor)
            }
            let identity = IdentityRepository(database: database)
            let run = try await identity.run(id)!
            let counts = try await identity.counts(run: id)
            print("run                 \(id)")
            print("persons             \(run.records)")
            print("linked              \(counts.linked) pairs (probability ≥ \(run.linkThreshold))")
            print("to review           \(counts.review) pairs (probability ≥ \(run.reviewThreshold))")
            print("time                \(format(ContinuousClock.now - started))")
            print("peak memory         \(peakMemoryMegabytes()) MB")
        }
    }
}

struct DedupRunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List the deduplication runs.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            for run in try await IdentityRepository(database: database).runs() {
                print("\(run.id)\t\(run.status)\t\(run.records) persons\t\(run.pairs) pairs\t\(run.startedAt)\t\(run.startedBy)")
            }
        }
    }
}

struct DedupExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every pair a run found, with both person refs, the match probability and the decision, for audit.")

    @OptionGroup var options: DatabaseOptions
    @Argument(help: "The run.") var run: Int64
    @Option(help: "csv (the only format).") var format = "csv"
    @Option(help: "The file to write (default: standard output).") var out: String?

    func run() async throws {
        guard format == "csv" else { throw ValidationError("the export format is csv") }
        let output: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out) else {
                throw ValidationError("\(out): cannot be written")
            }
            output = handle
        } else {
            output = FileHandle.standardOutput
        }
        try await options.withDatabase(migrate: true) { database in
            let count = try await DeduplicationExport(database: database).csv(run: run) { output.write(Data($0)) }
            printError("\(count) pairs")
        }
    }
}

struct DedupUndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo a merge: the merged record stands on its own again; the merge stays in the history.")

    @OptionGroup var options: DatabaseOptions
    @Argument(help: "The merge.") var merge: Int64
    @Option(help: "Why, for the record.") var reason: String?
    @Option(help: "Who undoes it, for the record.") var actor = NSUserName()

    func run() async throws {
        try await options.withDatabase(migrate: true) { database in
            try await IdentityRepository(database: database).undo(merge: merge, actor: actor, reason: reason)
            print("merge \(merge) undone")
        }
    }
}

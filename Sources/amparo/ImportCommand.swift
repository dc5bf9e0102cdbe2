import ArgumentParser
import Foundation
import Synchronization
import AmparoDomain
import AmparoStorage

extension ImportMode: ExpressibleByArgument {}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import areas.csv, households.csv and individuals.csv from a folder into the registry.",
        discussion: """
            The files are in the exchange format of the data dictionary; any of the three may be absent. \
            Every refused row is printed with its file, line, column, value and reason. \
            Rows are keyed by the source's refs: importing the same files again adds nothing, \
            and an import that was stopped can simply be run again. Only one import runs on a registry at a time. \
            Exits with status 1 when a row was refused in all-or-nothing mode (nothing was written).
            """)

    @Argument(help: "The folder holding the files.") var directory: String
    @Option(help: "all-or-nothing: write nothing if any row is refused. skip-invalid: write the good rows.")
    var mode: ImportMode = .allOrNothing
    @Option(help: ArgumentHelp("Also write every refused row to this CSV file.", valueName: "file")) var report: String?
    @Option(help: "Who is importing, as the change history records it (default: the login name).") var actor: String?
    @Option(help: ArgumentHelp("Rows written to the registry per transaction.", visibility: .hidden)) var chunkLines = 10_000
    @Option(help: ArgumentHelp("New rows from which the read-only indexes are built after the load.", visibility: .hidden))
    var indexesAfterLoadFrom = 50_000
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let sink = try ProblemSink(reportPath: report)
        let display = ProgressDisplay()
        let importOptions = ImportOptions(mode: mode, actor: actor ?? ProcessInfo.processInfo.environment["USER"] ?? "import",
                                          chunkLines: chunkLines, indexesAfterLoadFrom: indexesAfterLoadFrom)
        let directory = self.directory
        let summary: ImportSummary
        do {
            summary = try await options.withDatabase(migrate: true) { database in
                try await RegistryImport(database: database).run(
                    directory: directory, options: importOptions,
                    problems: { sink.take($0) }, progress: { display.show($0) })
            }
        } catch let error as ImportError {
            display.finish()
            try sink.close()
            throw ValidationError(error.description)
        }
        display.finish()
        try sink.close()
        printSummary(summary, shown: sink.shown)
        if summary.wroteNothing { throw ExitCode(1) }
    }

    private func printSummary(_ summary: ImportSummary, shown: Int) {
        if summary.refused > shown {
            printError("… and \(summary.refused - shown) more refused rows\(report.map { " (all in \($0))" } ?? "; use --report FILE to list them all")")
        }
        for (name, counts) in [("areas", summary.areas), ("households", summary.households), ("individuals", summary.individuals)]
        where counts.read > 0 || counts.added > 0 {
            print("\(name): \(counts.read) read, \(counts.added) added, \(counts.alreadyPresent) already in the registry, \(counts.refused) refused")
        }
        if summary.wroteNothing {
            printError("Nothing was written: \(summary.refused) rows were refused and the mode is all-or-nothing. "
                       + "Correct them, or run again with --mode skip-invalid to import the good rows.")
        }
    }
}

/// Takes refused rows as the import finds them: prints the first ones, writes all to the report.
final class ProblemSink: Sendable {
    private let state: Mutex<(handle: FileHandle?, csv: CSVWriter, shown: Int)>
    static let printLimit = 50

    init(reportPath: String?) throws {
        var handle: FileHandle?
        if let reportPath {
            guard FileManager.default.createFile(atPath: reportPath, contents: nil),
                  let opened = FileHandle(forWritingAtPath: reportPath) else {
                throw ValidationError("cannot write the report \(reportPath)")
            }
            handle = opened
        }
        var csv = CSVWriter()
        csv.writeRecord(["file", "line", "column", "value", "reason"])
        state = Mutex((handle, csv, 0))
    }

    var shown: Int { state.withLock { $0.shown } }

    func take(_ problem: RowProblem) {
        state.withLock { state in
            if state.shown < Self.printLimit {
                printError(problem.description)
                state.shown += 1
            }
            guard let handle = state.handle else { return }
            state.csv.writeRecord([problem.file, String(problem.line), problem.column, problem.value, problem.reason])
            if state.csv.bytes.count > 1 << 16 { try? handle.write(contentsOf: state.csv.take()) }
        }
    }

    func close() throws {
        try state.withLock { state in
            guard let handle = state.handle else { return }
            try handle.write(contentsOf: state.csv.take())
            try handle.close()
            state.handle = nil
        }
    }
}

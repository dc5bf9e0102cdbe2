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
    @Option(help: "The language of the messages and the report: es, pt or en (default: from LANG, else en).")
    var language: Language?
    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        keepOneHeap()
        let language = self.language ?? Language.ofEnvironment()
        let sink = try ProblemSink(reportPath: report, language: language)
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
            throw ValidationError(ImportReportText(language: language).failure(error))
        }
        display.finish()
        try sink.close()
        printSummary(summary, shown: sink.shown, in: language)
        if summary.wroteNothing { throw ExitCode(1) }
    }

    private func printSummary(_ summary: ImportSummary, shown: Int, in language: Language) {
        let say = ImportReportText(language: language)
        if summary.refused > shown { printError(say.moreRefused(summary.refused - shown, report: report)) }
        for (file, counts) in [(ExchangeFormat.areasFile, summary.areas), (ExchangeFormat.householdsFile, summary.households),
                               (ExchangeFormat.individualsFile, summary.individuals)]
        where counts.read > 0 || counts.added > 0 {
            print(say.counts(file, counts))
        }
        if summary.wroteNothing { printError(say.nothingWritten(summary.refused)) }
    }
}

/// The import's own sentences, around the reasons that `ImportMessage` gives.
struct ImportReportText {
    let language: Language

    func counts(_ file: String, _ counts: ImportSummary.FileCounts) -> String {
        pick("\(file): \(counts.read) leídas, \(counts.added) añadidas, \(counts.alreadyPresent) ya en el registro, \(counts.refused) rechazadas",
             "\(file): \(counts.read) lidas, \(counts.added) adicionadas, \(counts.alreadyPresent) já no registro, \(counts.refused) recusadas",
             "\(file): \(counts.read) read, \(counts.added) added, \(counts.alreadyPresent) already in the registry, \(counts.refused) refused")
    }

    /// Why an import could not run at all.
    func failure(_ error: ImportError) -> String {
        switch error {
        case .file(let problem): problem.description(in: language)
        case .noFiles(let directory):
            pick("\(directory) no contiene ninguno de areas.csv, households.csv, individuals.csv",
                 "\(directory) não contém nenhum de areas.csv, households.csv, individuals.csv", error.description)
        case .unreadable(let file, let reason):
            pick("\(file): no se puede leer (\(reason))", "\(file): não pode ser lido (\(reason))", error.description)
        case .busy(let location):
            pick("otra importación está en curso en \(location); ejecute esta cuando haya terminado",
                 "outra importação está em andamento em \(location); execute esta quando ela terminar", error.description)
        }
    }

    func moreRefused(_ count: Int, report: String?) -> String {
        if let report {
            pick("… y \(count) filas rechazadas más (todas en \(report))", "… e mais \(count) linhas recusadas (todas em \(report))",
                 "… and \(count) more refused rows (all in \(report))")
        } else {
            pick("… y \(count) filas rechazadas más; use --report ARCHIVO para listarlas todas",
                 "… e mais \(count) linhas recusadas; use --report ARQUIVO para listá-las todas",
                 "… and \(count) more refused rows; use --report FILE to list them all")
        }
    }

    func nothingWritten(_ refused: Int) -> String {
        pick("No se escribió nada: se rechazaron \(refused) filas y el modo es all-or-nothing. "
                + "Corríjalas, o vuelva a ejecutar con --mode skip-invalid para importar las filas buenas.",
             "Nada foi gravado: \(refused) linhas foram recusadas e o modo é all-or-nothing. "
                + "Corrija-as, ou execute de novo com --mode skip-invalid para importar as linhas boas.",
             "Nothing was written: \(refused) rows were refused and the mode is all-or-nothing. "
                + "Correct them, or run again with --mode skip-invalid to import the good rows.")
    }

    private func pick(_ es: String, _ pt: String, _ en: String) -> String {
        LocalizedText(es: es, pt: pt, en: en)[language]
    }
}

extension Language: ExpressibleByArgument {
    /// The language of the terminal's locale (LC_ALL, LC_MESSAGES, LANG), where Amparo speaks it.
    static func ofEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Language {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return Language(rawValue: String(value.prefix(2)).lowercased()) ?? .en
        }
        return .en
    }
}

/// Takes refused rows as the import finds them: prints the first ones, writes all to the report.
final class ProblemSink: Sendable {
    private let state: Mutex<(handle: FileHandle?, csv: CSVWriter, shown: Int)>
    static let printLimit = 50

    private let language: Language

    init(reportPath: String?, language: Language) throws {
        self.language = language
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
                printError(problem.description(in: language))
                state.shown += 1
            }
            guard let handle = state.handle else { return }
            state.csv.writeRecord([problem.file, String(problem.line), problem.column, problem.value, problem.message.text(in: language)])
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

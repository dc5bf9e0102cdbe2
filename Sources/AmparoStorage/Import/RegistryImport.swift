import Foundation
import AmparoDomain

/// `amparo import DIR`: reads areas.csv, households.csv and individuals.csv of the exchange
/// format into the registry.
///
/// It reads each file twice, and holds no row in memory between the two:
/// 1. **Check.** Every row is checked against the format and against the other rows and the
///    registry (a ref used twice, an unknown area, a person whose household is missing),
///    with the refs kept as fingerprints (`RefIndex`). Every refused row is reported here.
///    Rows are parsed, then checked on their own, a piece of the file ahead (`ScreenedPieces`).
/// 2. **Write.** Unless the mode forbids it, the good rows are read again and written
///    straight into the registry's tables, in transactions of `chunkLines` rows, while the
///    next chunk is being read.
///
/// Rows are keyed by the source's refs and a ref the registry already held when the run
/// began is left alone, so running the same import again — after it finished, or after it
/// was killed at any moment — ends with exactly what one uninterrupted run gives. Only one
/// import runs on a registry at a time.
public struct RegistryImport: Sendable {
    public let database: RegistryDatabase
    public let questionnaire: Questionnaire

    /// Connections that write households and people beside the import's own, where the
    /// database allows it. On PostgreSQL each chunk costs the server more than the reading
    /// of it costs here, so two server processes take chunks at once.
    static let writingLanes = 1

    /// Connections that build the indexes a large load set aside beside the import's own,
    /// where the database allows it (see `SetAsideForLoad.putBack`).
    static let indexLanes = 1

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    /// Imports the files of `directory` (any of the three may be absent).
    /// Every refused row goes to `problems` as soon as it is found.
    public func run(
        directory: String,
        options: ImportOptions = ImportOptions(),
        problems: @escaping @Sendable (RowProblem) -> Void,
        progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }
    ) async throws -> ImportSummary {
        let files = ImportFiles(directory: directory)
        guard files.areas != nil || files.households != nil || files.individuals != nil else {
            throw ImportError.noFiles(directory: directory)
        }
        let reader = ExchangeRowReader(questionnaire: questionnaire)
        return try await database.withImportConnection { connection in
            let keys = try await RegistryKeys.load(from: connection, for: files)
            var check = ImportCheck(reader: reader, keys: keys, problems: problems, progress: progress)
            var summary = ImportSummary()
            if let path = files.areas { summary.areas = try await check.areas(path: path) }
            if let path = files.households { summary.households = try await check.households(path: path) }
            if let path = files.individuals { summary.individuals = try await check.individuals(path: path) }

            if options.mode == .allOrNothing && summary.refused > 0 {
                summary.wroteNothing = true
                return summary
            }
            let plan = check.finish()
            // On PostgreSQL an import keeps the households' snapshot current if it finds it so, so
            // that the first targeting run after it need not rebuild it (see `HouseholdSnapshots`).
            let snapshots = HouseholdSnapshots(questionnaire: questionnaire)
            let keepsSnapshot = connection.dialect == .postgres ? try await snapshots.catchUp(holdingImportLock: connection) : false
            let write = ImportWrite(connection: connection, reader: reader, plan: plan, options: options,
                                    problems: problems, progress: progress, snapshots: keepsSnapshot ? snapshots : nil)
            summary.areas.added = try await write.areas()
            let coming = summary.households.toAdd + summary.individuals.toAdd
            if coming >= options.indexesAfterLoadFrom && coming >= keys.households.count + keys.persons.count {
                progress(ImportProgress(stage: .indexing, file: "the registry", done: 0, total: 0))
                try await connection.execute(SetAsideForLoad.drops(connection.dialect))
            }
            var directory = AddedHouseholds()
            if let path = files.households {
                (summary.households.added, directory) = try await database.withWritingLanes(Self.writingLanes) { lanes in
                    try await write.households(path: path, lanes: lanes)
                }
            }
            if let path = files.individuals {
                let households = directory
                let (added, refused) = try await database.withWritingLanes(Self.writingLanes) { lanes in
                    try await write.individuals(path: path, added: households, lanes: lanes)
                }
                summary.individuals.added = added
                summary.individuals.refused += refused
            }
            // Let go of the households written (about 40 MB at a million) before the sorts that
            // build the indexes take their memory.
            directory = AddedHouseholds()
            // Builds what the load set aside (or a killed import before it); nothing otherwise.
            progress(ImportProgress(stage: .indexing, file: "the registry", done: 0, total: 0))
            try await database.withWritingLanes(Self.indexLanes) { [database] lanes in
                try await SetAsideForLoad.putBack(connection.dialect, count: { try await database.countBeside($0) },
                                                  runners: ([connection] + lanes).map { lane in { try await lane.execute([$0]) } })
            }
            // Every entry since the snapshot was current is this import's, and every row it added is in it.
            if keepsSnapshot { try await snapshots.markCurrent(through: try await snapshots.latestEntry(on: connection), on: connection) }
            return summary
        }
    }
}

/// The paths of the three files, where they exist.
struct ImportFiles: Sendable {
    var areas: String?
    var households: String?
    var individuals: String?

    init(directory: String) {
        func path(_ name: String) -> String? {
            let path = (directory as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        areas = path(ExchangeFormat.areasFile)
        households = path(ExchangeFormat.householdsFile)
        individuals = path(ExchangeFormat.individualsFile)
    }
}

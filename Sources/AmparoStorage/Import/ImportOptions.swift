import AmparoDomain

/// What to do with the good rows when some rows are bad.
public enum ImportMode: String, Sendable, CaseIterable {
    /// Nothing is written if any row is refused (the default).
    case allOrNothing = "all-or-nothing"
    /// The good rows are written, the bad ones reported.
    case skipInvalid = "skip-invalid"
}

/// How an import runs.
public struct ImportOptions: Sendable {
    public var mode: ImportMode
    /// Who asked for the import, as the change history records it.
    public var actor: String
    /// Rows of a file written to the registry per transaction.
    public var chunkLines: Int

    /// From how many new households and people on, if that is at least what the registry
    /// already holds, the indexes that only reads need are built after the load rather
    /// than row by row (see `ReadIndexes`).
    public var indexesAfterLoadFrom: Int

    public init(mode: ImportMode = .allOrNothing, actor: String = "import", chunkLines: Int = 10_000,
                indexesAfterLoadFrom: Int = 50_000) {
        self.mode = mode
        self.actor = actor
        self.chunkLines = max(1, chunkLines)
        self.indexesAfterLoadFrom = max(1, indexesAfterLoadFrom)
    }
}

/// Where an import stands, for a progress bar or a log line.
public struct ImportProgress: Sendable {
    /// The first pass checks every row; the second writes the good ones; a large load
    /// then builds the indexes it set aside.
    public enum Stage: String, Sendable { case checking, writing, indexing }
    public var stage: Stage
    public var file: String
    /// How far the pass has read into the file, and the file's size, in bytes.
    public var done: Int64
    public var total: Int64
}

/// What an import did, file by file.
public struct ImportSummary: Sendable, Equatable {
    public struct FileCounts: Sendable, Equatable {
        /// Data rows read (the header not counted).
        public var read = 0
        /// Rows refused, for any reason.
        public var refused = 0
        /// Good rows whose ref the registry already held: left as they are.
        public var alreadyPresent = 0
        /// Rows added to the registry by this run.
        public var added = 0
        /// Rows the check pass found good and new: what the write pass is to add.
        var toAdd: Int { read - refused - alreadyPresent }
    }

    public var areas = FileCounts()
    public var households = FileCounts()
    public var individuals = FileCounts()
    /// True when the mode is all-or-nothing and a refused row stopped the writing.
    public var wroteNothing = false

    public var refused: Int { areas.refused + households.refused + individuals.refused }
}

/// An import that could not start or could not read a whole file.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    case noFiles(directory: String)
    case file(ExchangeFileError)
    case unreadable(file: String, reason: String)
    /// Another import is writing to the same registry.
    case busy(String)

    public var description: String {
        switch self {
        case .noFiles(let directory):
            "\(directory) holds none of areas.csv, households.csv, individuals.csv"
        case .file(let error): error.description
        case .unreadable(let file, let reason): "\(file): \(reason)"
        case .busy(let location): "another import is running on \(location); run this one when it has finished"
        }
    }
}

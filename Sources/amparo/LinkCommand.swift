import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct LinkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Find the same person twice in one list of persons, or in two lists (CSV), by probabilistic record linkage.",
        discussion: """
            With one file, it finds duplicates within it; with two, the persons present in both. \
            Files are in the exchange format (individuals.csv) unless --column names other columns, \
            e.g. --column id=rec_id --column surname=surname --column birth_date=date_of_birth. \
            Roles: \(PersonColumns.Role.allCases.map(\.rawValue).joined(separator: ", ")).

            The model (Fellegi–Sunter) is estimated from the files themselves: u from random pairs, \
            m by expectation–maximisation. Every pair at or above --floor is written to --out with \
            its match probability, match weight and the level of agreement of each field.
            """)

    @Argument(help: "The list to deduplicate, or the first of two lists to link.") var file: String
    @Argument(help: "A second list to link the first to.") var other: String?
    @Option(name: .customLong("column"), help: "ROLE=COLUMN: where a part of a person is. Repeat for each.")
    var columns: [String] = []
    @Option(help: "Pairs at or above this match probability are written.") var floor = 0.01
    @Option(help: "Pairs at or above this match probability are counted as links and joined into entities.")
    var threshold = 0.5
    @Option(help: "The CSV of scored pairs.") var out: String?
    @Option(help: "With two files: write the ids of the second file's persons linked to no one in the first.")
    var unmatched: String?
    @Option(name: .customLong("largest-block"), help: "Blocks with more records than this are skipped.")
    var largestBlock = 2_000
    @Option(name: .customLong("records-per-part"), help: """
        Records held in memory at once. A longer list is set down in a temporary file and compared a part at a time.
        """)
    var recordsPerPart = 250_000

    func validate() throws {
        guard floor > 0, floor < 1 else { throw ValidationError("--floor is a probability above 0 and below 1") }
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold is a probability above 0 and below 1") }
        guard largestBlock >= 2 else { throw ValidationError("--largest-block must be at least 2") }
        guard recordsPerPart >= 1_000 else { throw ValidationError("--records-per-part must be at least 1000") }
    }

    func run() throws {
        let started = ContinuousClock.now
        let mapping: [PersonColumns.Role: String]
        do {
            mapping = columns.isEmpty ? PersonColumns.exchangeFormat : try PersonColumns.mapping(columns)
        } catch {
            throw ValidationError(error.description)
        }
        var reading = LinkageRecordsWriter(recordsPerPart: recordsPerPart)
        do {
            try LinkageFile(path: file, mapping: mapping).read(into: &reading, side: .left)
            if let other { try LinkageFile(path: other, mapping: mapping).read(into: &reading, side: .right) }
        } catch let problem as LinkageFile.Problem {
            printError(problem.description)
            throw ExitCode(2)
        }
        let records = try reading.finish()
        let linkage = PersonLinkage(records: records, mode: other == nil ? .deduplicate : .link, largestBlock: largestBlock)
        printError("""
            \(records.count) records read in \(format(ContinuousClock.now - started))\
            \(records.parts > 1 ? ", in \(records.parts) parts" : ""); comparing \(linkage.comparisons.map(\.name).joined(separator: ", "))
            """)
        printError("blocking on \(linkage.rules.map { "(\($0))" }.joined(separator: " or "))")
        let training = ContinuousClock.now
        let (model, summary) = try linkage.train()
        printError("""
            model trained in \(format(ContinuousClock.now - training)): \(summary.candidatePairs) candidate pairs, about \(Int(summary.expectedMatches.rounded())) matches expected\
            \(summary.skippedBlocks > 0 ? ", \(summary.skippedBlocks) blocks too large skipped" : "")
            """)

        let output = try out.map { path -> FileHandle in
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw ValidationError("\(path): cannot be written")
            }
            return handle
        }
        defer { try? output?.close() }
        var writer = CSVWriter()
        writer.writeRecord(["id_l", "id_r", "match_probability", "match_weight"] + model.comparisons.map(\.name))
        var written = 0, links = 0
        var entities = EntityClusters(count: records.count)
        try linkage.predict(model, floor: floor) { pair in
            written += 1
            let probability = pair.probability
            if probability >= threshold {
                links += 1
                entities.link(pair.left, pair.right)
            }
            writer.writeRecord([
                pair.leftID, pair.rightID, String(format: "%.6f", probability), String(format: "%.3f", pair.weight),
            ] + pair.pattern.agreement(model.comparisons))
            if writer.bytes.count > 1 << 20 { output?.write(Data(writer.take())) }
        }
        output?.write(Data(writer.take()))
        if let unmatched, other != nil {
            var alone = CSVWriter()
            alone.writeRecord(["id"])
            let lonely = Set(entities.rightOnly(leftCount: records.leftCount))
            try records.forEachChunk { chunk in
                for row in 0..<chunk.count where lonely.contains(Int(chunk.positions[row])) { alone.writeRecord([chunk.id(row)]) }
            }
            guard FileManager.default.createFile(atPath: unmatched, contents: Data(alone.take())) else {
                throw ValidationError("\(unmatched): cannot be written")
            }
            print("only in the second  \(lonely.count) persons (written to \(unmatched))")
        }
        let elapsed = ContinuousClock.now - started
        print("records             \(records.count)")
        print("pairs written       \(written) (probability ≥ \(floor))")
        print("links               \(links) (probability ≥ \(threshold))")
        print("entities            \(entities.entityCount()) with more than one record")
        print("time                \(format(elapsed))")
        print("peak memory         \(peakMemoryMegabytes()) MB")
    }
}

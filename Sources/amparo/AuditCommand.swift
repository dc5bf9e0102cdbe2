import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

/// `amparo audit`: the audit trail, for an auditor.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The audit trail: verify its hash chain, export an anchor, show entries.",
        subcommands: [Verify.self, Anchor.self, Show.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the whole chain; exit 0 when intact, 1 naming the first entry that is not.",
            discussion: "Each --anchor (seq:hash, from `amparo audit anchor`) must still be in the chain: it catches a chain cut short or rewritten whole.")
        @Option(name: .customLong("anchor"), help: "A point of the chain kept elsewhere, seq:hash; repeat for several.") var anchors: [String] = []
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let anchors = try self.anchors.map { text in
                guard let anchor = AuditChain.Anchor(text) else { throw ValidationError("\(text) is not an anchor: seq:hash, as `amparo audit anchor` prints") }
                return anchor
            }
            let finding = try await options.withDatabase(migrate: false) { database in
                try await AuditChain.verify(database, anchors: anchors)
            }
            print(finding.description)
            if !finding.isIntact { throw ExitCode(1) }
        }
    }

    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the chain's last point, seq:hash, to keep somewhere the database's administrators cannot write.")
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let finding = try await options.withDatabase(migrate: false) { database in try await AuditChain.verify(database) }
            guard case .intact(_, let seq, let hash) = finding else {
                printError(finding.description)
                throw ExitCode(1)
            }
            print(AuditChain.Anchor(seq: seq, hash: hash).text)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Entries of the trail, newest first, by actor and/or person or household.")
        @Option(help: "An actor, as the trail writes it: staff:NAME, client:NAME, citizen:ID.") var actor: String?
        @Option(help: "A person's id.") var person: String?
        @Option(help: "A household's id.") var household: String?
        @Option(help: "At most this many entries.") var limit = 100
        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let text = person ?? household
            var record: UUID?
            if let text {
                guard let id = UUID(uuidString: text) else { throw ValidationError("\(text) is not an id") }
                record = id
            }
            let actor = self.actor, limit = self.limit
            try await options.withDatabase(migrate: false) { database in
                for entry in try await AccessLog(database: database).search(actor: actor, entityID: record, limit: limit) {
                    let fields = [entry.seq.map(String.init) ?? "-", entry.occurredAt, entry.actor, entry.role ?? "-", entry.channel,
                                  entry.action, entry.entity, entry.entityID.uuidString.lowercased(), entry.purpose,
                                  entry.requestPath, entry.outcome ?? "-"]
                    print(fields.joined(separator: "\t"))
                }
            }
        }
    }
}

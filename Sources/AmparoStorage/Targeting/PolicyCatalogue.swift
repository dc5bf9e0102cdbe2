import Foundation
import SQLKit
import AmparoDomain

/// The published targeting policies. Publishing is the only write: the database refuses to
/// change or remove a published policy, so every run can be traced to its exact rules.
public struct PolicyCatalogue: Sendable {
    public let database: RegistryDatabase
    let questionnaire: Questionnaire

    public init(database: RegistryDatabase, questionnaire: Questionnaire = .standard) {
        self.database = database
        self.questionnaire = questionnaire
    }

    /// One published policy as listed.
    public struct Entry: Sendable, Encodable {
        public var name: String
        public var version: Int
        public var kind: String
        public var title: String
        public var isExample: Bool
        public var publishedAt: String
        public var publishedBy: String
        public var reference: String { "\(name)@\(version)" }
    }

    public enum Outcome: Sendable, Equatable { case published, alreadyPublished }

    /// Publishes a policy checked against the questionnaire and the policies it names. The
    /// same text again is a no-op; other text under a published name and version is refused.
    @discardableResult
    public func publish(_ policy: TargetingPolicy, by actor: String) async throws -> Outcome {
        let published = try await policies()
        _ = try PolicyEngine(policy: policy, questionnaire: questionnaire, policies: published)
        let definition = policy.source.text
        if let existing = try await definitionText(policy.name, policy.version) {
            if existing == definition { return .alreadyPublished }
            throw TargetingError.policyConflict(policy.reference)
        }
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO targeting_policies (name, version, kind, title, is_example, definition, published_at, published_by)
                VALUES (\(bind: policy.name), \(bind: policy.version), \(bind: policy.kind), \(bind: policy.title.en),
                        \(bind: policy.isExample ? 1 : 0), \(bind: definition), \(bind: Timestamp.now()), \(bind: actor))
                """).run()
        }
        return .published
    }

    /// Publishes the presets Amparo ships with that are not published yet.
    public func publishPresets() async throws {
        let published = try await database.read { db in
            try await db.raw("SELECT name, version FROM targeting_policies").all()
        }
        let references = Set(try published.map { "\(try $0.decode(column: "name", as: String.self))@\(try $0.decode(column: "version", as: Int.self))" })
        let presets = try TargetingPreset.policies(questionnaire: questionnaire)
        for preset in TargetingPreset.all {
            guard let policy = presets.values.first(where: { $0.name == preset.name }), !references.contains(policy.reference) else { continue }
            try await publish(policy, by: "amparo")
        }
    }

    /// A policy by `name@version`, or by name alone for its latest version.
    public func policy(_ reference: String) async throws -> TargetingPolicy? {
        Self.policy(reference, in: try await policies())
    }

    /// The same lookup over policies already read, so a caller that needs both reads them once.
    public static func policy(_ reference: String, in policies: [String: TargetingPolicy]) -> TargetingPolicy? {
        if let exact = policies[reference] { return exact }
        return policies.values.filter { $0.name == reference }.max { $0.version < $1.version }
    }

    /// Every published policy, by `name@version`, read and checked.
    public func policies() async throws -> [String: TargetingPolicy] {
        let rows = try await database.read { db in
            try await db.raw("SELECT name, version, definition FROM targeting_policies ORDER BY published_at, name, version").all()
        }
        var policies: [String: TargetingPolicy] = [:]
        // A composition is published after the policies it names, so publication order resolves them.
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            let version = try row.decode(column: "version", as: Int.self)
            let text = try row.decode(column: "definition", as: String.self)
            do {
                let policy = try TargetingPolicy.read(Array(text.utf8), questionnaire: questionnaire, policies: policies)
                policies[policy.reference] = policy
            } catch {
                throw StorageError.inconsistent("published policy \(name)@\(version) no longer reads: \(error)")
            }
        }
        return policies
    }

    public func entries() async throws -> [Entry] {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT name, version, kind, title, is_example, published_at, published_by
                FROM targeting_policies ORDER BY name, version
                """).all()
        }
        return try rows.map { row in
            Entry(name: try row.decode(column: "name", as: String.self), version: try row.decode(column: "version", as: Int.self),
                  kind: try row.decode(column: "kind", as: String.self), title: try row.decode(column: "title", as: String.self),
                  isExample: try row.decode(column: "is_example", as: Int.self) != 0,
                  publishedAt: try row.decode(column: "published_at", as: String.self),
                  publishedBy: try row.decode(column: "published_by", as: String.self))
        }
    }

    private func definitionText(_ name: String, _ version: Int) async throws -> String? {
        try await database.read { db in
            try await db.raw("""
                SELECT definition FROM targeting_policies WHERE name = \(bind: name) AND version = \(bind: version)
                """).first()?.decode(column: "definition", as: String.self)
        }
    }
}

/// Why a targeting request cannot be done, in words for the person who asked.
public enum TargetingError: Error, Sendable, CustomStringConvertible, Equatable {
    case unknownPolicy(String)
    case policyConflict(String)
    case unknownArea(String)
    case unknownRun(Int64)
    case runAlreadyCompleted(Int64)
    case notAnMPI(String)

    public var description: String {
        switch self {
        case .unknownPolicy(let reference): "no published policy \(reference); `amparo target policies` lists them"
        case .policyConflict(let reference):
            "\(reference) is already published with other rules; a published policy never changes, so publish a new version"
        case .unknownArea(let code): "no area with code \(code)"
        case .unknownRun(let id): "no targeting run \(id)"
        case .runAlreadyCompleted(let id): "run \(id) is already complete"
        case .notAnMPI(let reference): "\(reference) is not an MPI: it has classes but no Alkire–Foster figures"
        }
    }
}

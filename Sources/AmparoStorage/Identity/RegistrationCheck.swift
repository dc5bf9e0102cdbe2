import Foundation
import SQLKit
import AmparoDomain

/// Before a person is registered: is this person perhaps registered already?
///
/// The registry is searched by the person's ID number and birth date (both indexed), and
/// each person found is scored against the newcomer with the model of the latest completed
/// deduplication run. Without a run yet, only an equal ID number, or an equal birth date
/// with equal names, is reported, with no probability.
public struct RegistrationCheck: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// A registered person who may be the newcomer.
    public struct Candidate: Sendable, Equatable {
        public var individualID: UUID
        public var personRef: String
        public var givenNames: String?
        public var surnames: String
        public var birthDate: String?
        public var householdID: UUID?
        public var registryNumber: String?
        public var areaPath: String?
        /// The match probability, when a model is there to give one.
        public var probability: Double?
    }

    /// The registered persons who may be `person`, most likely first; at most `limit`.
    public func candidates(for person: PersonRecord, limit: Int = 10) async throws -> [Candidate] {
        let idNumber = LinkageText.identifier(person.idNumber)
        let digits = LinkageText.date(person.birthDate)
        let birthDate = digits.isEmpty ? nil : "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))"
        guard !idNumber.isEmpty || birthDate != nil else { return [] }
        let rows = try await database.read { db in
            try await db.raw("""
                \(unsafeRaw: RegistryPersons.selection)
                WHERE (i.id_number = \(bind: person.idNumber ?? "") OR i.birth_date = \(bind: birthDate ?? ""))
                  AND \(unsafeRaw: RegistryPersons.notMerged)
                ORDER BY i.id
                LIMIT 2000
                """).all()
        }
        guard !rows.isEmpty else { return [] }
        var table = LinkageTable()
        table.append(person)
        for row in rows { table.append(try RegistryPersons.record(row)) }
        // Frequencies among a handful of look-alikes would mislead: exact agreement weighs m/u.
        let scorer = try await latestModel().map { PairScorer(table: table, model: $0, frequencies: .none($0.comparisons)) }
        var scored: [Candidate] = []
        for (index, row) in rows.enumerated() {
            let probability: Double?
            if let scorer {
                let pattern = scorer.pattern(0, index + 1)
                probability = LinkageModel.probability(weight: scorer.weight(pattern, 0, index + 1))
                guard probability! >= 0.5 else { continue }
            } else {
                probability = nil
                let sameID = !idNumber.isEmpty && table[.idNumber].string(index + 1) == idNumber
                let sameNames = table[.surnames].string(0) == table[.surnames].string(index + 1)
                    && table[.givenNames].string(0) == table[.givenNames].string(index + 1)
                guard sameID || sameNames else { continue }
            }
            let sequence = try row.decode(column: "registry_sequence", as: Int64?.self)
            scored.append(Candidate(
                individualID: try row.decode(column: "id", as: UUID.self),
                personRef: try row.decode(column: "source_ref", as: String.self),
                givenNames: try row.decode(column: "given_names", as: String?.self),
                surnames: [try row.decode(column: "first_surname", as: String?.self),
                           try row.decode(column: "second_surname", as: String?.self)].compactMap { $0 }.joined(separator: " "),
                birthDate: try row.decode(column: "birth_date", as: String?.self),
                householdID: try row.decode(column: "household_id", as: UUID?.self),
                registryNumber: sequence.map { RegistryNumber(sequence: $0).description },
                areaPath: try row.decode(column: "path", as: String?.self),
                probability: probability))
        }
        return Array(scored.sorted { ($0.probability ?? 1) > ($1.probability ?? 1) }.prefix(limit))
    }

    /// The model of the latest completed run.
    private func latestModel() async throws -> LinkageModel? {
        guard let run = try await IdentityRepository(database: database).runs().last(where: { $0.status == "completed" }) else {
            return nil
        }
        return try StoredLinkageModel.read(run.model, comparisons: run.linkageComparisons)
    }
}

import Foundation
import SQLKit
import AmparoStorage

/// A person of the demo registry and the household they live in.
public struct RegisteredPerson: Codable, Sendable {
    var id: UUID
    var source_ref: String
    var given_names: String
    var first_surname: String
    var second_surname: String?
    var birth_date: String
    var sex: String?
    var id_number: String?
    var household_id: UUID
}

/// Registers `count` persons of the demo a second time, each with one of the mistakes a
/// second registration makes; returns the pairs of refs (original, copy).
public func registerTwice(_ database: RegistryDatabase, count: Int) async throws -> Set<[String]> {
    let persons = try await database.read { db in
        try await db.raw("""
            SELECT i.id, i.source_ref, i.given_names, i.first_surname, i.second_surname, i.birth_date, i.sex, i.id_number,
                   m.household_id
            FROM individuals i JOIN memberships m ON m.individual_id = i.id
            WHERE i.second_surname IS NOT NULL AND i.birth_date IS NOT NULL AND i.birth_date < '2000-01-01'
            ORDER BY i.source_ref LIMIT \(unsafeRaw: String(count))
            """).all(decoding: RegisteredPerson.self)
    }
    guard persons.count == count else { throw TestSetupError("the demo has \(persons.count) persons to copy, not \(count)") }
    var pairs = Set<[String]>()
    for (index, person) in persons.enumerated() {
        var copy = person
        copy.id = UUID()
        copy.source_ref = person.source_ref + "-again"
        switch index % 5 {
        case 0: copy.given_names = String(person.given_names.dropLast()) + "e"
        case 1: (copy.first_surname, copy.second_surname) = (person.second_surname!, person.first_surname)
        case 2: copy.second_surname = nil
        case 3: copy.id_number = nil
        default: copy.given_names = person.given_names.uppercased()
        }
        try await database.transaction { [copy] db in
            let now = ISO8601DateFormatter().string(from: Date())
            try await db.raw("""
                INSERT INTO individuals (id, source_ref, given_names, first_surname, second_surname, birth_date, sex, id_number,
                                         created_at, updated_at)
                VALUES (\(bind: copy.id), \(bind: copy.source_ref), \(bind: copy.given_names), \(bind: copy.first_surname),
                        \(bind: copy.second_surname), \(bind: copy.birth_date), \(bind: copy.sex), \(bind: copy.id_number),
                        \(bind: now), \(bind: now))
                """).run()
            try await db.raw("""
                INSERT INTO memberships (id, household_id, individual_id, relationship, start_date, created_at)
                VALUES (\(bind: UUID()), \(bind: copy.household_id), \(bind: copy.id), 'other_relative', '2026-01-01', \(bind: now))
                """).run()
        }
        pairs.insert([person.source_ref, copy.source_ref])
    }
    return pairs
}

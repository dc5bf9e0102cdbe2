import Foundation
import SQLKit
import AmparoDomain

/// A person as a reviewer compares them: what linkage compared, and the household and area
/// they live in now.
public struct ReviewedPerson: Sendable, Equatable {
    public var id: UUID
    public var ref: String
    public var givenNames: String?
    public var firstSurname: String?
    public var secondSurname: String?
    public var birthDate: String?
    public var sex: String?
    public var idNumber: String?
    public var phone: String?
    public var householdID: UUID?
    public var registryNumber: String?
    public var areaCode: String?
    public var areaName: String?
    /// Where the person lives now, for the check of who may see them; `/` when nowhere.
    public var areaPath: String

    /// The values by the names of the exchange format, as the API gives them.
    public var fields: [String: String] {
        let named: [(String, String?)] = [
            ("given_names", givenNames), ("first_surname", firstSurname), ("second_surname", secondSurname),
            ("birth_date", birthDate), ("sex", sex), ("id_number", idNumber), ("phone", phone),
            ("household", registryNumber), ("area_code", areaCode),
        ]
        return Dictionary(uniqueKeysWithValues: named.compactMap { name, value in value.map { (name, $0) } })
    }
}

extension IdentityRepository {
    /// The persons of a page of pairs, in one query.
    public func reviewedPersons(_ ids: [UUID]) async throws -> [UUID: ReviewedPerson] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await database.read { db in
            try await db.raw("\(unsafeRaw: RegistryPersons.selection) WHERE i.id IN (\(binds: ids))").all()
        }
        var persons: [UUID: ReviewedPerson] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            persons[id] = ReviewedPerson(
                id: id, ref: try row.decode(column: "source_ref", as: String.self),
                givenNames: try row.decode(column: "given_names", as: String?.self),
                firstSurname: try row.decode(column: "first_surname", as: String?.self),
                secondSurname: try row.decode(column: "second_surname", as: String?.self),
                birthDate: try row.decode(column: "birth_date", as: String?.self),
                sex: try row.decode(column: "sex", as: String?.self),
                idNumber: try row.decode(column: "id_number", as: String?.self),
                phone: try row.decode(column: "phone", as: String?.self),
                householdID: try row.decode(column: "household_id", as: UUID?.self),
                registryNumber: try row.decode(column: "registry_sequence", as: Int64?.self).map { RegistryNumber(sequence: $0).description },
                areaCode: try row.decode(column: "area_code", as: String?.self),
                areaName: try row.decode(column: "area_name", as: String?.self),
                areaPath: try row.decode(column: "path", as: String?.self) ?? "/")
        }
        return persons
    }
}

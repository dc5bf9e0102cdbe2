import Foundation
import SQLKit
import AmparoDomain

/// The registry's persons as linkage reads them: names, birth date, sex, ID document and
/// phone, with the place and area of the household they live in now. Records merged into
/// another are left out: the record they point to stands for them.
struct RegistryPersons: Sendable {
    let database: RegistryDatabase
    var pageSize = 10_000

    /// Every person not merged away, in id order, so that the same registry gives the same
    /// records and the same blocks every time. Past one part, they are set down on disk.
    func records(recordsPerPart: Int) async throws -> any LinkageRecords {
        var writer = LinkageRecordsWriter(recordsPerPart: recordsPerPart)
        var cursor: UUID?
        while true {
            let page = try await database.read { [pageSize, cursor] db in
                var query = SQLQueryString("\(unsafeRaw: Self.selection) WHERE \(unsafeRaw: Self.notMerged)")
                if let cursor { query += " AND i.id > \(bind: cursor)" }
                query += " ORDER BY i.id LIMIT \(unsafeRaw: String(pageSize))"
                return try await db.raw(query).all().map { row in
                    (try row.decode(column: "id", as: UUID.self), try Self.record(row))
                }
            }
            for (_, record) in page { try writer.append(record) }
            guard page.count == pageSize, let last = page.last else { break }
            cursor = last.0
        }
        return try writer.finish()
    }

    /// Persons with what linkage compares, their current household and its area.
    static let selection = """
        SELECT i.id, i.source_ref, i.given_names, i.first_surname, i.second_surname, i.birth_date, i.sex, i.id_number,
               i.phone, h.id AS household_id, h.registry_sequence, h.latitude, h.longitude, a.code AS area_code, a.name AS area_name,
               a.path
        FROM individuals i
        LEFT JOIN memberships m ON m.id = (SELECT m2.id FROM memberships m2
                                           WHERE m2.individual_id = i.id AND m2.end_date IS NULL
                                           ORDER BY m2.start_date DESC, m2.id LIMIT 1)
        LEFT JOIN households h ON h.id = m.household_id
        LEFT JOIN areas a ON a.id = h.area_id
        """

    /// Leaves out the records merged into another.
    static let notMerged = "NOT EXISTS (SELECT 1 FROM identity_merges x WHERE x.individual_id = i.id AND x.undone_at IS NULL)"

    static func record(_ row: any SQLRow) throws -> PersonRecord {
        var record = PersonRecord(id: try row.decode(column: "id", as: UUID.self).uuidString)
        record.givenNames = try row.decode(column: "given_names", as: String?.self)
        record.firstSurname = try row.decode(column: "first_surname", as: String?.self)
        record.secondSurname = try row.decode(column: "second_surname", as: String?.self)
        record.birthDate = try row.decode(column: "birth_date", as: String?.self)
        record.sex = try row.decode(column: "sex", as: String?.self)
        record.idNumber = try row.decode(column: "id_number", as: String?.self)
        record.phone = try row.decode(column: "phone", as: String?.self)
        record.household = try row.decode(column: "household_id", as: UUID?.self)?.uuidString
        record.latitude = try row.decode(column: "latitude", as: Double?.self)
        record.longitude = try row.decode(column: "longitude", as: Double?.self)
        record.region = try row.decode(column: "area_code", as: String?.self)
        return record
    }
}

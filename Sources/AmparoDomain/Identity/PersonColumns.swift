/// Which column of a file holds which part of a person, so that any list can be linked:
/// the exchange format's own columns by default, or named one by one (`surname=apellido`).
public struct PersonColumns: Sendable {
    public enum Role: String, CaseIterable, Sendable {
        case id, givenNames = "given_names", firstSurname = "first_surname", secondSurname = "second_surname"
        case birthDate = "birth_date", sex, idNumber = "id_number", streetNumber = "street_number", address
        case addressDetail = "address_detail"
        case locality, postcode, region, phone, household, latitude, longitude
    }

    /// A mapping that does not fit the file, in words.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The exchange format's individuals.csv.
    public static let exchangeFormat: [Role: String] = [
        .id: "person_ref", .givenNames: "given_names", .firstSurname: "first_surname",
        .secondSurname: "second_surname", .birthDate: "birth_date", .sex: "sex", .idNumber: "id_number", .phone: "phone",
        .household: "household_ref",
    ]

    /// Reads `ROLE=COLUMN` arguments; `surname` is accepted for a single surname column.
    public static func mapping(_ arguments: [String]) throws(Problem) -> [Role: String] {
        var mapping: [Role: String] = [:]
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts.first == "surname" ? Role.firstSurname.rawValue : parts.first ?? ""
            guard parts.count == 2, !parts[1].isEmpty, let role = Role(rawValue: name) else {
                throw Problem(description: "\"\(argument)\" is not ROLE=COLUMN; roles are "
                    + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
            mapping[role] = parts[1]
        }
        return mapping
    }

    let positions: [Role: Int]

    /// Finds each mapped column in the header; names missing columns. In the exchange
    /// format every column but the person's ref may be left out of a file.
    public init(header: [String], mapping: [Role: String]) throws(Problem) {
        var positions: [Role: Int] = [:]
        var absent: [String] = []
        let optional = mapping == Self.exchangeFormat
        for (role, column) in mapping {
            if let index = header.firstIndex(of: column) {
                positions[role] = index
            } else if !optional || role == .id {
                absent.append(column)
            }
        }
        guard absent.isEmpty else {
            throw Problem(description: "no column \(absent.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) in the header")
        }
        guard positions[.id] != nil else {
            throw Problem(description: "no column names the record (map it with --column id=COLUMN)")
        }
        self.positions = positions
    }

    public func record(_ fields: [String]) -> PersonRecord {
        record { index in index < fields.count ? fields[index] : nil }
    }

    /// The person of a record read as bytes: only the mapped cells are made text. Nil
    /// when one of them is not UTF-8.
    public func record(_ cells: CSVParser.Cells) -> PersonRecord? {
        var undecodable = false
        let person = record { index in
            guard index < cells.count else { return nil }
            guard let text = cells.text(index) else {
                undecodable = true
                return nil
            }
            return text
        }
        return undecodable ? nil : person
    }

    /// Only the mapped columns are visited: a wide file names a few of its many.
    private func record(_ cell: (Int) -> String?) -> PersonRecord {
        var record = PersonRecord(id: "")
        for (role, index) in positions {
            guard let text = cell(index), !text.isEmpty else { continue }
            switch role {
            case .id: record.id = text
            case .givenNames: record.givenNames = text
            case .firstSurname: record.firstSurname = text
            case .secondSurname: record.secondSurname = text
            case .birthDate: record.birthDate = text
            case .sex: record.sex = text
            case .idNumber: record.idNumber = text
            case .streetNumber: record.streetNumber = text
            case .address: record.address = text
            case .addressDetail: record.addressDetail = text
            case .locality: record.locality = text
            case .postcode: record.postcode = text
            case .region: record.region = text
            case .phone: record.phone = text
            case .household: record.household = text
            case .latitude: record.latitude = Double(text)
            case .longitude: record.longitude = Double(text)
            }
        }
        return record
    }
}

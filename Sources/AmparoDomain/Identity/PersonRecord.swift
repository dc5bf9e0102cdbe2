/// What linkage knows of one person, as a source gives it: the registry, a programme's
/// beneficiary list or any file whose columns have been named. Every field may be missing.
public struct PersonRecord: Sendable, Equatable {
    /// The source's own key for the person (`person_ref`, `rec_id`).
    public var id: String
    public var givenNames: String?
    public var firstSurname: String?
    public var secondSurname: String?
    public var birthDate: String?
    public var sex: String?
    public var idNumber: String?
    public var streetNumber: String?
    public var address: String?
    /// A second address line: a building, a neighbourhood.
    public var addressDetail: String?
    public var locality: String?
    public var postcode: String?
    public var region: String?
    public var phone: String?
    /// The household the person is registered in, by the source's key for it.
    public var household: String?
    /// The household's place, in degrees.
    public var latitude: Double?
    public var longitude: Double?

    public init(id: String) {
        self.id = id
    }
}

/// The fields linkage compares, in the order of a table's columns.
public enum LinkageField: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case givenNames, surnames, birthDate, sex, idNumber, streetNumber, address, addressDetail, locality, postcode, region, phone
    case household

    public var description: String {
        switch self {
        case .givenNames: "given_names"
        case .surnames: "surnames"
        case .birthDate: "birth_date"
        case .sex: "sex"
        case .idNumber: "id_number"
        case .streetNumber: "street_number"
        case .address: "address"
        case .addressDetail: "address_detail"
        case .locality: "locality"
        case .postcode: "postcode"
        case .region: "region"
        case .phone: "phone"
        case .household: "household"
        }
    }

    /// Appends the value of this field in normalised form to the end of `bytes`.
    func appendNormalised(_ record: PersonRecord, to bytes: inout [UInt8]) {
        let start = bytes.count
        func fold(_ text: String?) {
            if let text { LinkageText.appendFolded(text, to: &bytes, valueStart: start) }
        }
        switch self {
        case .givenNames: LinkageText.appendName(record.givenNames, to: &bytes, valueStart: start)
        case .surnames:
            LinkageText.appendName(record.firstSurname, to: &bytes, valueStart: start)
            LinkageText.appendName(record.secondSurname, to: &bytes, valueStart: start)
        case .birthDate: LinkageText.appendDate(record.birthDate, to: &bytes)
        case .idNumber: LinkageText.appendIdentifier(record.idNumber, to: &bytes)
        case .phone: LinkageText.appendIdentifier(record.phone, to: &bytes)
        case .postcode: LinkageText.appendIdentifier(record.postcode, to: &bytes)
        case .household: LinkageText.appendIdentifier(record.household, to: &bytes)
        case .sex: fold(record.sex)
        case .streetNumber: fold(record.streetNumber)
        case .address: fold(record.address)
        case .addressDetail: fold(record.addressDetail)
        case .locality: fold(record.locality)
        case .region: fold(record.region)
        }
    }
}

/// Persons held for linkage in normalised form, column by column in flat byte buffers:
/// a million persons take tens of megabytes and no allocation each.
public struct LinkageTable: Sendable {
    /// Which source a record came from, when two are linked.
    public enum Side: UInt8, Sendable { case left = 0, right = 1 }

    public internal(set) var count = 0
    public internal(set) var ids = TextColumn()
    /// Each record's place in the whole list, when this table holds a part of it.
    public internal(set) var positions: [UInt32] = []
    public internal(set) var sides: [Side] = []
    public internal(set) var columns = [TextColumn](repeating: TextColumn(), count: LinkageField.allCases.count)
    public internal(set) var latitudes: [Float] = []
    public internal(set) var longitudes: [Float] = []
    /// Fields that at least one record has, so the model compares only what the sources hold.
    public internal(set) var fieldsPresent: Set<LinkageField> = []
    public internal(set) var hasPoints = false

    public init() {}

    /// Adds a record; `position` is its place in the whole list when this table is a chunk of it.
    public mutating func append(_ record: PersonRecord, side: Side = .left, position: Int? = nil) {
        ids.append(record.id)
        positions.append(UInt32(position ?? count))
        sides.append(side)
        for field in LinkageField.allCases {
            columns[field.rawValue].appendValue { field.appendNormalised(record, to: &$0) }
            if !columns[field.rawValue].isEmpty(count) { fieldsPresent.insert(field) }
        }
        if let latitude = record.latitude, let longitude = record.longitude,
           (-90...90).contains(latitude), (-180...180).contains(longitude) {
            latitudes.append(Float(latitude))
            longitudes.append(Float(longitude))
            hasPoints = true
        } else {
            latitudes.append(.nan)
            longitudes.append(.nan)
        }
        count += 1
    }

    /// Records `rows` of `other`, in that order, keeping their places in the whole list.
    /// Gathered column by column: a part of a list is made of millions of such records.
    public init(rows: [Int], of other: LinkageTable) {
        count = rows.count
        ids = TextColumn(rows: rows, of: other.ids)
        positions = rows.map { other.positions[$0] }
        sides = rows.map { other.sides[$0] }
        for field in LinkageField.allCases {
            columns[field.rawValue] = TextColumn(rows: rows, of: other.columns[field.rawValue])
            if !columns[field.rawValue].bytes.isEmpty { fieldsPresent.insert(field) }
        }
        latitudes = rows.map { other.latitudes[$0] }
        longitudes = rows.map { other.longitudes[$0] }
        hasPoints = latitudes.contains { !$0.isNaN }
    }

    /// Adds every record of `other` after these.
    public mutating func append(contentsOf other: LinkageTable) {
        count += other.count
        ids.append(contentsOf: other.ids)
        positions += other.positions
        sides += other.sides
        for field in LinkageField.allCases { columns[field.rawValue].append(contentsOf: other.columns[field.rawValue]) }
        fieldsPresent.formUnion(other.fieldsPresent)
        latitudes += other.latitudes
        longitudes += other.longitudes
        hasPoints = hasPoints || other.hasPoints
    }

    public subscript(field: LinkageField) -> TextColumn { columns[field.rawValue] }

    public func id(_ record: Int) -> String { ids.string(record) }
}

/// Strings one after another in one buffer, found by where each ends.
public struct TextColumn: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var ends: [UInt32] = []

    public init() {}

    init(bytes: [UInt8], ends: [UInt32]) {
        self.bytes = bytes
        self.ends = ends
    }

    mutating func append(_ text: String) {
        appendValue { $0.append(contentsOf: text.utf8) }
    }

    init(rows: [Int], of other: TextColumn) {
        ends.reserveCapacity(rows.count)
        other.bytes.withUnsafeBufferPointer { values in
            other.ends.withUnsafeBufferPointer { otherEnds in
                for row in rows {
                    bytes.append(contentsOf: values[(row == 0 ? 0 : Int(otherEnds[row - 1]))..<Int(otherEnds[row])])
                    ends.append(UInt32(bytes.count))
                }
            }
        }
    }

    mutating func append(contentsOf other: TextColumn) {
        let base = UInt32(bytes.count)
        bytes += other.bytes
        ends += other.ends.map { $0 + base }
    }

    /// Adds a value that `write` appends to the column's bytes.
    mutating func appendValue(_ write: (inout [UInt8]) -> Void) {
        write(&bytes)
        ends.append(UInt32(bytes.count))
    }

    public func range(_ row: Int) -> Range<Int> {
        (row == 0 ? 0 : Int(ends[row - 1]))..<Int(ends[row])
    }

    public func isEmpty(_ row: Int) -> Bool { range(row).isEmpty }

    public func string(_ row: Int) -> String { String(decoding: bytes[range(row)], as: UTF8.self) }

    /// FNV-1a of the value's bytes, a blocking and frequency key.
    public func hash(_ row: Int, prefix: Int = .max) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let range = range(row)
        for index in range.prefix(prefix) {
            hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3
        }
        return hash
    }
}

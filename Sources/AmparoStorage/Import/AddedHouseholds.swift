import Foundation
import AmparoDomain

/// The households an import has just written, by ref: what it needs to attach each person
/// of individuals.csv to their household without asking the database, chunk after chunk.
///
/// Refs are kept as text, not only as fingerprints, so a person is attached to the household
/// whose ref is exactly theirs; ids as their 16 bytes and registration dates as numbers, so
/// that a million households take about 40 MB. A household the registry held before the
/// import is not here, and is looked up in the database as before.
struct AddedHouseholds: Sendable {
    /// Each ref's fingerprint, with its entry below (counted from 1, as `RefIndex` wants lines).
    private var entries = RefIndex()
    private var refBytes: [UInt8] = []
    private var refEnds: [Int32] = []
    private var ids: [RecordID] = []
    /// yyyymmdd, or 0 where the household has no registration date.
    private var registeredOn: [Int32] = []

    var count: Int { ids.count }

    mutating func add(ref: String, id: RecordID, registeredOn date: CalendarDate?) {
        var ref = ref
        let key = ref.withUTF8 { bytes in
            refBytes.append(contentsOf: bytes)
            return RefIndex.fingerprint(bytes: bytes)
        }
        refEnds.append(Int32(refBytes.count))
        ids.append(id)
        registeredOn.append(date.map { Int32($0.year * 10_000 + $0.month * 100 + $0.day) } ?? 0)
        // Two refs with one fingerprint: the first keeps it, and the second is not found here
        // (its text differs), so its people are attached from the database.
        if !entries.contains(fingerprint: key) { entries[fingerprint: key] = Int32(count) }
    }

    /// The id and registration date of the household `ref`, if added.
    func find(_ ref: String) -> HouseholdPlace? {
        var ref = ref
        return ref.withUTF8 { bytes -> HouseholdPlace? in
            guard let found = entries[fingerprint: RefIndex.fingerprint(bytes: bytes)] else { return nil }
            let entry = Int(found) - 1
            let start = entry == 0 ? 0 : Int(refEnds[entry - 1])
            guard refBytes[start..<Int(refEnds[entry])].elementsEqual(bytes) else { return nil }
            let packed = Int(registeredOn[entry])
            return HouseholdPlace(id: ids[entry],
                                  registeredOn: packed == 0 ? nil : CalendarDate(year: packed / 10_000, month: packed / 100 % 100, day: packed % 100))
        }
    }
}

/// The household a person of an import joins: its id, and the day it was registered, on
/// which the membership starts where known.
struct HouseholdPlace: Sendable {
    var id: RecordID
    var registeredOn: CalendarDate?

    init(id: RecordID, registeredOn: CalendarDate?) {
        self.id = id
        self.registeredOn = registeredOn
    }

    /// From the text the registry stores: nil for an id that does not read as one; a date
    /// that does not read counts as none. Every id in the registry was made by
    /// `RecordIdentifiers` and stored in its canonical text, so on SQLite, where ids are
    /// compared as text, the id is written back exactly as it was read.
    init?(stored id: String, registeredOn: String?) {
        guard let id = RecordID(text: id) else { return nil }
        self.init(id: id, registeredOn: registeredOn.flatMap { CalendarDate(iso: $0) })
    }
}

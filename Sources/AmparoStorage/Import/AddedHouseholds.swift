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
    private var slots: [Int32] = []
    private var fingerprints: [UInt64] = []
    private var refBytes: [UInt8] = []
    private var refEnds: [Int32] = []
    private var ids: [UUID] = []
    /// yyyymmdd, or 0 where the household has no registration date.
    private var registeredOn: [Int32] = []

    var count: Int { ids.count }

    mutating func add(ref: String, id: UUID, registeredOn date: CalendarDate?) {
        if (count + 1) * 5 > slots.count * 4 { grow() }
        var ref = ref
        let key = ref.withUTF8 { bytes in
            refBytes.append(contentsOf: bytes)
            return RefIndex.fingerprint(bytes: bytes)
        }
        refEnds.append(Int32(refBytes.count))
        fingerprints.append(key)
        ids.append(id)
        registeredOn.append(date.map { Int32($0.year * 10_000 + $0.month * 100 + $0.day) } ?? 0)
        place(entry: count - 1)
    }

    /// The id (in the text the registry stores) and registration date of the household `ref`, if added.
    func find(_ ref: String) -> (id: String, registeredOn: String?)? {
        guard !slots.isEmpty else { return nil }
        var ref = ref
        return ref.withUTF8 { bytes -> (id: String, registeredOn: String?)? in
            let key = RefIndex.fingerprint(bytes: bytes)
            var slot = home(of: key)
            while slots[slot] >= 0 {
                let entry = Int(slots[slot])
                if fingerprints[entry] == key, refBytes[refRange(entry)].elementsEqual(bytes) {
                    let packed = Int(registeredOn[entry])
                    let date = packed == 0 ? nil : CalendarDate(year: packed / 10_000, month: packed / 100 % 100, day: packed % 100)
                    return (RecordIdentifiers.text(of: ids[entry]), date?.description)
                }
                slot = slot + 1 == slots.count ? 0 : slot + 1
            }
            return nil
        }
    }

    private func refRange(_ entry: Int) -> Range<Int> {
        (entry == 0 ? 0 : Int(refEnds[entry - 1]))..<Int(refEnds[entry])
    }

    private func home(of key: UInt64) -> Int {
        Int(key.multipliedFullWidth(by: UInt64(slots.count)).high)
    }

    private mutating func place(entry: Int) {
        var slot = home(of: fingerprints[entry])
        while slots[slot] >= 0 { slot = slot + 1 == slots.count ? 0 : slot + 1 }
        slots[slot] = Int32(entry)
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: max(1_024, slots.count + slots.count / 2))
        for entry in 0..<count { place(entry: entry) }
    }
}

import Foundation
import Testing
@testable import AmparoStorage
import AmparoDomain

@Suite("Record identifiers")
struct RecordIdentifiersTests {
    @Test("ids are UUID version 7 in canonical text, and each sorts after the one before")
    func versionSevenInOrder() throws {
        var ids = RecordIdentifiers()
        var previous = ""
        var seen = Set<String>()
        for _ in 0..<5_000 {
            let text = ids.next().text
            let uuid = try #require(UUID(uuidString: text))
            // The text is exactly what Foundation writes for the same id.
            #expect(uuid.uuidString == text)
            #expect(Array(text.utf8)[14] == UInt8(ascii: "7"))
            #expect(["8", "9", "A", "B"].contains(String(Array(text)[19])))
            #expect(text > previous)
            seen.insert(text)
            previous = text
        }
        #expect(seen.count == 5_000)
        // The binary form is made the same way, and written as the text is.
        let id = ids.next()
        #expect(id.uuid.uuidString > previous)
        #expect(id.text == id.uuid.uuidString)
        #expect(id.withText { String(decoding: $0, as: UTF8.self) } == id.uuid.uuidString)
        let random = UUID()
        #expect(RecordID(random).text == random.uuidString)
        #expect(RecordID(random).uuid == random)
        #expect(RecordID(text: random.uuidString.lowercased()) == RecordID(random))
        #expect(RecordID(text: "not-an-id") == nil)
    }
}

@Suite("Households added by an import")
struct AddedHouseholdsTests {
    @Test("each ref finds its own id and registration date, by its exact text, through growth")
    func findsByText() throws {
        var added = AddedHouseholds()
        var ids = RecordIdentifiers()
        var made: [(ref: String, id: RecordID)] = []
        for number in 0..<5_000 {
            let id = ids.next()
            let ref = number % 2 == 0 ? "H\(number)" : "Hogar-Ñandú-\(number)"
            added.add(ref: ref, id: id, registeredOn: number % 3 == 0 ? nil : CalendarDate(year: 2024, month: 2, day: 29))
            made.append((ref, id))
        }
        #expect(added.count == 5_000)
        for (number, entry) in made.enumerated() {
            let found = try #require(added.find(entry.ref))
            #expect(found.id == entry.id)
            #expect(found.registeredOn == (number % 3 == 0 ? nil : CalendarDate(year: 2024, month: 2, day: 29)))
        }
        #expect(added.find("H1") == nil)
        #expect(added.find("h0") == nil)
        #expect(AddedHouseholds().find("H0") == nil)
    }
}

/// Foundation's UUID, which tests hold the ids' own text and parsing to; the program needs neither way.
extension RecordID {
    init(_ uuid: UUID) {
        let (high, low) = withUnsafeBytes(of: uuid.uuid) { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(as: UInt64.self)),
             UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
        self.init(high: high, low: low)
    }

    var uuid: UUID {
        withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { UUID(uuid: $0.load(as: uuid_t.self)) }
    }
}

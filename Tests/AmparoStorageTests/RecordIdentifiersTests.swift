import Foundation
import Testing
@testable import AmparoStorage

@Suite("Record identifiers")
struct RecordIdentifiersTests {
    @Test("ids are UUID version 7 in canonical text, and each sorts after the one before")
    func versionSevenInOrder() throws {
        var ids = RecordIdentifiers()
        var previous = ""
        var seen = Set<String>()
        for _ in 0..<5_000 {
            let text = ids.nextText()
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
        // The binary form is made the same way.
        let uuid = ids.next()
        #expect(uuid.uuidString > previous)
    }
}

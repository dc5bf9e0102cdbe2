import Foundation
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport

/// A batch with one bad row of every kind, each on a line of its own.
enum BadBatch {
    static let households = """
        household_ref,area_code,zone,sleeping_rooms,floor,registered_on
        H1,05001001,urban,2,cement,2025-03-14
        H2,05001001,urban,-1,cement,2025-03-14
        H3,99999,urban,1,cement,2025-03-14
        H4,05001001,urban,1,marble,2025-03-14
        H5,05001001,urban,1,cement,2024-02-30
        H1,05001002,rural,1,earth,2025-03-14
        H6,05001002,rural,1,earth,2025-03-14

        """
    // Line by line: good; person of a refused household; person of a missing household;
    // duplicate person ref; Latin-1 bytes; good.
    static let individuals: [UInt8] = Array("""
        person_ref,household_ref,relationship,given_names,first_surname,sex
        P1,H1,head,Ana,Pérez,f
        P2,H2,head,Luis,Gómez,m
        P3,H404,head,Rosa,Díaz,f
        P1,H6,head,Eva,Ruiz,f

        """.utf8) + Array("P4,H6,head,Jos".utf8) + [0xE9] + Array(",Mu\u{00F1}oz,m\nP5,H6,child,Nguyễn,Văn,x\n".utf8)

    static func folder() throws -> ExchangeFolder {
        let folder = try ExchangeFolder()
        try folder.write("areas.csv", Fixtures.areas)
        try folder.write("households.csv", households)
        try folder.write("individuals.csv", bytes: individuals)
        return folder
    }
}

@Suite("Bad input")
struct BadInputTests {
    @Test("all-or-nothing writes nothing and names every bad row", arguments: TestDatabaseKind.allCases)
    func allOrNothing(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try BadBatch.folder()
            defer { folder.delete() }
            let (summary, log) = try await runImport(database, folder, mode: .allOrNothing)
            #expect(summary.wroteNothing)
            #expect(try await RegistryStatistics(database: database).counts()
                    == RegistryCounts(areas: 0, households: 0, individuals: 0, memberships: 0, changeHistoryEntries: 0))
            #expect(log.has(file: "households.csv", line: 3, column: "sleeping_rooms"))
            #expect(log.has(file: "households.csv", line: 4, column: "area_code"))
            #expect(log.has(file: "households.csv", line: 5, column: "floor"))
            #expect(log.has(file: "households.csv", line: 6, column: "registered_on"))
            #expect(log.has(file: "households.csv", line: 7, column: "household_ref"))
            #expect(log.has(file: "individuals.csv", line: 3, column: "household_ref"))
            #expect(log.has(file: "individuals.csv", line: 4, column: "household_ref"))
            #expect(log.has(file: "individuals.csv", line: 5, column: "person_ref"))
            #expect(log.has(file: "individuals.csv", line: 6, column: "given_names"))
            #expect(summary.households.refused == 5)
            #expect(summary.individuals.refused == 4)
        }
    }

    @Test("skip-invalid writes exactly the good rows", arguments: TestDatabaseKind.allCases)
    func skipInvalid(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try BadBatch.folder()
            defer { folder.delete() }
            let (summary, _) = try await runImport(database, folder, mode: .skipInvalid)
            #expect(!summary.wroteNothing)
            #expect(summary.households.added == 2)
            #expect(summary.individuals.added == 2)
            let refs = try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 10)
                .households.map(\.sourceRef)
            #expect(refs == ["H1", "H6"])
            let people = try await IndividualRepository(database: database).search(name: "nguyen", limit: 5)
            #expect(people.map(\.sourceRef) == ["P5"])
            #expect(try await RegistryStatistics(database: database).counts().individuals == 2)
        }
    }

    @Test("a file that cannot be read stops the import and leaves the registry as it was", arguments: TestDatabaseKind.allCases)
    func unreadableFiles(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let good = try fixtureFolder()
            defer { good.delete() }
            _ = try await runImport(database, good)
            let before = try await RegistryStatistics(database: database).counts()

            let cases: [(String, [UInt8], String)] = [
                ("empty", [], "empty"),
                ("no header", Array("H9,05001001,urban\n".utf8), "lacks the column"),
                ("not CSV", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "header"),
                ("unclosed quote", Array("household_ref,area_code\nH9,\"05001001\n".utf8), "never closed"),
            ]
            for (name, bytes, expected) in cases {
                let folder = try ExchangeFolder()
                defer { folder.delete() }
                try folder.write("households.csv", bytes: bytes)
                try folder.write("individuals.csv", "person_ref,household_ref,relationship\nP9,H9,head\n")
                do {
                    _ = try await runImport(database, folder, mode: .skipInvalid)
                    Issue.record("\(name): the import should have stopped")
                } catch let error as ImportError {
                    #expect(error.description.contains("households.csv:"), "\(name): \(error)")
                    #expect(error.description.contains(expected), "\(name): \(error)")
                }
                #expect(try await RegistryStatistics(database: database).counts() == before, "\(name)")
            }
        }
    }

    @Test("a 10 MB cell is refused on its line, the rest imported", arguments: TestDatabaseKind.allCases)
    func hugeCell(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let folder = try ExchangeFolder()
            defer { folder.delete() }
            try folder.write("areas.csv", Fixtures.areas)
            let huge = String(repeating: "x", count: 10_000_000)
            try folder.write("households.csv", "household_ref,area_code,address\nH1,05001001,\(huge)\nH2,05001001,Calle 1\n")
            let (summary, log) = try await runImport(database, folder, mode: .skipInvalid)
            #expect(log.problems.count == 1)
            #expect(log.problems.first?.line == 2)
            #expect(log.problems.first?.column == "address")
            #expect(log.problems.first.map { $0.value.count <= 201 } == true)
            #expect(summary.households.added == 1)
        }
    }
}

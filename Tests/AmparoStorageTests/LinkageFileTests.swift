import Foundation
import Testing
import AmparoDomain
@testable import AmparoStorage
import AmparoTestSupport

@Suite("Linking a programme's list to the registry's")
struct LinkageFileTests {
    static let header = "person_ref,given_names,first_surname,second_surname,birth_date,sex,id_number\n"

    /// A registry export of 200 persons, and a programme's list holding 29 of them (written
    /// the programme's way) and 10 persons the registry does not have.
    func files(_ folder: ExchangeFolder) throws -> (registry: String, programme: String) {
        let given = ["Ana", "José", "María", "Juan", "Luz", "Carlos", "Rosa", "Pedro", "Sofía", "Luis", "João", "Nguyễn"]
        let surnames = ["González", "Muñoz", "Gómez", "Quispe", "López", "Díaz", "Silva", "Santos", "Pérez", "Zúñiga", "Mamani"]
        var registry = Self.header, programme = Self.header
        for index in 0..<210 {
            let row = (given: given[index % 12], first: surnames[(index / 12) % 11], second: surnames[(index * 7) % 11],
                       born: "19\(40 + index % 60)-\(String(format: "%02d", 1 + index % 12))-\(String(format: "%02d", 1 + index % 28))",
                       id: String(50_000_000 + index * 7919))
            if index < 200 {
                registry += "R\(index),\(row.given),\(row.first),\(row.second),\(row.born),f,\(row.id)\n"
            }
            if index % 7 == 0 || index >= 200 {
                // Upper case, no accents, the second surname left out now and then.
                let second = index % 2 == 0 ? "" : LinkageText.fold(row.second).uppercased()
                programme += "B\(index),\(LinkageText.fold(row.given).uppercased()),\(LinkageText.fold(row.first).uppercased()),"
                    + "\(second),\(row.born),f,\(index % 3 == 0 ? "" : row.id)\n"
            }
        }
        try folder.write("registry.csv", registry)
        try folder.write("programme.csv", programme)
        return (folder.path + "/registry.csv", folder.path + "/programme.csv")
    }

    @Test func whoIsInBothAndWhoIsOnlyInTheProgramme() throws {
        let folder = try ExchangeFolder()
        defer { folder.delete() }
        let (registry, programme) = try files(folder)
        var table = LinkageTable()
        #expect(try LinkageFile(path: registry, mapping: PersonColumns.exchangeFormat).read(into: &table, side: .left) == 200)
        #expect(try LinkageFile(path: programme, mapping: PersonColumns.exchangeFormat).read(into: &table, side: .right) == 39)
        let linkage = PersonLinkage(table: table, mode: .link)
        let (model, _) = try linkage.train(randomPairs: 20_000)
        var linked = Set<[String]>()
        try linkage.predict(model, floor: 0.5) { pair in
            #expect(table.sides[pair.left] == .left && table.sides[pair.right] == .right)
            linked.insert([table.id(pair.left), table.id(pair.right)])
        }
        let expected = Set((0..<200).filter { $0 % 7 == 0 }.map { ["R\($0)", "B\($0)"] })
        #expect(linked == expected)
        var entities = EntityClusters(count: table.count)
        try linkage.predict(model, floor: 0.5) { entities.link($0.left, $0.right) }
        #expect(Set(entities.rightOnly(leftCount: 200).map(table.id)) == Set((200..<210).map { "B\($0)" }))
    }

    /// Lists longer than a part are set down on disk and compared a part at a time: the
    /// pairs, their weights, the places of the records and those found in no entity are
    /// exactly those of the list held whole, and the files are gone afterwards.
    @Test func aListComparedInPartsGivesWhatTheWholeGives() throws {
        let folder = try ExchangeFolder()
        defer { folder.delete() }
        let (registry, programme) = try files(folder)
        func link(_ records: any LinkageRecords) throws -> (pairs: [PersonLinkage.ScoredPair], alone: [Int], model: LinkageModel) {
            let linkage = PersonLinkage(records: records, mode: .link)
            let (model, _) = try linkage.train(randomPairs: 20_000)
            var pairs: [PersonLinkage.ScoredPair] = []
            var entities = EntityClusters(count: records.count)
            try linkage.predict(model, floor: 0.01, blocksAtOnce: 7) { pair in
                pairs.append(pair)
                if pair.probability >= 0.5 { entities.link(pair.left, pair.right) }
            }
            return (pairs, entities.rightOnly(leftCount: records.leftCount), model)
        }
        var whole = LinkageRecordsWriter()
        var parted = LinkageRecordsWriter(recordsPerPart: 40)
        try LinkageFile(path: registry, mapping: PersonColumns.exchangeFormat).read(into: &whole, side: .left)
        try LinkageFile(path: programme, mapping: PersonColumns.exchangeFormat).read(into: &whole, side: .right)
        try LinkageFile(path: registry, mapping: PersonColumns.exchangeFormat).read(into: &parted, side: .left)
        try LinkageFile(path: programme, mapping: PersonColumns.exchangeFormat).read(into: &parted, side: .right)
        let inMemory = try whole.finish()
        var onDisk: (any LinkageRecords)? = try parted.finish()
        #expect(inMemory.parts == 1 && onDisk?.parts == 6)
        let expected = try link(inMemory)
        let found = try link(onDisk!)
        #expect(found.model == expected.model)
        #expect(found.pairs.count >= 29 && found.pairs == expected.pairs, "\(found.pairs.count) \(expected.pairs.count)")
        #expect(found.alone == expected.alone && found.alone.count == 10)

        let chunks = try #require((onDisk as? SpilledLinkageRecords)?.file.path)
        let files = [chunks] + (0..<PersonLinkage.blockingRules(for: inMemory.fieldsPresent).count).map { chunks + "-rule\($0)" }
        #expect(files.allSatisfy(FileManager.default.fileExists))
        onDisk = nil
        #expect(!files.contains(where: FileManager.default.fileExists))
    }

    /// A run killed with kill -9 leaves its files; the next run that sets a list down
    /// removes them, and never those of a run still going.
    @Test func filesOfKilledRunsAreRemoved() throws {
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let left = ChunkFile.directory + "/" + ChunkFile.prefix + "\(gone.processIdentifier)-test-\(UUID().uuidString)"
        let living = ChunkFile.directory + "/" + ChunkFile.prefix + "\(getpid())-test-\(UUID().uuidString)"
        defer { unlink(living) }
        for path in [left, living] { #expect(FileManager.default.createFile(atPath: path, contents: Data([1]))) }
        var writer = LinkageRecordsWriter(recordsPerPart: 2)
        for index in 0..<3 { try writer.append(PersonRecord(id: "\(index)")) }
        let records = try writer.finish()
        #expect(records.parts == 2)
        #expect(!FileManager.default.fileExists(atPath: left))
        #expect(FileManager.default.fileExists(atPath: living))
    }

    @Test func aMappingThatDoesNotFitSaysWhich() throws {
        let folder = try ExchangeFolder()
        defer { folder.delete() }
        try folder.write("list.csv", "rec_id,name\n1,Ana\n2,\"Luz\n")
        var table = LinkageTable()
        let mapping = try PersonColumns.mapping(["id=rec_id", "given_names=nombre"])
        #expect(throws: LinkageFile.Problem.self) {
            try LinkageFile(path: folder.path + "/list.csv", mapping: mapping).read(into: &table)
        }
        do {
            try LinkageFile(path: folder.path + "/list.csv", mapping: mapping).read(into: &table)
        } catch {
            #expect("\(error)".contains("list.csv:1") && "\(error)".contains("\"nombre\""))
        }
        do {
            try LinkageFile(path: folder.path + "/list.csv", mapping: try PersonColumns.mapping(["id=rec_id", "given_names=name"]))
                .read(into: &table)
            Issue.record("an unclosed quote was read")
        } catch {
            #expect("\(error)".hasPrefix("list.csv:3"), "\(error)")
        }
        #expect(throws: PersonColumns.Problem.self) { try PersonColumns.mapping(["nickname=alias"]) }
    }

    /// Only the named columns are made text: bytes that are not UTF-8 stop the reading with
    /// the line when a named column holds them, and are passed over in a column not named.
    @Test func bytesThatAreNotTextInANamedColumnSayWhere() throws {
        let folder = try ExchangeFolder()
        defer { folder.delete() }
        let mapping = try PersonColumns.mapping(["id=rec_id", "given_names=name"])
        var file = Data("rec_id,name,note\n1,Ana,ok\n2,Luz,".utf8) + Data([0xC3, 0x28]) + Data("\n".utf8)
        FileManager.default.createFile(atPath: folder.path + "/notes.csv", contents: file)
        var table = LinkageTable()
        #expect(try LinkageFile(path: folder.path + "/notes.csv", mapping: mapping).read(into: &table) == 2)
        #expect(table[.givenNames].string(1) == "luz")
        file = Data("rec_id,name\n1,Ana\n2,".utf8) + Data([0xFF]) + Data("\n".utf8)
        FileManager.default.createFile(atPath: folder.path + "/names.csv", contents: file)
        do {
            try LinkageFile(path: folder.path + "/names.csv", mapping: mapping).read(into: &table)
            Issue.record("a name that is not UTF-8 was read")
        } catch {
            #expect("\(error)" == "names.csv:3: not valid UTF-8; save the file as UTF-8")
        }
    }
}

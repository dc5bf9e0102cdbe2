import Testing
@testable import AmparoDomain

func parse(_ bytes: [UInt8], chunk: Int = 7, maxFieldBytes: Int = 65_536, maxFields: Int = 2_048) throws -> [CSVParser.Record] {
    var parser = CSVParser(maxFieldBytes: maxFieldBytes, maxFields: maxFields)
    var records: [CSVParser.Record] = []
    var start = 0
    // Small chunks make every state cross a chunk boundary somewhere.
    while start < bytes.count {
        let end = min(bytes.count, start + chunk)
        try bytes[start..<end].withUnsafeBytes { try parser.consume($0) { records.append($0) } }
        start = end
    }
    try parser.finish { records.append($0) }
    return records
}

@Suite("RFC 4180 parsing")
struct CSVParserTests {
    @Test func quotedCellsCommasQuotesAndNewlines() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nplain,,last\n"
        let records = try parse(Array(text.utf8))
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["plain", "", "last"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("records kept and read again give the same lines, cells, bad bytes and malformations")
    func keptRecordsReadBackAsParsed() throws {
        let text = Array("a,b,c\r\n\"x, y\",,\"two\nlines\"\r\n\nMu".utf8) + [0xF1] + Array("oz,\"open\"x,\n,,\nlast".utf8)
        var parser = CSVParser()
        var direct: [CSVParser.Record] = []
        var kept = CSVParser.KeptRecords()
        #expect(kept.isEmpty)
        func take(_ cells: CSVParser.Cells) {
            direct.append(cells.record())
            kept.append(cells)
        }
        try text.withUnsafeBytes { try parser.consumeCells($0, take) }
        try parser.finishCells(take)
        var again: [CSVParser.Record] = []
        kept.forEach { again.append($0.record()) }
        #expect(direct.count == 5)
        #expect(again.map(\.line) == direct.map(\.line))
        #expect(again.map(\.fields) == direct.map(\.fields))
        #expect(again.map(\.undecodable) == direct.map(\.undecodable))
        #expect(again.map { $0.malformation?.column } == direct.map { $0.malformation?.column })
        #expect(direct.contains { $0.malformation != nil })
        #expect(direct.contains { !$0.undecodable.isEmpty })
    }

    @Test func byteOrderMarkAndMissingFinalNewline() throws {
        let records = try parse([0xEF, 0xBB, 0xBF] + Array("ref,name\n1,Muñoz".utf8))
        #expect(records.map(\.fields) == [["ref", "name"], ["1", "Muñoz"]])
    }

    @Test func blankLinesCarryNoRecord() throws {
        let records = try parse(Array("a\n\n\nb\n".utf8))
        #expect(records.map(\.fields) == [["a"], ["b"]])
        #expect(records.map(\.line) == [1, 4])
    }

    @Test func invalidUTF8IsMarkedOnItsCell() throws {
        // "Muñoz" in Latin-1: ñ is the single byte 0xF1.
        let records = try parse(Array("ref,name\n1,Mu".utf8) + [0xF1] + Array("oz\n".utf8))
        #expect(records[1].undecodable == [1])
        #expect(records[1].fields == ["1", ""])
    }

    @Test func oversizedCellIsRefusedWithoutHoldingIt() throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000)
        let records = try parse(Array("a,b\n1,".utf8) + big + Array("\n2,ok\n".utf8), chunk: 1 << 20)
        #expect(records.count == 3)
        #expect(records[1].malformation?.column == 1)
        #expect(records[1].fields[1].utf8.count == 65_536)
        #expect(records[2].fields == ["2", "ok"])
        #expect(records[2].line == 3)
    }

    @Test func unclosedQuoteStopsTheFileNamingItsLine() throws {
        #expect(throws: CSVParser.FileError(line: 2, message: .unclosedQuote)) {
            _ = try parse(Array("a,b\n1,\"open\n2,3\n".utf8))
        }
    }

    @Test func textAfterClosingQuoteIsMalformed() throws {
        let records = try parse(Array("a,b\n\"x\"y,2\n".utf8))
        #expect(records[1].malformation?.column == 0)
    }

    @Test("a line read where it lies in the chunk gives what the byte-by-byte reading gives")
    func plainLinesAsTheSlowReadingGivesThem() throws {
        // Plain lines, blank ones, empty cells, quotes, a cell one byte too long and one just
        // short enough, a line with too many cells, CRLF and a lone CR, and no final newline.
        let long = String(repeating: "x", count: 17), fits = String(repeating: "y", count: 16)
        let text = "ref,name,age\n1,Muñoz,34\n\n,,\n2,\"Q, R\",7\r\n3,\(long),1\n4,\(fits),2\n"
            + "a,b,c,d,e,f,g,h,i\n5,x\"y,3\n\n6,crlf,9\r\n\r\n7,cr,1\r8,last,2"
        let bytes = Array(text.utf8)
        func records(chunk: Int) throws -> [CSVParser.Record] {
            try parse(bytes, chunk: chunk, maxFieldBytes: 16, maxFields: 8)
        }
        // One byte at a time no line is whole in a chunk, so each is read byte by byte.
        let slow = try records(chunk: 1)
        #expect(slow.map(\.line) == [1, 2, 4, 5, 6, 7, 8, 9, 11, 13, 14])
        #expect(slow[1].fields == ["1", "Muñoz", "34"])
        #expect(slow[8].fields == ["6", "crlf", "9"] && slow[9].fields == ["7", "cr", "1"])
        #expect(slow[2].fields == ["", "", ""])
        #expect(slow[4].malformation?.column == 1 && slow[5].malformation == nil)
        #expect(slow[6].malformation?.column == 8 && slow[6].fields.count == 8)
        for chunk in [2, 5, 13, 64, bytes.count] {
            let fast = try records(chunk: chunk)
            #expect(fast.map(\.line) == slow.map(\.line), "chunk \(chunk)")
            #expect(fast.map(\.fields) == slow.map(\.fields), "chunk \(chunk)")
            #expect(fast.map { $0.malformation?.column } == slow.map { $0.malformation?.column }, "chunk \(chunk)")
        }
    }

    @Test func writerAndParserAgree() throws {
        var writer = CSVWriter()
        let rows = [["ref", "note"], ["1", "comma, quote \" and\r\nnewline"], ["2", "João"]]
        rows.forEach { writer.writeRecord($0) }
        #expect(try parse(writer.take()).map(\.fields) == rows)
    }
}

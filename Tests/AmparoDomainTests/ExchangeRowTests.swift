import Testing
@testable import AmparoDomain

@Suite("Rows of the exchange format")
struct ExchangeRowTests {
    let reader = ExchangeRowReader()

    func record(_ line: Int, _ fields: [String]) -> CSVParser.Record {
        CSVParser.Record(line: line, fields: fields, undecodable: [], malformation: nil)
    }

    @Test func headerMustHoldTheKeys() {
        #expect(throws: ExchangeFileError.self) { try reader.householdLayout(header: ["area_code", "zone"]) }
        #expect(throws: ExchangeFileError.self) { try reader.householdLayout(header: ["household_ref", "area_code", "zone", "zone"]) }
        #expect(throws: ExchangeFileError.self) { try reader.individualLayout(header: ["\u{89}PNG", "IHDR"]) }
    }

    @Test func everyProblemOfARowIsReportedWithItsColumn() throws {
        let layout = try reader.householdLayout(header: ["household_ref", "area_code", "sleeping_rooms", "floor", "registered_on"])
        guard case .failure(let refusal) = reader.household(record(9, ["H1", "05", "-1", "marble", "2024-02-30"]), layout: layout) else {
            Issue.record("the row should be refused")
            return
        }
        #expect(refusal.problems.map(\.column) == ["sleeping_rooms", "floor", "registered_on"])
        #expect(refusal.problems.allSatisfy { $0.file == "households.csv" && $0.line == 9 })
        #expect(refusal.problems[0].value == "-1")
    }

    @Test func unknownColumnsAreKeptAsExtras() throws {
        let layout = try reader.householdLayout(header: ["household_ref", "area_code", "Programa_Local"])
        guard case .success(let row) = reader.household(record(2, ["H1", "05", "sí"]), layout: layout) else {
            Issue.record("the row should be accepted")
            return
        }
        #expect(row.extras.map(\.name) == ["programa_local"])
        #expect(row.extras.map(\.value) == ["sí"])
    }

    @Test func wrongNumberOfCellsIsRefused() throws {
        let layout = try reader.householdLayout(header: ["household_ref", "area_code"])
        guard case .failure(let refusal) = reader.household(record(3, ["H1", "05", "extra"]), layout: layout) else {
            Issue.record("the row should be refused")
            return
        }
        #expect(refusal.problems.first?.reason == "has 3 cells where the header has 2")
    }

    @Test func areasNeedParentsExceptTheCountry() throws {
        let layout = try reader.areaLayout(header: ExchangeFormat.areaColumns)
        if case .success = reader.area(record(2, ["05", "Antioquia", "region", ""]), layout: layout) {
            Issue.record("a region without a parent should be refused")
        }
        if case .failure = reader.area(record(2, ["AM", "Amparo", "country", ""]), layout: layout) {
            Issue.record("the country needs no parent")
        }
        if case .success = reader.area(record(2, ["05", "Antioquia", "state", "AM"]), layout: layout) {
            Issue.record("an unknown level should be refused")
        }
    }
}

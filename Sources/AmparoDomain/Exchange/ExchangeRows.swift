/// Where each expected column sits in a file whose columns come in any order.
public struct ColumnLayout: Sendable {
    public let file: String
    public let header: [String]
    private let positions: [String: Int]
    /// Columns the format does not know, kept as extra attributes, with their positions.
    public let extras: [(name: String, index: Int)]
    /// Where each questionnaire field of the file's rows sits, found once for the whole file
    /// rather than looked up by name in every row.
    var answerPositions: [Int?] = []

    /// Reads the header row. Fails when it is not a header of this file: a column that
    /// must be there is missing, a name repeats, or the row is empty.
    public init(file: String, header: [String], required: [String], known: [String]) throws(ExchangeFileError) {
        let names = header.map { $0.trimmingWhitespace().lowercased() }
        var positions: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard !name.isEmpty else {
                throw ExchangeFileError(file: file, line: 1, message: .headerColumnUnnamed(index + 1))
            }
            guard positions[name] == nil else {
                throw ExchangeFileError(file: file, line: 1, message: .headerColumnTwice(name))
            }
            positions[name] = index
        }
        let missing = required.filter { positions[$0] == nil }
        guard missing.isEmpty else {
            throw ExchangeFileError(file: file, line: 1, message: .headerLacks(columns: missing.joined(separator: ", "), file: file))
        }
        let knownSet = Set(known)
        self.file = file
        self.header = names
        self.positions = positions
        self.extras = names.enumerated().filter { !knownSet.contains($0.element) }.map { ($0.element, $0.offset) }
    }

    public func index(of column: String) -> Int? { positions[column] }
}

/// One row of areas.csv.
public struct AreaRow: Sendable, Hashable {
    public var line: Int
    public var code: String
    public var name: String
    public var level: AreaLevel
    public var parentCode: String?
}

/// One row of households.csv, validated.
public struct HouseholdRow: Sendable {
    public var line: Int
    public var ref: String
    public var areaCode: String
    /// Answers aligned with `Questionnaire.householdFields`; nil where not known.
    public var answers: [Answer?]
    /// Columns the format does not know, by name, as given.
    public var extras: [(name: String, value: String)]
}

/// One row of individuals.csv, validated.
public struct IndividualRow: Sendable {
    public var line: Int
    public var ref: String
    public var householdRef: String
    public var relationship: Relationship
    /// Answers aligned with `Questionnaire.individualFields`; nil where not known.
    public var answers: [Answer?]
    public var extras: [(name: String, value: String)]
}

/// Turns CSV records of the exchange format into validated rows, or into the problems that refuse them.
///
/// Checks each row on its own; what needs the other rows or the registry (duplicate refs,
/// unknown areas, a person whose household is missing) is for the import to check.
public struct ExchangeRowReader: Sendable {
    public let questionnaire: Questionnaire

    public init(questionnaire: Questionnaire = .standard) {
        self.questionnaire = questionnaire
    }

    public func areaLayout(header: [String]) throws(ExchangeFileError) -> ColumnLayout {
        try ColumnLayout(file: ExchangeFormat.areasFile, header: header,
                         required: ["area_code", "name", "level"], known: ExchangeFormat.areaColumns)
    }

    public func householdLayout(header: [String]) throws(ExchangeFileError) -> ColumnLayout {
        var layout = try ColumnLayout(file: ExchangeFormat.householdsFile, header: header,
                                      required: ExchangeFormat.householdKeyColumns,
                                      known: ExchangeFormat.householdColumns(questionnaire))
        layout.answerPositions = questionnaire.householdFields.map { layout.index(of: $0.name) }
        return layout
    }

    public func individualLayout(header: [String]) throws(ExchangeFileError) -> ColumnLayout {
        var layout = try ColumnLayout(file: ExchangeFormat.individualsFile, header: header,
                                      required: ["person_ref", "household_ref"],
                                      known: ExchangeFormat.individualColumns(questionnaire))
        layout.answerPositions = questionnaire.individualFields.map { layout.index(of: $0.name) }
        return layout
    }

    public func area(_ record: CSVParser.Record, layout: ColumnLayout) -> Result<AreaRow, RowRefusal> {
        if let refusal = RowCells.unreadable(record, layout: layout) { return .failure(refusal) }
        var cells = RowCells(record: record, layout: layout)
        let code = cells.key("area_code")
        let name = cells.required("name", maxLength: 200)
        let levelText = cells.required("level", maxLength: 20)
        let parent = cells.optional("parent_code")
        let level = AreaLevel(rawValue: levelText ?? "")
        if levelText != nil, level == nil {
            cells.refuse("level", levelText!, .notALevel)
        }
        if let code, let parent, code == parent { cells.refuse("parent_code", parent, .ownParent) }
        if level == .country, let parent { cells.refuse("parent_code", parent, .countryHasParent) }
        if let level, level != .country, parent == nil { cells.refuse("parent_code", "", .parentMissing) }
        guard cells.problems.isEmpty, let code, let name, let level else { return .failure(RowRefusal(problems: cells.problems)) }
        return .success(AreaRow(line: record.line, code: code, name: name, level: level, parentCode: parent))
    }

    public func household(_ record: CSVParser.Record, layout: ColumnLayout) -> Result<HouseholdRow, RowRefusal> {
        if let refusal = RowCells.unreadable(record, layout: layout) { return .failure(refusal) }
        var cells = RowCells(record: record, layout: layout)
        let ref = cells.key("household_ref")
        let area = cells.key("area_code")
        let answers = cells.answers(questionnaire.householdFields)
        let extras = cells.extras()
        guard cells.problems.isEmpty, let ref, let area else { return .failure(RowRefusal(problems: cells.problems)) }
        return .success(HouseholdRow(line: record.line, ref: ref, areaCode: area, answers: answers, extras: extras))
    }

    public func individual(_ record: CSVParser.Record, layout: ColumnLayout) -> Result<IndividualRow, RowRefusal> {
        if let refusal = RowCells.unreadable(record, layout: layout) { return .failure(refusal) }
        var cells = RowCells(record: record, layout: layout)
        let ref = cells.key("person_ref")
        let household = cells.key("household_ref")
        var relationship = Relationship.otherRelative
        if let text = cells.optional("relationship") {
            if let known = Relationship(rawValue: text) {
                relationship = known
            } else {
                cells.refuse("relationship", text,
                             .notARelationship(expected: Relationship.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        } else if layout.index(of: "relationship") != nil {
            cells.refuse("relationship", "", .required)
        }
        let answers = cells.answers(questionnaire.individualFields)
        let extras = cells.extras()
        guard cells.problems.isEmpty, let ref, let household else { return .failure(RowRefusal(problems: cells.problems)) }
        return .success(IndividualRow(line: record.line, ref: ref, householdRef: household,
                                      relationship: relationship, answers: answers, extras: extras))
    }
}

/// The problems that refuse one row: every one found, not just the first.
public struct RowRefusal: Error, Sendable {
    public var problems: [RowProblem]
}

/// The cells of one record, read by column name, gathering every problem rather than stopping at the first.
private struct RowCells {
    let record: CSVParser.Record
    let layout: ColumnLayout
    var problems: [RowProblem] = []

    init(record: CSVParser.Record, layout: ColumnLayout) {
        self.record = record
        self.layout = layout
        for index in record.undecodable {
            refuse(name(of: index), "", .notUTF8)
        }
        if record.fields.count != layout.header.count, record.malformation == nil {
            refuse("", "", .cellCount(found: record.fields.count, expected: layout.header.count))
        }
    }

    /// A record that is not well-formed CSV is refused for that alone: its cells cannot be trusted.
    static func unreadable(_ record: CSVParser.Record, layout: ColumnLayout) -> RowRefusal? {
        guard let (column, message) = record.malformation else { return nil }
        var cells = RowCells(record: record, layout: layout)
        cells.problems = []
        let value = column < record.fields.count ? record.fields[column] : ""
        cells.refuse(cells.name(of: column), value, message)
        return RowRefusal(problems: cells.problems)
    }

    func name(of index: Int) -> String {
        index < layout.header.count ? layout.header[index] : "column \(index + 1)"
    }

    mutating func refuse(_ column: String, _ value: String, _ message: ImportMessage) {
        problems.append(RowProblem(file: layout.file, line: record.line, column: column,
                                   value: RowProblem.shortened(value, limit: 200), message: message))
    }

    func cell(_ column: String) -> String? { cell(at: layout.index(of: column)) }

    func optional(_ column: String) -> String? {
        guard let value = cell(column), !value.isEmpty else { return nil }
        return value
    }

    /// A source key: required, at most 64 characters, no control characters.
    mutating func key(_ column: String) -> String? {
        guard let value = optional(column) else {
            refuse(column, "", .required)
            return nil
        }
        // Bytes first: counting characters walks grapheme clusters. Below 32, UTF-8 bytes
        // are only ever the control characters themselves.
        guard value.utf8.count <= 64 || value.count <= 64, !value.utf8.contains(where: { $0 < 32 }) else {
            refuse(column, value, .badKey)
            return nil
        }
        return value
    }

    mutating func required(_ column: String, maxLength: Int) -> String? {
        guard let value = optional(column) else {
            refuse(column, "", .required)
            return nil
        }
        guard value.count <= maxLength else {
            refuse(column, value, .longerThan(maxLength))
            return nil
        }
        return value
    }

    func cell(at index: Int?) -> String? {
        guard let index, index < record.fields.count else { return nil }
        return record.fields[index].trimmingWhitespace()
    }

    mutating func answers(_ fields: [Questionnaire.Field]) -> [Answer?] {
        let positions = layout.answerPositions.count == fields.count ? layout.answerPositions : fields.map { layout.index(of: $0.name) }
        let cells = record.fields
        var answers: [Answer?] = []
        answers.reserveCapacity(fields.count)
        // A plain loop: a closure here would copy the whole row for every cell it reads.
        for index in fields.indices {
            guard let position = positions[index], position < cells.count else {
                answers.append(nil)
                continue
            }
            let value = cells[position].trimmingWhitespace()
            switch fields[index].kind.answer(from: value) {
            case .success(let answer): answers.append(answer)
            case .failure(let refusal):
                refuse(fields[index].name, value, refusal.message)
                answers.append(nil)
            }
        }
        return answers
    }

    mutating func extras() -> [(name: String, value: String)] {
        layout.extras.compactMap { extra in
            guard extra.index < record.fields.count else { return nil }
            let value = record.fields[extra.index].trimmingWhitespace()
            guard !value.isEmpty else { return nil }
            if value.count > 1_000 {
                refuse(extra.name, value, .extraTooLong)
                return nil
            }
            return (extra.name, value)
        }
    }
}

extension String {
    /// The text without spaces, tabs or newlines at either end.
    public func trimmingWhitespace() -> String {
        // Most cells have nothing to trim; look at the bytes before walking characters.
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte >= 0x80 }
        guard let head = utf8.first, let tail = utf8.last, isSpace(head) || isSpace(tail) else { return self }
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}

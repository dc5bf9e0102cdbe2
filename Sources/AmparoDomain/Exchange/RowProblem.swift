/// Why one row of an exchange file was refused: the file, line, column and value, and the reason in words.
///
/// Example: `households.csv:14 sleeping_rooms "-2": must be at least 0`.
public struct RowProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// The column's name from the header; empty when the problem concerns the whole row or file.
    public var column: String
    public var value: String
    public var message: ImportMessage
    /// The reason in English.
    public var reason: String { message.english }

    public init(file: String, line: Int, column: String, value: String, message: ImportMessage) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.message = message
    }

    public var description: String { description(in: .en) }

    /// `file:line column "value": reason`, the reason in `language`.
    public func description(in language: Language) -> String {
        var text = "\(file):\(line)"
        if !column.isEmpty { text += " \(column)" }
        if !value.isEmpty { text += " \"\(RowProblem.shortened(value))\"" }
        return text + ": \(message.text(in: language))"
    }

    /// Values in messages are cut short: a 10 MB cell must not become a 10 MB error line.
    public static func shortened(_ value: String, limit: Int = 60) -> String {
        value.count <= limit ? value : String(value.prefix(limit)) + "…"
    }
}

/// A problem with a whole file that stops its import: no header, a missing column, not CSV.
public struct ExchangeFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// What is wrong, in words of each language, where the import says it; `reason` otherwise.
    public var message: ImportMessage?
    public var reason: String

    public init(file: String, line: Int, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    public init(file: String, line: Int, message: ImportMessage) {
        self.init(file: file, line: line, reason: message.english)
        self.message = message
    }

    public var description: String { description(in: .en) }

    public func description(in language: Language) -> String {
        "\(file):\(line): \(message?.text(in: language) ?? reason)"
    }
}

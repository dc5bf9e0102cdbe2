import Foundation
import SQLKit
import AmparoDomain

/// Reads questionnaire answers out of SQL rows, the same way on both databases.
struct AnswerColumns: Sendable {
    let fields: [Questionnaire.Field]
    let alias: String

    /// The select list: money is read as text, so neither driver rounds it through a float.
    var selectList: String {
        fields.map { field in
            field.kind == .money
                ? "CAST(\(alias).\(field.name) AS TEXT) AS \(field.name)"
                : "\(alias).\(field.name) AS \(field.name)"
        }.joined(separator: ", ")
    }

    func sheet(from row: any SQLRow) throws -> AnswerSheet {
        let values: [Answer?] = try fields.map { field in
            switch field.kind {
            case .integer, .flag:
                return try row.decode(column: field.name, as: Int64?.self).map(Answer.integer)
            case .latitude, .longitude:
                return try row.decode(column: field.name, as: Double?.self).map(Answer.real)
            case .money:
                guard let text = try row.decode(column: field.name, as: String?.self) else { return nil }
                guard case .success(let answer) = field.kind.answer(from: text) else {
                    throw StorageError.inconsistent("stored amount \(text) in \(field.name) is not an amount")
                }
                return answer
            case .date:
                return try row.decode(column: field.name, as: String?.self).flatMap(CalendarDate.init(iso:)).map(Answer.date)
            case .code, .openCode, .text, .phone, .email:
                return try row.decode(column: field.name, as: String?.self).map(Answer.text)
            }
        }
        return AnswerSheet(fields: fields, values: values)
    }

    static func extra(from row: any SQLRow) throws -> [String: String] {
        guard let text = try row.decode(column: "extra", as: String?.self), let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}

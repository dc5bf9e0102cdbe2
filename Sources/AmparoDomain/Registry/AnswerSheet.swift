/// A household's or a person's answers to the questionnaire, by field.
///
/// Encodes as a JSON object with every field of the questionnaire, `null` where not known:
/// integers and flags as numbers, coordinates as numbers, money as a decimal string (so
/// no client rounds it), codes, text and dates as strings.
public struct AnswerSheet: Sendable, Encodable, Equatable {
    public let fields: [Questionnaire.Field]
    public var values: [Answer?]

    public init(fields: [Questionnaire.Field], values: [Answer?]) {
        precondition(fields.count == values.count)
        self.fields = fields
        self.values = values
    }

    public subscript(name: String) -> Answer? {
        guard let index = fields.firstIndex(where: { $0.name == name }) else { return nil }
        return values[index]
    }

    /// The answer as text, for codes and free text.
    public func text(_ name: String) -> String? {
        guard case .text(let text)? = self[name] else { return nil }
        return text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for (field, value) in zip(fields, values) {
            let key = FieldKey(field.name)
            switch value {
            case nil: try container.encodeNil(forKey: key)
            case .text(let text)?: try container.encode(text, forKey: key)
            case .integer(let number)?: try container.encode(number, forKey: key)
            case .money?: try container.encode(value!.exchangeText, forKey: key)
            case .real(let number)?: try container.encode(number, forKey: key)
            case .date(let date)?: try container.encode(date.description, forKey: key)
            }
        }
    }

    struct FieldKey: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

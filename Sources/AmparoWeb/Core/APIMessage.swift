import Hummingbird
import HTTPTypes

/// The languages Amparo speaks to people: Spanish, Portuguese and English.
public enum Language: String, Sendable, CaseIterable {
    case es, pt, en

    /// Picks the language of an `Accept-Language` header, by quality, falling back to English,
    /// the common language of the partner systems that call the API.
    public static func negotiate(_ header: String?) -> Language {
        guard let header else { return .en }
        let ranked = header.split(separator: ",").enumerated().compactMap { position, part -> (Language, Double, Int)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first,
                  let language = Language(rawValue: String(tag.prefix(2)).lowercased()) else { return nil }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0 ? (language, quality, position) : nil
        }
        return ranked.sorted { ($0.1, -$0.2) > ($1.1, -$1.2) }.first?.0 ?? .en
    }
}

/// Every text the API says to a person, in each language.
enum APIMessage: Sendable {
    case unknownArea(String)
    case notAPersonID(String)
    case noPerson(String)
    case searchNeedsCriteria
    case nameTooShort
    case notAHouseholdKey(String)
    case noHousehold(String)
    case tooLong(String)
    case badLimit(max: Int, given: String)
    case badCursor(String)
    case areaForbidden
    case nothingAt(String)
    case internalError

    func text(in language: Language) -> String {
        switch (self, language) {
        case (.unknownArea(let code), .en): "There is no area with the code \(code)."
        case (.unknownArea(let code), .es): "No hay ningún área con el código \(code)."
        case (.unknownArea(let code), .pt): "Não há nenhuma área com o código \(code)."
        case (.notAPersonID(let text), .en): "\(text) is not a person's id (a UUID)."
        case (.notAPersonID(let text), .es): "\(text) no es el identificador de una persona (un UUID)."
        case (.notAPersonID(let text), .pt): "\(text) não é o identificador de uma pessoa (um UUID)."
        case (.noPerson(let id), .en): "There is no person with the id \(id)."
        case (.noPerson(let id), .es): "No hay ninguna persona con el identificador \(id)."
        case (.noPerson(let id), .pt): "Não há nenhuma pessoa com o identificador \(id)."
        case (.searchNeedsCriteria, .en): "Search people by document (with document_type if known) or by name."
        case (.searchNeedsCriteria, .es): "Busque personas por documento (con document_type si se conoce) o por nombre."
        case (.searchNeedsCriteria, .pt): "Pesquise pessoas por documento (com document_type, se conhecido) ou por nome."
        case (.nameTooShort, .en): "A name to search must have at least two letters."
        case (.nameTooShort, .es): "El nombre a buscar debe tener al menos dos letras."
        case (.nameTooShort, .pt): "O nome a pesquisar deve ter pelo menos duas letras."
        case (.notAHouseholdKey(let text), .en):
            "\(text) is neither a household id (a UUID) nor a registry number such as H-0000-1234-0."
        case (.notAHouseholdKey(let text), .es):
            "\(text) no es ni el identificador de un hogar (un UUID) ni un número de registro como H-0000-1234-0."
        case (.notAHouseholdKey(let text), .pt):
            "\(text) não é nem o identificador de um domicílio (um UUID) nem um número de registro como H-0000-1234-0."
        case (.noHousehold(let text), .en): "There is no household \(text)."
        case (.noHousehold(let text), .es): "No hay ningún hogar \(text)."
        case (.noHousehold(let text), .pt): "Não há nenhum domicílio \(text)."
        case (.tooLong(let name), .en): "\(name) is longer than 200 characters."
        case (.tooLong(let name), .es): "\(name) tiene más de 200 caracteres."
        case (.tooLong(let name), .pt): "\(name) tem mais de 200 caracteres."
        case (.badLimit(let max, let given), .en): "limit must be a whole number from 1 to \(max); it was \(given)."
        case (.badLimit(let max, let given), .es): "limit debe ser un número entero de 1 a \(max); era \(given)."
        case (.badLimit(let max, let given), .pt): "limit deve ser um número inteiro de 1 a \(max); era \(given)."
        case (.badCursor(let text), .en): "after must be the next_cursor of a previous page; \(text) is not."
        case (.badCursor(let text), .es): "after debe ser el next_cursor de una página anterior; \(text) no lo es."
        case (.badCursor(let text), .pt): "after deve ser o next_cursor de uma página anterior; \(text) não é."
        case (.areaForbidden, .en): "This area is outside the areas you may see."
        case (.areaForbidden, .es): "Esta área está fuera de las áreas que usted puede ver."
        case (.areaForbidden, .pt): "Esta área está fora das áreas que você pode ver."
        case (.nothingAt(let path), .en): "There is nothing at \(path)."
        case (.nothingAt(let path), .es): "No hay nada en \(path)."
        case (.nothingAt(let path), .pt): "Não há nada em \(path)."
        case (.internalError, .en): "The request could not be completed; it has been logged."
        case (.internalError, .es): "No se pudo completar la solicitud; quedó registrada."
        case (.internalError, .pt): "Não foi possível concluir a solicitação; ela foi registrada."
        }
    }

    /// The title of a problem of this status.
    static func title(_ status: HTTPResponse.Status, in language: Language) -> String {
        switch (status.code, language) {
        case (400, .es): "Solicitud incorrecta"
        case (400, .pt): "Solicitação inválida"
        case (403, .es): "Prohibido"
        case (403, .pt): "Proibido"
        case (404, .es): "No encontrado"
        case (404, .pt): "Não encontrado"
        case (500, .es): "Error interno del servidor"
        case (500, .pt): "Erro interno do servidor"
        default: status.reasonPhrase
        }
    }
}

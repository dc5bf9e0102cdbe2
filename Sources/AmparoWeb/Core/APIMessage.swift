import AmparoDomain
import Hummingbird
import HTTPTypes

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
    case signInNeeded
    case notPermitted
    case nothingHere
    case jsonExpected
    case badClientCredentials
    case unsupportedGrant
    case formExpired
    case nothingAt(String)
    case internalError
    case notAWeighting(String)
    case notALevel(String)
    case notAnAmount(String)
    case notARecipient(String)
    case notAClass(String, known: [String])
    case policyRequired
    case notADate(String)
    case noPolicy(String)
    case notARunNumber(String)
    case noRun(String)
    case noDedupRun(String)
    case notADecision(String)
    case noPair
    case alreadyMerged
    case notAMergeNumber(String)
    case noMerge(String)
    case mayBeRegistered(name: String, household: String)

    func text(in language: Language) -> String {
        let texts = translations
        switch language {
        case .en: return texts.en
        case .es: return texts.es
        case .pt: return texts.pt
        }
    }

    /// The message in each language, side by side so that none can be forgotten.
    private var translations: (en: String, es: String, pt: String) {
        switch self {
        case .unknownArea(let code):
            ("There is no area with the code \(code).",
             "No hay ningún área con el código \(code).",
             "Não há nenhuma área com o código \(code).")
        case .notAPersonID(let text):
            ("\(text) is not a person's id (a UUID).",
             "\(text) no es el identificador de una persona (un UUID).",
             "\(text) não é o identificador de uma pessoa (um UUID).")
        case .noPerson(let id):
            ("There is no person with the id \(id).",
             "No hay ninguna persona con el identificador \(id).",
             "Não há nenhuma pessoa com o identificador \(id).")
        case .searchNeedsCriteria:
            ("Search people by document (with document_type if known) or by name.",
             "Busque personas por documento (con document_type si se conoce) o por nombre.",
             "Pesquise pessoas por documento (com document_type, se conhecido) ou por nome.")
        case .nameTooShort:
            ("A name to search must have at least two letters.",
             "El nombre a buscar debe tener al menos dos letras.",
             "O nome a pesquisar deve ter pelo menos duas letras.")
        case .notAHouseholdKey(let text):
            ("\(text) is neither a household id (a UUID) nor a registry number such as H-0000-1234-0.",
             "\(text) no es ni el identificador de un hogar (un UUID) ni un número de registro como H-0000-1234-0.",
             "\(text) não é nem o identificador de um domicílio (um UUID) nem um número de registro como H-0000-1234-0.")
        case .noHousehold(let text):
            ("There is no household \(text).",
             "No hay ningún hogar \(text).",
             "Não há nenhum domicílio \(text).")
        case .tooLong(let name):
            ("\(name) is longer than 200 characters.",
             "\(name) tiene más de 200 caracteres.",
             "\(name) tem mais de 200 caracteres.")
        case .badLimit(let max, let given):
            ("limit must be a whole number from 1 to \(max); it was \(given).",
             "limit debe ser un número entero de 1 a \(max); era \(given).",
             "limit deve ser um número inteiro de 1 a \(max); era \(given).")
        case .badCursor(let text):
            ("after must be the next_cursor of a previous page; \(text) is not.",
             "after debe ser el next_cursor de una página anterior; \(text) no lo es.",
             "after deve ser o next_cursor de uma página anterior; \(text) não é.")
        case .formExpired:
            ("This form has expired or did not come from this site. Go back, reload the page and send it again.",
             "Este formulario venció o no vino de este sitio. Vuelva atrás, recargue la página y envíelo de nuevo.",
             "Este formulário venceu ou não veio deste site. Volte, recarregue a página e envie de novo.")
        case .signInNeeded:
            ("Sign in first: a staff session, or a bearer token from POST /oauth/token.",
             "Primero inicie sesión: una sesión de funcionario, o un token bearer de POST /oauth/token.",
             "Entre primeiro: uma sessão de servidor, ou um token bearer de POST /oauth/token.")
        case .notPermitted:
            ("Your roles do not allow this.",
             "Sus roles no permiten esto.",
             "Seus papéis não permitem isto.")
        case .nothingHere:
            ("There is nothing here that you may see.",
             "Aquí no hay nada que usted pueda ver.",
             "Aqui não há nada que você possa ver.")
        case .jsonExpected:
            ("This route takes a JSON body: send Content-Type: application/json.",
             "Esta ruta recibe un cuerpo JSON: envíe Content-Type: application/json.",
             "Esta rota recebe um corpo JSON: envie Content-Type: application/json.")
        case .badClientCredentials:
            ("The client's id or secret is wrong, or the client is disabled.",
             "El id o el secreto del cliente no son correctos, o el cliente está deshabilitado.",
             "O id ou o segredo do cliente não estão corretos, ou o cliente está desabilitado.")
        case .unsupportedGrant:
            ("grant_type must be client_credentials.",
             "grant_type debe ser client_credentials.",
             "grant_type deve ser client_credentials.")
        case .notAWeighting(let text):
            ("weighting must be households or persons; it was \(text).",
             "weighting debe ser households o persons; era \(text).",
             "weighting deve ser households ou persons; era \(text).")
        case .notALevel(let text):
            ("\(text) is not a level of area this run has figures for (region, province, municipality, locality).",
             "\(text) no es un nivel de área del que esta corrida tenga cifras (region, province, municipality, locality).",
             "\(text) não é um nível de área do qual esta execução tenha números (region, province, municipality, locality).")
        case .notAnAmount(let text):
            ("benefit must be an amount above 0 with at most two decimals, such as 150000 or 82.50; it was \(text).",
             "benefit debe ser un monto mayor que 0 con dos decimales como máximo, como 150000 u 82.50; era \(text).",
             "benefit deve ser um valor acima de 0 com no máximo duas casas decimais, como 150000 ou 82.50; era \(text).")
        case .notARecipient(let text):
            ("per must be household or person; it was \(text).", "per debe ser household o person; era \(text).",
             "per deve ser household ou person; era \(text).")
        case .notAClass(let id, let known):
            ("\(id) is not a class of the run's policy; its classes are \(known.joined(separator: ", ")).",
             "\(id) no es una clase de la política de la corrida; sus clases son \(known.joined(separator: ", ")).",
             "\(id) não é uma classe da política da execução; suas classes são \(known.joined(separator: ", ")).")
        case .policyRequired:
            ("Name the policy to assess under, e.g. policy=colombia-mpi.",
             "Indique la política con la que evaluar, por ejemplo policy=colombia-mpi.",
             "Indique a política com a qual avaliar, por exemplo policy=colombia-mpi.")
        case .notADate(let text):
            ("\(text) is not a date in the form YYYY-MM-DD.",
             "\(text) no es una fecha de la forma AAAA-MM-DD.",
             "\(text) não é uma data na forma AAAA-MM-DD.")
        case .noPolicy(let reference):
            ("There is no published policy \(reference).",
             "No hay ninguna política publicada \(reference).",
             "Não há nenhuma política publicada \(reference).")
        case .notARunNumber(let text):
            ("\(text) is not the number of a targeting run.",
             "\(text) no es el número de una corrida de focalización.",
             "\(text) não é o número de uma rodada de focalização.")
        case .noRun(let text):
            ("There is no targeting run \(text).",
             "No hay ninguna corrida de focalización \(text).",
             "Não há nenhuma rodada de focalização \(text).")
        case .noDedupRun(let text):
            ("There is no deduplication run \(text).",
             "No hay ninguna corrida de deduplicación \(text).",
             "Não há nenhuma rodada de deduplicação \(text).")
        case .notADecision(let text):
            ("\"\(text)\" is not a decision; it is same, different or skip.",
             "\"\(text)\" no es una decisión; es same (la misma persona), different (distintas) o skip (omitir).",
             "\"\(text)\" não é uma decisão; é same (a mesma pessoa), different (diferentes) ou skip (pular).")
        case .noPair:
            ("That pair of persons is not in this run.",
             "Ese par de personas no está en esta corrida.",
             "Esse par de pessoas não está nesta rodada.")
        case .alreadyMerged:
            ("This person is already merged into another record; undo that merge first.",
             "Esta persona ya está fusionada con otro registro; deshaga primero esa fusión.",
             "Esta pessoa já está mesclada com outro registro; desfaça essa mesclagem primeiro.")
        case .notAMergeNumber(let text):
            ("\(text) is not the number of a merge.",
             "\(text) no es el número de una fusión.",
             "\(text) não é o número de uma mesclagem.")
        case .noMerge(let text):
            ("There is no merge \(text) in force.",
             "No hay ninguna fusión \(text) vigente.",
             "Não há nenhuma mesclagem \(text) em vigor.")
        case .mayBeRegistered(let name, let household):
            ("This person may already be registered as \(name) in household \(household).",
             "Esta persona puede estar ya registrada como \(name) en el hogar \(household).",
             "Esta pessoa pode já estar registrada como \(name) no domicílio \(household).")
        case .nothingAt(let path):
            ("There is nothing at \(path).",
             "No hay nada en \(path).",
             "Não há nada em \(path).")
        case .internalError:
            ("The request could not be completed; it has been logged.",
             "No se pudo completar la solicitud; quedó registrada.",
             "Não foi possível concluir a solicitação; ela foi registrada.")
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
        case (409, .es): "Conflicto"
        case (409, .pt): "Conflito"
        default: status.reasonPhrase
        }
    }
}

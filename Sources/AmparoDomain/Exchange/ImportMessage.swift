/// Why a cell, a row or a whole file of the exchange format was refused, said in each
/// language Amparo speaks: the officer who runs an import reads the report in theirs.
///
/// The English text is also what `reason` fields hold, for logs and partner systems.
public enum ImportMessage: Sendable, Hashable {
    // A cell against its question.
    case required
    case notACode(expected: String)
    case badOpenCode
    case notAWholeNumber
    case atLeast(Int64)
    case atMost(Int64)
    case notAFlag
    case notADate
    case yearOutOfRange
    case notAnAmount
    case negativeAmount
    case longerThan(Int)
    case controlCharacters
    case notAPhone
    case notAnEmail
    case notADecimal
    case outsideBounds(Int)
    case badKey
    case notALevel
    case notARelationship(expected: String)
    case extraTooLong
    // A row on its own.
    case notUTF8
    case cellCount(found: Int, expected: Int)
    case cellTooLong(bytes: Int)
    case quoteNotFollowed
    case tooManyCells(Int)
    // A row against the others and the registry.
    case ownParent
    case countryHasParent
    case parentMissing
    case codeUsedOnLine(Int)
    case refUsedOnLine(Int)
    case parentNotAbove(parent: String, parentLevel: String, level: String)
    case parentUnknown(String)
    case areaUnknown
    case householdUnknown
    // A whole file.
    case unclosedQuote
    case emptyFile
    case headerNotUTF8
    case headerColumnUnnamed(Int)
    case headerColumnTwice(String)
    case headerLacks(columns: String, file: String)

    public var english: String { text(in: .en) }

    public func text(in language: Language) -> String {
        switch self {
        case .required:
            pick(language, "es obligatorio", "é obrigatório", "is required")
        case .notACode(let expected):
            pick(language, "no es un código conocido; se espera uno de \(expected)",
                 "não é um código conhecido; espera-se um de \(expected)",
                 "is not a known code; expected one of \(expected)")
        case .badOpenCode:
            pick(language, "un código lleva letras minúsculas, cifras, '_' o '-', 40 como máximo",
                 "um código leva letras minúsculas, algarismos, '_' ou '-', no máximo 40",
                 "a code must be lower-case letters, digits, '_' or '-', at most 40")
        case .notAWholeNumber:
            pick(language, "no es un número entero", "não é um número inteiro", "is not a whole number")
        case .atLeast(let bound):
            pick(language, "debe ser al menos \(bound)", "deve ser pelo menos \(bound)", "must be at least \(bound)")
        case .atMost(let bound):
            pick(language, "debe ser como máximo \(bound)", "deve ser no máximo \(bound)", "must be at most \(bound)")
        case .notAFlag:
            pick(language, "debe ser 0 o 1", "deve ser 0 ou 1", "must be 0 or 1")
        case .notADate:
            pick(language, "no es una fecha que exista, en la forma AAAA-MM-DD",
                 "não é uma data que exista, na forma AAAA-MM-DD",
                 "is not a date that exists in the form YYYY-MM-DD")
        case .yearOutOfRange:
            pick(language, "el año está fuera de rango", "o ano está fora do intervalo", "the year is out of range")
        case .notAnAmount:
            pick(language, "debe ser un monto como 1250000 o 1250000.50, con dos decimales como máximo",
                 "deve ser um valor como 1250000 ou 1250000.50, com no máximo duas casas decimais",
                 "must be an amount such as 1250000 or 1250000.50, at most two decimals")
        case .negativeAmount:
            pick(language, "no debe ser negativo", "não deve ser negativo", "must not be negative")
        case .longerThan(let length):
            pick(language, "tiene más de \(length) caracteres", "tem mais de \(length) caracteres",
                 "is longer than \(length) characters")
        case .controlCharacters:
            pick(language, "contiene caracteres de control", "contém caracteres de controle", "contains control characters")
        case .notAPhone:
            pick(language, "debe ser un teléfono de 6 a 15 cifras, E.164 (+573001234567) si se conoce",
                 "deve ser um telefone de 6 a 15 algarismos, E.164 (+5561998765432) se conhecido",
                 "must be a telephone number of 6 to 15 digits, E.164 (+573001234567) where known")
        case .notAnEmail:
            pick(language, "no es una dirección de correo electrónico", "não é um endereço de e-mail",
                 "is not an e-mail address")
        case .notADecimal:
            pick(language, "no es un número decimal", "não é um número decimal", "is not a decimal number")
        case .outsideBounds(let bound):
            pick(language, "debe estar entre -\(bound) y \(bound)", "deve estar entre -\(bound) e \(bound)",
                 "must be between -\(bound) and \(bound)")
        case .badKey:
            pick(language, "una clave tiene 64 caracteres como máximo, sin caracteres de control",
                 "uma chave tem no máximo 64 caracteres, sem caracteres de controle",
                 "a key must be at most 64 characters, without control characters")
        case .notALevel:
            pick(language, "no es un nivel; se espera country, region, province, municipality o locality",
                 "não é um nível; espera-se country, region, province, municipality ou locality",
                 "is not a level; expected one of country, region, province, municipality, locality")
        case .notARelationship(let expected):
            pick(language, "no es un parentesco; se espera uno de \(expected)",
                 "não é um parentesco; espera-se um de \(expected)",
                 "is not a relationship; expected one of \(expected)")
        case .extraTooLong:
            pick(language, "un atributo adicional tiene más de 1000 caracteres",
                 "um atributo adicional tem mais de 1000 caracteres",
                 "an extra attribute is longer than 1000 characters")
        case .notUTF8:
            pick(language, "no es UTF-8 válido; guarde el archivo como UTF-8 (puede estar en Latin-1 o Windows-1252)",
                 "não é UTF-8 válido; salve o arquivo como UTF-8 (pode estar em Latin-1 ou Windows-1252)",
                 "is not valid UTF-8; save the file as UTF-8 (it may be Latin-1 or Windows-1252)")
        case .cellCount(let found, let expected):
            pick(language, "tiene \(found) celdas donde el encabezado tiene \(expected)",
                 "tem \(found) células onde o cabeçalho tem \(expected)",
                 "has \(found) cells where the header has \(expected)")
        case .cellTooLong(let bytes):
            pick(language, "la celda tiene más de \(bytes) bytes", "a célula tem mais de \(bytes) bytes",
                 "the cell is longer than \(bytes) bytes")
        case .quoteNotFollowed:
            pick(language, "tras una comilla de cierre debe venir una coma o el fin de la línea",
                 "depois de uma aspa de fechamento deve vir uma vírgula ou o fim da linha",
                 "a closing quote must be followed by a comma or the end of the line")
        case .tooManyCells(let cells):
            pick(language, "el registro tiene más de \(cells) celdas", "o registro tem mais de \(cells) células",
                 "the record has more than \(cells) cells")
        case .ownParent:
            pick(language, "un área no puede ser su propio padre", "uma área não pode ser sua própria mãe",
                 "an area cannot be its own parent")
        case .countryHasParent:
            pick(language, "el país no tiene padre", "o país não tem área mãe", "the country has no parent")
        case .parentMissing:
            pick(language, "solo el país puede no tener padre", "só o país pode não ter área mãe",
                 "only the country may have no parent")
        case .codeUsedOnLine(let line):
            pick(language, "el código ya se usa en la línea \(line)", "o código já é usado na linha \(line)",
                 "the code is already used on line \(line)")
        case .refUsedOnLine(let line):
            pick(language, "la referencia ya se usa en la línea \(line)", "a referência já é usada na linha \(line)",
                 "the ref is already used on line \(line)")
        case .parentNotAbove(let parent, let parentLevel, let level):
            pick(language, "el área padre \(parent) es un(a) \(parentLevel), no está por encima de un(a) \(level)",
                 "a área mãe \(parent) é um(a) \(parentLevel), não está acima de um(a) \(level)",
                 "the parent area \(parent) is a \(parentLevel), not above a \(level)")
        case .parentUnknown(let parent):
            pick(language, "el área padre \(parent) no está en el registro ni fue aceptada de este archivo",
                 "a área mãe \(parent) não está no registro nem foi aceita deste arquivo",
                 "the parent area \(parent) is neither in the registry nor accepted from this file")
        case .areaUnknown:
            pick(language, "el área no está en el registro ni fue aceptada de areas.csv",
                 "a área não está no registro nem foi aceita de areas.csv",
                 "the area is neither in the registry nor accepted from areas.csv")
        case .householdUnknown:
            pick(language, "ningún hogar con esta referencia está en el registro ni fue aceptado de households.csv",
                 "nenhum domicílio com esta referência está no registro nem foi aceito de households.csv",
                 "no household with this ref is in the registry or accepted from households.csv")
        case .unclosedQuote:
            pick(language, "una celda entre comillas abierta en esta línea nunca se cierra",
                 "uma célula entre aspas aberta nesta linha nunca é fechada",
                 "a quoted cell opened on this line is never closed")
        case .emptyFile:
            pick(language, "el archivo está vacío; necesita al menos una fila de encabezado",
                 "o arquivo está vazio; precisa de pelo menos uma linha de cabeçalho",
                 "the file is empty; it needs at least a header row")
        case .headerNotUTF8:
            pick(language, "el encabezado no es UTF-8 válido; guarde el archivo como UTF-8",
                 "o cabeçalho não é UTF-8 válido; salve o arquivo como UTF-8",
                 "the header is not valid UTF-8; save the file as UTF-8")
        case .headerColumnUnnamed(let column):
            pick(language, "la columna \(column) del encabezado no tiene nombre",
                 "a coluna \(column) do cabeçalho não tem nome",
                 "column \(column) of the header has no name")
        case .headerColumnTwice(let name):
            pick(language, "la columna \(name) aparece dos veces en el encabezado",
                 "a coluna \(name) aparece duas vezes no cabeçalho",
                 "the column \(name) appears twice in the header")
        case .headerLacks(let columns, let file):
            pick(language, "al encabezado le falta(n) la(s) columna(s) \(columns); ¿es este \(file) en el formato de intercambio?",
                 "falta(m) no cabeçalho a(s) coluna(s) \(columns); este é o \(file) no formato de intercâmbio?",
                 "the header lacks the column(s) \(columns); is this \(file) in the exchange format?")
        }
    }

    private func pick(_ language: Language, _ es: String, _ pt: String, _ en: String) -> String {
        LocalizedText(es: es, pt: pt, en: en)[language]
    }
}

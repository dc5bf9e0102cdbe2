import Foundation
import AmparoDomain
import Hummingbird
import HummingbirdTesting
import Testing
import AmparoTestSupport
@testable import AmparoWeb

@Suite("Problems in the requester's language")
struct LanguageTests {
    @Test func negotiation() {
        #expect(Language.negotiate(nil) == .en)
        #expect(Language.negotiate("es-CO,es;q=0.9,en;q=0.8") == .es)
        #expect(Language.negotiate("pt-BR") == .pt)
        #expect(Language.negotiate("fr-FR, pt;q=0.5, es;q=0.7") == .es)
        #expect(Language.negotiate("de, *;q=0.1") == .en)
        #expect(Language.negotiate("es;q=0, pt;q=0.2") == .pt)
    }

    @Test func everyMessageExistsInEveryLanguage() {
        let messages: [APIMessage] = [
            .unknownArea("X"), .notAPersonID("X"), .noPerson("X"), .searchNeedsCriteria, .nameTooShort,
            .notAHouseholdKey("X"), .noHousehold("X"), .tooLong("X"), .badLimit(max: 5, given: "X"), .badCursor("X"),
            .signInNeeded, .notPermitted, .nothingHere, .jsonExpected, .badClientCredentials, .unsupportedGrant,
            .nothingAt("X"), .internalError,
        ]
        for message in messages {
            let texts = Language.allCases.map { message.text(in: $0) }
            #expect(Set(texts).count == 3, "\(message) repeats a text across languages")
        }
    }

    @Test("a bad request answered in Spanish, Portuguese and English", arguments: [TestDatabaseKind.sqlite])
    func problemInLanguage(kind: TestDatabaseKind) async throws {
        try await withApp(kind) { client in
            let expected: [(String, String, String)] = [
                ("es-CO,es;q=0.9", "es", "No hay ningún área con el código ZZ."),
                ("pt-BR", "pt", "Não há nenhuma área com o código ZZ."),
                ("en", "en", "There is no area with the code ZZ."),
            ]
            for (header, language, detail) in expected {
                try await client.execute(uri: "/api/v1/households?area=ZZ", method: .get, headers: [.acceptLanguage: header]) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.headers[.contentLanguage] == language)
                    #expect(json(response.body)["detail"] as? String == detail)
                }
            }
        }
    }
}

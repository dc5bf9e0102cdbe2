import Testing
import AmparoDomain

@Suite("Import messages in three languages")
struct ImportMessageTests {
    /// One of each message; a case added to `ImportMessage` belongs here too.
    static let samples: [ImportMessage] = [
        .required, .notACode(expected: "urban, rural"), .badOpenCode, .notAWholeNumber, .atLeast(0), .atMost(99),
        .notAFlag, .notADate, .yearOutOfRange, .notAnAmount, .negativeAmount, .longerThan(200), .controlCharacters,
        .notAPhone, .notAnEmail, .notADecimal, .outsideBounds(90), .badKey, .notALevel,
        .notARelationship(expected: "head, spouse"), .extraTooLong, .notUTF8, .cellCount(found: 3, expected: 2),
        .cellTooLong(bytes: 65_536), .quoteNotFollowed, .tooManyCells(2_048), .ownParent, .countryHasParent,
        .parentMissing, .codeUsedOnLine(7), .refUsedOnLine(12), .parentNotAbove(parent: "05", parentLevel: "locality", level: "region"),
        .parentUnknown("05"), .areaUnknown, .householdUnknown, .unclosedQuote, .emptyFile, .headerNotUTF8,
        .headerColumnUnnamed(4), .headerColumnTwice("zone"), .headerLacks(columns: "household_ref", file: "households.csv"),
    ]

    @Test("each message is said in Spanish and in Portuguese, not left in English, with its numbers and names")
    func everyMessageIsTranslated() {
        #expect(Set(Self.samples).count == Self.samples.count)
        for message in Self.samples {
            let english = message.text(in: .en)
            for language in [Language.es, .pt] {
                let text = message.text(in: language)
                #expect(!text.isEmpty && text != english, "\(message) in \(language)")
                // Whatever the English names in figures or codes, the translation names too.
                let tokens = english.split(whereSeparator: { !$0.isNumber && !$0.isLetter && $0 != "_" && $0 != "." })
                    .filter { $0.contains(where: \.isNumber) || $0.contains("_") || $0.hasSuffix(".csv") }
                // (The telephone example alone is local: a Brazilian number in Portuguese.)
                for token in tokens where message != .notAPhone {
                    #expect(text.contains(token), "\(message) in \(language) lacks \(token)")
                }
            }
        }
    }

    @Test("a refused row reads in the language asked for; its reason field stays English")
    func rowProblemInEachLanguage() {
        let problem = RowProblem(file: "households.csv", line: 3, column: "sleeping_rooms", value: "-1", message: .atLeast(0))
        #expect(problem.description(in: .es) == "households.csv:3 sleeping_rooms \"-1\": debe ser al menos 0")
        #expect(problem.description(in: .pt) == "households.csv:3 sleeping_rooms \"-1\": deve ser pelo menos 0")
        #expect(problem.reason == "must be at least 0")
        #expect(problem.description == problem.description(in: .en))
    }
}

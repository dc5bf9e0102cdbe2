import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import AmparoDomain
import AmparoStorage
import AmparoTestSupport
@testable import AmparoWeb

/// The body as text.
func text(_ buffer: ByteBuffer) -> String {
    String(buffer: buffer)
}

/// Registers persons twice and runs deduplication with everything from 0.5 up sent to review.
func reviewQueue(_ database: RegistryDatabase, copies: Int = 8) async throws -> Int64 {
    _ = try await DemoLoader(database: database).load(DemoRegistry(households: 50, seed: 5))
    _ = try await registerTwice(database, count: copies)
    var job = DeduplicationRun(database: database)
    job.randomPairs = 20_000
    job.linkThreshold = 0.999_999_999
    job.reviewThreshold = 0.5
    return try await job.start(actor: "tester")
}

@Suite("The back office's pages, in process")
struct BackOfficeTests {
    @Test("every word a template asks for exists in the catalogue, in the three languages")
    func everyWordTranslated() throws {
        #expect(PageTemplates.sources.count >= 5)
        let pattern = try Regex(#"\{\{[#^/]?t\.([a-z_]+)\}\}"#)
        var keys = Set<String>()
        for (_, source) in PageTemplates.sources {
            for match in source.matches(of: pattern) { keys.insert(String(match.output[1].substring ?? "")) }
        }
        #expect(keys.count > 30)
        for key in keys.sorted() {
            let entry = PageText.catalogue[key]
            #expect(entry != nil, "no words for t.\(key)")
            if let entry { #expect(!entry.es.isEmpty && !entry.pt.isEmpty && !entry.en.isEmpty, "t.\(key) lacks a language") }
        }
    }

    @Test("the review queue: both records side by side, a merge, its undo, a skip, and bad forms refused",
          arguments: TestDatabaseKind.allCases)
    func reviewQueueScreens(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            let run = try await reviewQueue(database)
            let identity = IdentityRepository(database: database)
            let first = try #require(try await identity.pairs(run: run, status: "review", undecidedOnly: true, limit: 1).first)
            // A name that looks like markup is shown as text, never run.
            try await database.transaction { db in
                try await db.raw("UPDATE individuals SET given_names = '<script>x</script>Ana' WHERE id = \(bind: first.left)").run()
            }
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let client = try await nationalOfficer(client, database: database)
                try await client.execute(uri: "/office/identity", method: .get, headers: [.acceptLanguage: "es"]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(response.headers[.contentLanguage] == "es")
                    let page = text(response.body)
                    #expect(page.contains("<html lang=\"es\">"))
                    #expect(page.contains("href=\"/office/identity/runs/\(run)/review\""))
                }
                let queue = "/office/identity/runs/\(run)/review"
                try await client.execute(uri: queue, method: .get, headers: [.acceptLanguage: "es"]) { response in
                    #expect(response.status == .ok)
                    let page = text(response.body)
                    #expect(page.contains("Revisión de la corrida \(run)"))
                    #expect(page.contains("Apellidos") && page.contains("Fecha de nacimiento"))
                    #expect(page.contains(first.leftRef) && page.contains(first.rightRef))
                    #expect(page.contains("&lt;script&gt;x&lt;/script&gt;Ana") && !page.contains("<script>"))
                    #expect(page.contains("action=\"\(queue.replacingOccurrences(of: "/review", with: ""))/pairs/\(first.left.uuidString)/\(first.right.uuidString)/decision\""))
                    #expect(page.contains("value=\"same\"") && page.contains("Misma persona"))
                    // Each field says how far the two agree, in words as well as colour.
                    #expect(page.contains("class=\"level agree\">igual<"))
                    // Each record's household is a link, to look closer before deciding.
                    #expect(page.contains("<a href=\"/office/households/H-"))
                }

                let decision = "/office/identity/runs/\(run)/pairs/\(first.left.uuidString)/\(first.right.uuidString)/decision"
                let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: "es"]
                try await client.execute(uri: decision, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(client.csrf)&decision=perhaps&cursor=")) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(text(response.body).contains("perhaps"))
                }
                var location = ""
                try await client.execute(uri: decision, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(client.csrf)&decision=same&cursor=")) { response in
                    #expect(response.status == .seeOther)
                    location = response.headers[.location] ?? ""
                }
                #expect(location.hasPrefix(queue + "?done=same&merge="))
                #expect(try await identity.mergedInto(first.right)?.into == first.left)
                var undo = ""
                try await client.execute(uri: location, method: .get, headers: [.acceptLanguage: "es"]) { response in
                    let page = text(response.body)
                    #expect(page.contains("Decisión registrada: misma persona."))
                    #expect(page.contains("El registro \(first.rightRef) apunta ahora al registro \(first.leftRef)"))
                    #expect(!page.contains(decision), "a decided pair leaves the queue")
                    let action = try Regex(#"action="(/office/identity/merges/[0-9]+/undo)""#)
                    undo = page.firstMatch(of: action).map { String($0.output[1].substring ?? "") } ?? ""
                }
                #expect(!undo.isEmpty)
                try await client.execute(uri: undo, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(client.csrf)&run=\(run)&cursor=")) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == queue + "?done=undone")
                }
                #expect(try await identity.mergedInto(first.right) == nil)
                try await client.execute(uri: undo, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(client.csrf)&run=\(run)")) { response in
                    #expect(response.status == .notFound)
                    let number = String(undo.split(separator: "/")[3])
                    #expect(text(response.body).contains(APIMessage.noMerge(number).text(in: .es)))
                }

                // A skip keeps the pair in the queue but moves the reviewer past it.
                let second = try #require(try await identity.pairs(run: run, status: "review", undecidedOnly: true, limit: 2).last)
                let skip = "/office/identity/runs/\(run)/pairs/\(second.left.uuidString)/\(second.right.uuidString)/decision"
                try await client.execute(uri: skip, method: .post, headers: form, body: ByteBuffer(string: "csrf=\(client.csrf)&decision=skip")) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == queue + "?cursor=\(second.left.uuidString)_\(second.right.uuidString)&done=skip")
                }
                #expect(try await identity.pairs(run: run, status: "review", undecidedOnly: true).contains { $0.left == second.left && $0.right == second.right })
                try await client.execute(uri: "/office/identity/runs/999/review", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                }
            }
        }
    }

    @Test("the language follows ?lang=, then its cookie, then Accept-Language; numbers follow it", arguments: [TestDatabaseKind.sqlite])
    func languageChoice(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 400, seed: 2))
            let persons = try await RegistryStatistics(database: database).counts().individuals
            #expect(persons >= 1_000)
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let client = try await nationalOfficer(client, database: database)
                var cookie = ""
                try await client.execute(uri: "/office?lang=pt", method: .get, headers: [.acceptLanguage: "es"]) { response in
                    let page = text(response.body)
                    #expect(page.contains("<html lang=\"pt\">") && page.contains("Domicílios"))
                    #expect(page.contains(PageFormat(.pt).count(persons)) && PageFormat(.pt).count(persons).contains("."))
                    cookie = response.headers[.setCookie] ?? ""
                }
                #expect(cookie.hasPrefix("lang=pt") && cookie.contains("SameSite=Lax"))
                try await client.execute(uri: "/office", method: .get, headers: [.acceptLanguage: "es", .cookie: "lang=pt"]) { response in
                    #expect(text(response.body).contains("<html lang=\"pt\">"))
                }
                try await client.execute(uri: "/office", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.8"]) { response in
                    let page = text(response.body)
                    #expect(page.contains("<html lang=\"en\">") && page.contains("Households"))
                    #expect(page.contains(PageFormat(.en).count(persons)) && PageFormat(.en).count(persons).contains(","))
                }
                try await client.execute(uri: "/static/amparo.css", method: .get) { response in
                    #expect(response.status == .ok && response.headers[.contentType] == "text/css; charset=utf-8")
                }
            }
        }
    }

    @Test("dates and numbers as each language writes them")
    func localeFormats() throws {
        let date = try #require(CalendarDate(iso: "1985-11-04"))
        #expect(PageFormat(.es).date(date).contains("nov") && PageFormat(.es).date(date).contains("1985"))
        #expect(PageFormat(.pt).date(date).contains("nov"))
        #expect(PageFormat(.en).date(date).hasPrefix("Nov 4"))
        #expect(PageFormat(.es).decimal(1234.5, places: 1) == "1.234,5")
        #expect(PageFormat(.en).decimal(1234.5, places: 1) == "1,234.5")
        #expect(PageFormat(.pt).percent(0.973) == "97,3%")
        #expect(PageFormat(.en).probability(0.999_995) == "> 99.99%")
        #expect(PageFormat(.en).moment("2026-11-24T10:05:00.123Z").contains("2026"))
    }
}

@Suite("The back office's targeting pages, in process")
struct TargetingPagesTests {
    @Test("the runs, and a run's figures for the whole, each indicator, the areas of a level and each group",
          arguments: TestDatabaseKind.allCases)
    func runFigures(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 80, seed: 6))
            let run = try await TargetingRun(database: database)
                .start(.published("colombia-mpi"), referenceDate: CalendarDate(year: 2026, month: 11, day: 24)!, areaCode: nil, actor: "tester")
            let report = try await TargetingRunRepository(database: database).report(run, weighting: .persons)
            let definition = try #require({ () -> MPIDefinition? in
                if case .mpi(let definition) = report.policy.method { return definition } else { return nil }
            }())
            let whole = try #require(report.rows.first { $0.scope == "all" }?.tally.mpi)
                .figures(weights: definition.indicators.map(\.weight), denominator: definition.scoreDenominator)
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let client = try await nationalOfficer(client, database: database)
                try await client.execute(uri: "/office/targeting", method: .get, headers: [.acceptLanguage: "pt-BR"]) { response in
                    #expect(response.status == .ok)
                    let page = text(response.body)
                    #expect(page.contains("href=\"/office/targeting/runs/\(run)\"") && page.contains("colombia-mpi@1"))
                    #expect(page.contains("24 de nov. de 2026"))
                }
                let path = "/office/targeting/runs/\(run)"
                try await client.execute(uri: path + "?weighting=persons", method: .get, headers: [.acceptLanguage: "pt-BR"]) { response in
                    #expect(response.status == .ok)
                    let page = text(response.body)
                    #expect(page.contains("Incidência H") && page.contains("Contribuição para M0"))
                    // The whole's figures are the run's, written the Brazilian way.
                    let format = PageFormat(.pt)
                    #expect(page.contains("<td class=\"number\">\(format.percent(whole.headcountRatio))</td>"))
                    #expect(page.contains("<td class=\"number\">\(format.decimal(whole.adjustedHeadcountRatio))</td>"))
                    #expect(page.contains("id=\"figures-areas\"") && page.contains("Regiões"))
                    #expect(page.contains("id=\"figures-zone\"") && page.contains(">urbana<"))
                    #expect(page.contains("id=\"figures-indicators\""))
                    for indicator in definition.indicators { #expect(page.contains(indicator.title[.pt])) }
                }
                try await client.execute(uri: path + "?level=municipality", method: .get) { response in
                    let page = text(response.body)
                    #expect(response.status == .ok && page.contains("Municipalities"))
                    let municipalities = report.rows.filter { $0.scope == "area" && $0.level == .municipality && $0.weighting == .persons }
                    #expect(!municipalities.isEmpty)
                    for row in municipalities { #expect(page.contains("\(row.name) (\(row.key))")) }
                }
                // The demo's outlines are loaded: the regions are drawn, one path each, coloured by H.
                try await client.execute(uri: path + "?level=region", method: .get) { response in
                    let page = text(response.body)
                    let regions = report.rows.filter { $0.scope == "area" && $0.level == .region && $0.weighting == .persons }
                    #expect(page.contains("<figure class=\"map\">"))
                    #expect(page.components(separatedBy: "<path ").count == regions.count + 1)
                    for row in regions { #expect(page.contains("data-area=\"\(row.key)\"")) }
                    #expect(page.contains("Headcount H — Regions"))
                }
                try await database.transaction { db in try await db.raw("DELETE FROM area_boundaries").run() }
                try await client.execute(uri: path + "?level=region", method: .get) { response in
                    let page = text(response.body)
                    #expect(!page.contains("<figure class=\"map\">") && page.contains("id=\"figures-areas\""), "without outlines, the table alone")
                }
                // The cost of a benefit: through the API, and on the page in the reader's money.
                let poor = try #require(report.rows.first { $0.scope == "all" }?.tally.classes.first)
                try await client.execute(uri: "/api/v1/targeting/runs/\(run)/cost?benefit=150000.50&per=person", method: .get) { response in
                    #expect(response.status == .ok)
                    let whole = (json(response.body)["populations"] as? [[String: Any]])?.first
                    #expect(whole?["persons"] as? Int == Int(poor))
                    #expect(whole?["cost"] as? String == Answer.money(hundredths: Int64(poor) * 15_000_050).exchangeText)
                }
                for (query, parameter) in [("benefit=0", "benefit"), ("benefit=10&per=family", "per"), ("benefit=10&classes=rich", "classes"),
                                           ("", "benefit")] {
                    try await client.execute(uri: "/api/v1/targeting/runs/\(run)/cost?\(query)", method: .get) { response in
                        #expect(response.status == .badRequest)
                        #expect(json(response.body)["parameter"] as? String == parameter)
                    }
                }
                try await client.execute(uri: path + "?benefit=150000&per=person&classes=poor", method: .get,
                                         headers: [.acceptLanguage: "es"]) { response in
                    let page = text(response.body)
                    #expect(page.contains("id=\"figures-cost\""))
                    #expect(page.contains(PageFormat(.es).money(Int64(poor) * 15_000_000, currency: "COP")))
                    #expect(page.contains("value=\"poor\" checked"))
                }
                try await client.execute(uri: path + "?level=galaxy", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(text(response.body).contains("galaxy"))
                }
                try await client.execute(uri: "/office/targeting/runs/999", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }
}

/// What Mustache makes of a text.
func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&#39;")
}

@Suite("The caseworker's view of a household, in process")
struct HouseholdPageTests {

    @Test("members, and the result under a policy with the same reasons the API gives, found by registry number",
          arguments: TestDatabaseKind.allCases)
    func householdAndExplanation(kind: TestDatabaseKind) async throws {
        try await TestDatabase.with(kind) { database in
            _ = try await DemoLoader(database: database).load(DemoRegistry(households: 20, seed: 8))
            let listed = try #require(try await HouseholdRepository(database: database).list(within: nil, after: nil, limit: 3).households.last)
            let household = try #require(try await HouseholdRepository(database: database).find(id: listed.id))
            let members = household.members ?? []
            let app = await buildApplication(configuration: testConfiguration(), database: database)
            try await app.test(.router) { client in
                let client = try await nationalOfficer(client, database: database)
                var sentences: [String] = []
                try await client.execute(uri: "/api/v1/households/\(household.id.uuidString)/assessment?policy=colombia-mpi",
                                         method: .get, headers: [.acceptLanguage: "es"]) { response in
                    #expect(response.status == .ok)
                    sentences = json(response.body)["sentences"] as? [String] ?? []
                }
                #expect(!sentences.isEmpty)
                let number = household.registryNumber
                try await client.execute(uri: "/office/households?number=\(number.replacingOccurrences(of: "-", with: "").lowercased())",
                                         method: .get) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/office/households/\(number)")
                }
                try await client.execute(uri: "/office/households/\(number)?policy=colombia-mpi", method: .get,
                                         headers: [.acceptLanguage: "es"]) { response in
                    #expect(response.status == .ok)
                    let page = text(response.body)
                    #expect(page.contains("Hogar \(number)") && page.contains("Resultado y sus razones"))
                    for member in members {
                        #expect(page.contains(escaped(member.individual.answers.text("given_names") ?? "?")))
                    }
                    #expect(page.contains("jefatura"))
                    for sentence in sentences { #expect(page.contains(escaped(sentence)), "\(sentence)") }
                    #expect(page.contains("Analfabetismo") && page.contains("id=\"findings\""))
                }
                try await client.execute(uri: "/office/households/\(number)", method: .get) { response in
                    let page = text(response.body)
                    #expect(page.contains("Choose a policy") && !page.contains("id=\"findings\""))
                }
                try await client.execute(uri: "/office/households/\(number)?policy=no-such-policy", method: .get) { response in
                    #expect(response.status == .notFound)
                }
                try await client.execute(uri: "/office/households?number=H-0000-0001-0", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                }
            }
            #expect(try await AccessLog(database: database).entries(for: household.id).map(\.purpose)
                    == ["targeting_explanation", "targeting_explanation", "household_record"])
        }
    }
}

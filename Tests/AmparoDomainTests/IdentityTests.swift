import Testing
@testable import AmparoDomain

@Suite struct StringDistanceTests {
    @Test func jaroWinklerOfTheTextbookPairs() {
        #expect(abs(StringDistance.jaroWinkler("MARTHA", "MARHTA") - 0.961111) < 1e-6)
        #expect(abs(StringDistance.jaroWinkler("DWAYNE", "DUANE") - 0.84) < 1e-6)
        #expect(abs(StringDistance.jaroWinkler("DIXON", "DICKSONX") - 0.813333) < 1e-6)
        #expect(abs(StringDistance.jaro("MARTHA", "MARHTA") - 0.944444) < 1e-6)
        #expect(StringDistance.jaroWinkler("ANA", "ANA") == 1)
        #expect(StringDistance.jaroWinkler("ANA", "") == 0)
        #expect(StringDistance.jaroWinkler("ABC", "XYZ") == 0)
    }

    @Test func editDistances() {
        #expect(StringDistance.damerauLevenshtein("MARTHA", "MARHTA") == 1)
        #expect(StringDistance.levenshtein("MARTHA", "MARHTA") == 2)
        #expect(StringDistance.levenshtein("kitten", "sitting") == 3)
        #expect(StringDistance.damerauLevenshtein("kitten", "sitting") == 3)
        // A transposition with an insertion between: optimal string alignment gives 3, true Damerau–Levenshtein 2.
        #expect(StringDistance.damerauLevenshtein("CA", "ABC") == 2)
        #expect(StringDistance.damerauLevenshtein("", "abc") == 3)
        #expect(StringDistance.levenshtein("gonzalez", "gonzales") == 1)
    }

    /// The quick forms used in scoring give the full comparators' answers on every pair of
    /// short texts from a small alphabet, where near misses of every kind are common.
    @Test func boundedComparatorsAgreeWithTheFullOnes() {
        var random = SplitMix(seed: 23)
        let alphabet = Array("abn 01".utf8)
        func text(upTo length: UInt64) -> [UInt8] { (0..<Int(random.next() % length)).map { _ in alphabet[Int(random.next() % 6)] } }
        func nearby(_ text: [UInt8]) -> [UInt8] {
            var copy = text
            for _ in 0..<Int(random.next() % 3) {
                let at = copy.isEmpty ? 0 : Int(random.next() % UInt64(copy.count))
                switch random.next() % 4 {
                case 0: copy.insert(alphabet[Int(random.next() % 6)], at: at)
                case 1: if !copy.isEmpty { copy.remove(at: at) }
                case 2: if !copy.isEmpty { copy[at] = alphabet[Int(random.next() % 6)] }
                default: if at + 1 < copy.count { copy.swapAt(at, at + 1) }
                }
            }
            return copy
        }
        var near = 0
        for round in 0..<40_000 {
            // Some longer than 16 bytes, for each way equality is tested.
            let length: UInt64 = round % 3 == 0 ? 20 : 8
            let a = text(upTo: length), b = round % 2 == 0 ? nearby(a) : text(upTo: length)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let full = StringDistance.damerauLevenshtein(a, b)
                    if full <= 2 { near += 1 }
                    #expect(Comparison.equal(a, b) == (full == 0))
                    #expect(StringDistance.withinOneEdit(a, b) == (full <= 1))
                    #expect(StringDistance.damerauLevenshtein(a, b, atMost: 1) == min(full, 2))
                    #expect(StringDistance.damerauLevenshtein(a, b, atMost: 2) == min(full, 3))
                    let similarity = StringDistance.jaroWinkler(a, b)
                    for floor in [0.7, 0.8, 0.9] {
                        let quick = StringDistance.jaroWinkler(a, b, reaching: floor)
                        if similarity >= floor { #expect(quick == similarity) } else { #expect(quick < floor) }
                    }
                }
            }
        }
        #expect(near > 10_000)
    }
}

@Suite struct LinkageTextTests {
    @Test func namesLoseAccentsCaseAndParticles() {
        #expect(LinkageText.givenNames("María de los Ángeles") == "maria angeles")
        #expect(LinkageText.surnames("de la Cruz", "MUÑOZ") == "cruz munoz")
        #expect(LinkageText.surnames("da Silva", "dos Santos") == "silva santos")
        #expect(LinkageText.surnames("López", "de Pérez") == "lopez perez")
        #expect(LinkageText.surnames("Nguyễn", nil) == "nguyen")
        #expect(LinkageText.givenNames("  João   Pedro ") == "joao pedro")
        #expect(LinkageText.surnames("De", nil) == "de")
        #expect(LinkageText.surnames("O'Higgins-Riquelme", nil) == "o higgins riquelme")
        // A surname of particles alone beside a real one: the particles go, the real one stays.
        #expect(LinkageText.surnames("De la", "Peña") == "de la pena")
        #expect(LinkageText.surnames("", "dos Santos") == "santos")
        #expect(LinkageText.givenNames("") == "")
        #expect(LinkageText.fold(" São-Tomé 12 ") == "sao tome 12")
    }

    /// The table holds each field as the text functions give it, first surname's words first.
    @Test func theTableHoldsNormalisedValues() {
        var record = PersonRecord(id: "p1")
        record.givenNames = "José  María"
        record.firstSurname = "de la Cruz"
        record.secondSurname = "DOS SANTOS"
        record.birthDate = "31/12/1999"
        record.idNumber = "CC 1.032.456"
        record.sex = "F"
        var table = LinkageTable()
        table.append(record)
        table.append(PersonRecord(id: "p2"))
        #expect(table[.givenNames].string(0) == "jose maria")
        #expect(table[.surnames].string(0) == "cruz santos")
        #expect(table[.birthDate].string(0) == "19991231")
        #expect(table[.idNumber].string(0) == "cc1032456")
        #expect(table[.sex].string(0) == "f")
        #expect(LinkageField.allCases.allSatisfy { table[$0].isEmpty(1) })
        #expect(table.fieldsPresent == [.givenNames, .surnames, .birthDate, .idNumber, .sex])
    }

    @Test func datesInTheirUsualForms() {
        #expect(LinkageText.date("1987-03-09") == "19870309")
        #expect(LinkageText.date("19870309") == "19870309")
        #expect(LinkageText.date("9/3/1987") == "19870309")
        #expect(LinkageText.date("2024-02-30") == "20240230")
        #expect(LinkageText.date("2024-00-10") == "")
        #expect(LinkageText.date("0000-05-10") == "")
        #expect(LinkageText.date("1987-03-0x") == "")
        #expect(LinkageText.date("1987.03.09") == "19870309")
        #expect(LinkageText.date("unknown") == "")
        #expect(LinkageText.identifier("1.032.456-789") == "1032456789")
    }
}

@Suite struct ComparisonTests {
    func level(_ comparison: Comparison, _ a: PersonRecord, _ b: PersonRecord) -> Int {
        var table = LinkageTable()
        table.append(a)
        table.append(b)
        return PairScorer(table: table, model: .initial([comparison]), frequencies: .none([comparison])).pattern(0, 1)[0]
    }

    func person(given: String? = nil, first: String? = nil, second: String? = nil, born: String? = nil,
                id: String? = nil) -> PersonRecord {
        var record = PersonRecord(id: "x")
        record.givenNames = given
        record.firstSurname = first
        record.secondSurname = second
        record.birthDate = born
        record.idNumber = id
        return record
    }

    @Test func surnamesInEitherOrderOrOneMissing() {
        let surnames = Comparison(.surnames, .surnames)
        let levels = surnames.levels
        #expect(levels[level(surnames, person(first: "Muñoz", second: "Pérez"), person(first: "MUNOZ", second: "perez"))] == "exact")
        #expect(levels[level(surnames, person(first: "Muñoz", second: "Pérez"), person(first: "Pérez", second: "Muñoz"))]
            == "same surnames in another order")
        #expect(levels[level(surnames, person(first: "Muñoz", second: "Pérez"), person(first: "Muñoz"))] == "one surname missing")
        #expect(levels[level(surnames, person(first: "López", second: "Gómez"), person(first: "López", second: "de Pérez"))]
            == "one surname shared")
        #expect(levels[level(surnames, person(first: "Gonzalez"), person(first: "Gonzales"))] == "one edit")
        #expect(level(surnames, person(first: "Muñoz"), person(given: "Ana")) == Comparison.missing)
        #expect(levels[level(surnames, person(first: "Silva"), person(first: "Quispe"))] == "different")
    }

    @Test func compoundGivenNames() {
        let given = Comparison(.givenNames, .givenNames)
        #expect(given.levels[level(given, person(given: "José María"), person(given: "José"))] == "one name within the other")
        #expect(given.levels[level(given, person(given: "Jose"), person(given: "Josué"))] == "one edit")
    }

    @Test func datesSwappedOrOneDigitOff() {
        let date = Comparison(.birthDate, .date)
        #expect(level(date, person(born: "1987-03-09"), person(born: "1987-09-03")) == 1)
        #expect(level(date, person(born: "1987-03-09"), person(born: "1987-03-08")) == 1)
        #expect(level(date, person(born: "1987-03-09"), person(born: "1988-01-20")) == 2)
        #expect(level(date, person(born: "1987-03-09"), person(born: "1990-03-09")) == 3)
        #expect(level(date, person(born: "1987-03-09"), person(born: "")) == Comparison.missing)
    }

    @Test func identifiersWithTransposedDigits() {
        let id = Comparison(.idNumber, .identifier)
        #expect(level(id, person(id: "1032456789"), person(id: "1032456789")) == 0)
        #expect(level(id, person(id: "1032456789"), person(id: "1023456789")) == 1)
        #expect(level(id, person(id: "1032456789"), person(id: "103245678")) == 2)
        #expect(level(id, person(id: "1032456789"), person(id: "1032457689")) == 1)
        #expect(level(id, person(id: "1032456789"), person(id: "9032456781")) == 3)
        #expect(level(id, person(id: "1032456789"), person(id: "5555456789")) == 4)
    }

    @Test func householdPointsByDistance() {
        var a = PersonRecord(id: "a"), b = PersonRecord(id: "b")
        (a.latitude, a.longitude) = (4.6097, -74.0817)
        (b.latitude, b.longitude) = (4.6100, -74.0820)
        var table = LinkageTable()
        table.append(a)
        table.append(b)
        #expect(PairScorer(table: table, model: .initial([.place]), frequencies: .none([.place])).pattern(0, 1)[0] == 0)
        // Bogotá to Medellín is about 240 km.
        #expect(abs(Comparison.metres(4.6097, -74.0817, 6.2442, -75.5812) - 240_000) < 10_000)
    }

    @Test func patternsHoldEveryLevel() {
        var pattern = ComparisonPattern()
        pattern[0] = 7
        pattern[3] = Comparison.missing
        pattern[5] = 0
        #expect(pattern[0] == 7 && pattern[3] == Comparison.missing && pattern[5] == 0)
        pattern[0] = 2
        #expect(pattern[0] == 2 && pattern[5] == 0)
    }
}

@Suite struct LinkageModelTests {
    /// A small registry with known duplicates: 400 persons, of whom 100 were registered a
    /// second time with the mistakes clerks make.
    static func registry() -> (table: LinkageTable, truth: Set<[String]>) {
        let given = ["Ana", "José", "María", "Juan", "Luz", "Carlos", "Rosa", "Pedro", "Sofía", "Luis", "Marta", "Jorge",
                     "Camila", "Andrés", "Paula", "Diego", "Valentina", "Miguel", "Lucía", "Mateo"]
        let surnames = ["González", "Rodríguez", "Gómez", "Fernández", "López", "Díaz", "Martínez", "Pérez", "García",
                        "Sánchez", "Romero", "Sosa", "Torres", "Álvarez", "Ruiz", "Ramírez", "Flores", "Acosta",
                        "Benítez", "Zúñiga", "Quispe", "Mamani", "Silva", "Santos", "Oliveira", "Souza"]
        var random = SplitMix(seed: 11)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        var table = LinkageTable()
        var originals: [PersonRecord] = []
        for index in 0..<400 {
            var person = PersonRecord(id: "p\(index)")
            person.givenNames = pick(given)
            person.firstSurname = pick(surnames)
            person.secondSurname = pick(surnames)
            person.birthDate = "19\(50 + random.next() % 50)-0\(1 + random.next() % 9)-1\(random.next() % 9)"
            person.sex = pick(["f", "m"])
            person.idNumber = String(10_000_000 + random.next() % 89_999_999)
            originals.append(person)
            table.append(person)
        }
        var truth = Set<[String]>()
        for index in 0..<100 {
            var copy = originals[index * 4]
            copy.id = "d\(index)"
            switch index % 5 {
            case 0: copy.givenNames = copy.givenNames.map { String($0.dropLast()) + "x" }
            case 1: (copy.firstSurname, copy.secondSurname) = (copy.secondSurname, copy.firstSurname)
            case 2: copy.idNumber = nil
            case 3: copy.secondSurname = nil
            default: copy.birthDate = copy.birthDate.map { String($0.dropLast()) + "0" }
            }
            table.append(copy)
            truth.insert([originals[index * 4].id, copy.id])
        }
        return (table, truth)
    }

    @Test func expectationMaximisationFindsTheDuplicatesWithoutLabels() throws {
        let (table, truth) = Self.registry()
        let linkage = PersonLinkage(table: table, mode: .deduplicate)
        let (model, summary) = try linkage.train(randomPairs: 20_000)
        #expect(summary.candidatePairs > 100)
        // Same persons agree exactly on the ID number far more often than different ones.
        let id = try #require(model.comparisons.firstIndex { $0.field == .idNumber })
        #expect(model.m[id][0] > 0.8)
        #expect(model.u[id][0] < 0.01)
        #expect(summary.expectedMatches > 80 && summary.expectedMatches < 130)

        var found = Set<[String]>()
        try linkage.predict(model, floor: 0.5) { pair in
            // Originals come before their copies in the table, and the left record is the earlier.
            found.insert([table.id(pair.left), table.id(pair.right)])
        }
        let truePositives = found.intersection(truth).count
        let precision = Double(truePositives) / Double(max(1, found.count))
        let recall = Double(truePositives) / Double(truth.count)
        #expect(precision > 0.95, "precision \(precision)")
        #expect(recall > 0.95, "recall \(recall)")
    }

    @Test func commonSurnamesAgreeForLessThanRareOnes() {
        var table = LinkageTable()
        for index in 0..<50 {
            var person = PersonRecord(id: "\(index)")
            person.firstSurname = index < 40 ? "González" : "Surname\(index)"
            table.append(person)
        }
        var rare = PersonRecord(id: "rare1")
        rare.firstSurname = "Zúñiga"
        table.append(rare)
        rare.id = "rare2"
        table.append(rare)
        let comparisons = [Comparison(.surnames, .surnames, termFrequency: true)]
        let model = LinkageModel.initial(comparisons)
        let scorer = PairScorer(table: table, model: model, frequencies: TermFrequencies(table, comparisons: comparisons))
        let common = scorer.weight(scorer.pattern(0, 1), 0, 1)
        let uncommon = scorer.weight(scorer.pattern(50, 51), 50, 51)
        #expect(scorer.pattern(0, 1)[0] == 0 && scorer.pattern(50, 51)[0] == 0)
        #expect(uncommon > common + 4)
    }

    @Test func blockingRulesFindEachPairOnce() {
        var table = LinkageTable()
        for index in 0..<4 {
            var person = PersonRecord(id: "\(index)")
            person.idNumber = "123"
            person.birthDate = "2000-01-01"
            table.append(person)
        }
        let candidates = CandidatePairs(
            table: table, rules: [BlockingRule(.field(.idNumber)), BlockingRule(.field(.birthDate))], mode: .deduplicate)
        var pairs: [[Int]] = []
        for rule in candidates.rules.indices {
            for block in candidates.blocks(rule: rule) {
                candidates.forEachPair(rule: rule, block: block) { pairs.append([$0, $1]) }
            }
        }
        #expect(pairs.count == 6)
        #expect(Set(pairs).count == 6)
    }

    /// Registered twice in one household, with another birth date and no ID the second
    /// time: only the household brings the two together. It is not compared, though, or
    /// a household's kin would weigh as one person.
    @Test func theHouseholdBlocksButIsNotCompared() throws {
        var table = LinkageTable()
        for (id, given, born, number) in [("a", "Rosa", "1980-03-02", "111"), ("b", "Rossa", "1981-03-02", nil),
                                          ("c", "Juan", "1975-11-30", "333")] {
            var person = PersonRecord(id: id)
            person.givenNames = given
            person.firstSurname = "Quispe"
            person.birthDate = born
            person.idNumber = number
            person.household = "H-1"
            table.append(person)
        }
        let linkage = PersonLinkage(table: table, mode: .deduplicate)
        #expect(!linkage.comparisons.contains { $0.field == .household })
        var found: [[String]] = []
        for rule in linkage.rules.indices {
            let candidates = try linkage.candidates(rule: rule, part: 0)
            for block in candidates.blocks(rule: rule) {
                candidates.forEachPair(rule: rule, block: block) { found.append([table.id($0), table.id($1), "\(linkage.rules[rule])"]) }
            }
        }
        #expect(found.contains(["a", "b", "household"]))
        #expect(found.count == 3, "\(found)")
    }

    @Test func entitiesJoinThroughTheirLinks() {
        var clusters = EntityClusters(count: 6)
        clusters.link(4, 2)
        clusters.link(2, 0)
        clusters.link(3, 5)
        #expect(clusters.entities() == [[0, 2, 4], [3, 5]])
    }
}

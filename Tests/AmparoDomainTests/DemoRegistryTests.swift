import Foundation
import Testing
@testable import AmparoDomain

/// Checks the synthetic registry: determinism, shape, validity against the questionnaire,
/// and that it looks like census data.
@Suite struct DemoRegistryTests {
    private let householdColumns = ExchangeFormat.householdColumns()
    private let individualColumns = ExchangeFormat.individualColumns()

    /// Every household and member row of a generation, as CSV bytes.
    private func csv(_ registry: DemoRegistry) -> [UInt8] {
        var writer = CSVWriter()
        registry.forEachHousehold { household, members in
            writer.writeRecord(household)
            for member in members { writer.writeRecord(member) }
        }
        return writer.take()
    }

    private func column(_ name: String, in columns: [String]) -> Int {
        columns.firstIndex(of: name)!
    }

    @Test func sameSeedGivesSameBytes() {
        let first = csv(DemoRegistry(households: 800, seed: 42))
        let second = csv(DemoRegistry(households: 800, seed: 42))
        #expect(first == second)
        #expect(first.count > 100_000)
        let other = csv(DemoRegistry(households: 800, seed: 43))
        #expect(first != other)
    }

    @Test func shorterGenerationIsAPrefix() {
        var short: [[String]] = []
        DemoRegistry(households: 300, seed: 7).forEachHousehold { household, members in
            short.append(household)
            short.append(contentsOf: members)
        }
        var long: [[String]] = []
        DemoRegistry(households: 500, seed: 7).forEachHousehold { household, members in
            long.append(household)
            long.append(contentsOf: members)
        }
        #expect(long.count > short.count)
        #expect(Array(long.prefix(short.count)) == short)
    }

    @Test func refsAndDocumentsAreWellFormedAndUnique() {
        let householdRef = column("household_ref", in: householdColumns)
        let personRef = column("person_ref", in: individualColumns)
        let memberHousehold = column("household_ref", in: individualColumns)
        let idType = column("id_type", in: individualColumns)
        let idNumber = column("id_number", in: individualColumns)
        var households = Set<String>()
        var persons = Set<String>()
        var documents = Set<String>()
        var people = 0
        var documented = 0
        var expectedNumber = 1
        DemoRegistry(households: 3_000, seed: 11).forEachHousehold { household, members in
            let ref = household[householdRef]
            #expect(ref == "H" + String(repeating: "0", count: 8 - String(expectedNumber).count) + String(expectedNumber))
            expectedNumber += 1
            #expect(households.insert(ref).inserted)
            for member in members {
                people += 1
                #expect(member[memberHousehold] == ref)
                let person = member[personRef]
                #expect(person.count == 10 && person.hasPrefix("P") && person.dropFirst().allSatisfy { $0.isNumber })
                #expect(persons.insert(person).inserted)
                // Both document cells are given, or neither.
                #expect(member[idType].isEmpty == member[idNumber].isEmpty)
                if !member[idNumber].isEmpty {
                    documented += 1
                    let number = member[idNumber]
                    #expect((8...10).contains(number.count) && number.allSatisfy { $0.isNumber }, "\(number)")
                    #expect(documents.insert(number).inserted, "duplicate document \(number)")
                }
            }
        }
        // A few percent have no document.
        let share = Double(documented) / Double(people)
        #expect(share > 0.9 && share < 0.995)
    }

    @Test func everyRowHasTheRightNumberOfColumns() {
        DemoRegistry(households: 1_000, seed: 3).forEachHousehold { household, members in
            #expect(household.count == householdColumns.count)
            #expect(!members.isEmpty)
            for member in members { #expect(member.count == individualColumns.count) }
        }
        for row in DemoRegistry(households: 0, seed: 3).areaRows() {
            #expect(row.count == ExchangeFormat.areaColumns.count)
        }
    }

    @Test func everyCellIsValidForItsQuestionnaireKind() {
        let questionnaire = Questionnaire.standard
        let householdKinds = householdColumns.map { name in questionnaire.householdFields.first { $0.name == name }?.kind }
        let individualKinds = individualColumns.map { name in questionnaire.individualFields.first { $0.name == name }?.kind }
        let areaCodes = Set(DemoRegistry(households: 0, seed: 0).areaRows().map { $0[0] })
        let relationships = Set(Relationship.allCases.map(\.rawValue))
        var problems: [String] = []
        var cells = 0
        var empty = 0

        func check(_ row: [String], _ columns: [String], _ kinds: [Questionnaire.Kind?]) {
            for (index, value) in row.enumerated() {
                cells += 1
                guard let kind = kinds[index] else {
                    // Keys: always present.
                    if value.isEmpty { problems.append("\(columns[index]) empty") }
                    continue
                }
                if value.isEmpty { empty += 1; continue }
                if !KindValidator.isValid(value, kind) { problems.append("\(columns[index]) = \(value)") }
            }
        }

        let areaCode = column("area_code", in: householdColumns)
        let relationship = column("relationship", in: individualColumns)
        DemoRegistry(households: 2_000, seed: 2026).forEachHousehold { household, members in
            check(household, householdColumns, householdKinds)
            if !areaCodes.contains(household[areaCode]) { problems.append("unknown area \(household[areaCode])") }
            for member in members {
                check(member, individualColumns, individualKinds)
                if !relationships.contains(member[relationship]) { problems.append("relationship \(member[relationship])") }
            }
        }
        #expect(problems.isEmpty, "\(problems.prefix(20))")
        // A few percent of cells are "not known" (plus those that do not apply).
        let emptyShare = Double(empty) / Double(cells)
        #expect(emptyShare > 0.01 && emptyShare < 0.25)
    }

    @Test func areasNestParentsFirst() {
        let rows = DemoRegistry(households: 0, seed: 0).areaRows()
        let columns = ExchangeFormat.areaColumns
        let code = column("area_code", in: columns)
        let level = column("level", in: columns)
        let parent = column("parent_code", in: columns)
        var seen: [String: AreaLevel] = [:]
        var counts: [AreaLevel: Int] = [:]
        for row in rows {
            let areaLevel = AreaLevel(rawValue: row[level])
            #expect(areaLevel != nil)
            guard let areaLevel else { continue }
            counts[areaLevel, default: 0] += 1
            #expect(seen[row[code]] == nil, "duplicate code \(row[code])")
            if areaLevel == .country {
                #expect(row[parent].isEmpty)
            } else {
                let parentLevel = seen[row[parent]]
                #expect(parentLevel != nil, "parent of \(row[code]) comes later or is missing")
                #expect(parentLevel?.depth == areaLevel.depth - 1)
                if parentLevel != .country {
                    #expect(row[code].hasPrefix(row[parent]) && row[code].count > row[parent].count)
                }
                #expect(row[code].allSatisfy { $0.isNumber })
            }
            seen[row[code]] = areaLevel
        }
        #expect(counts[.country] == 1)
        #expect((5...8).contains(counts[.region] ?? 0))
        #expect((18...30).contains(counts[.province] ?? 0))
        #expect((80...130).contains(counts[.municipality] ?? 0))
        #expect((250...400).contains(counts[.locality] ?? 0))
        #expect(rows.count < 1_000)
    }

    @Test func householdsLookLikeACensus() {
        let members = column("relationship", in: individualColumns)
        let birth = column("birth_date", in: individualColumns)
        let zone = column("zone", in: householdColumns)
        let areaCode = column("area_code", in: householdColumns)
        var households = 0
        var people = 0
        var largest = 0
        DemoRegistry(households: 5_000, seed: 99).forEachHousehold { household, rows in
            households += 1
            people += rows.count
            largest = max(largest, rows.count)
            #expect((1...12).contains(rows.count))
            // One head, listed first, an adult.
            #expect(rows.filter { $0[members] == "head" }.count == 1)
            #expect(rows[0][members] == "head")
            if let age = Self.age(rows[0][birth]) { #expect(age >= 18) }
            // The zone agrees with the locality: seats (…000) are urban.
            if !household[zone].isEmpty {
                #expect((household[zone] == "urban") == household[areaCode].hasSuffix("000"))
            }
        }
        let mean = Double(people) / Double(households)
        #expect(mean > 2.8 && mean < 4.0, "mean size \(mean)")
        #expect(largest >= 9)
    }

    @Test func fieldsAgreeWithOneAnother() {
        let hh = householdColumns
        let water = column("water_source", in: hh)
        let minutes = column("water_minutes", in: hh)
        let birth = column("birth_date", in: individualColumns)
        let attends = column("attends_school", in: individualColumns)
        let grade = column("school_grade", in: individualColumns)
        let schooling = column("schooling_years", in: individualColumns)
        let care = column("early_childhood_care", in: individualColumns)
        let relationship = column("relationship", in: individualColumns)
        DemoRegistry(households: 2_000, seed: 5).forEachHousehold { household, members in
            if household[water].hasPrefix("piped"), let value = Int(household[minutes]) { #expect(value == 0) }
            if ["unprotected_well", "river", "spring"].contains(household[water]), let value = Int(household[minutes]) {
                #expect(value > 0)
            }
            let headAge = Self.age(members[0][birth])
            for member in members {
                guard let age = Self.age(member[birth]) else { continue }
                if let years = Int(member[schooling]) { #expect(years <= max(0, age - 5)) }
                if member[attends] == "1", (6...17).contains(age), let value = Int(member[grade]) {
                    #expect(value >= 1 && value <= age - 5)
                }
                if age > 5 { #expect(member[care].isEmpty) }
                if member[relationship] == "child", let headAge { #expect(age <= headAge + 20) }
                if member[relationship] == "parent", let headAge { #expect(age > headAge) }
            }
        }
    }

    @Test func ruralHouseholdsArePoorer() {
        let zone = column("zone", in: householdColumns)
        let floor = column("floor", in: householdColumns)
        let income = column("monthly_income", in: householdColumns)
        let electricity = column("electricity", in: householdColumns)
        var earth = ["urban": 0.0, "rural": 0.0]
        var count = ["urban": 0.0, "rural": 0.0]
        var incomes = ["urban": 0.0, "rural": 0.0]
        var incomeCount = ["urban": 0.0, "rural": 0.0]
        var power = ["urban": 0.0, "rural": 0.0]
        DemoRegistry(households: 5_000, seed: 8).forEachHousehold { household, _ in
            let z = household[zone]
            guard !z.isEmpty else { return }
            count[z]! += 1
            if household[floor] == "earth" { earth[z]! += 1 }
            if household[electricity] == "1" { power[z]! += 1 }
            if let value = Double(household[income]) {
                incomes[z]! += value
                incomeCount[z]! += 1
            }
        }
        #expect(count["rural"]! > 500 && count["urban"]! > 2_500)
        #expect(earth["rural"]! / count["rural"]! > 2 * earth["urban"]! / count["urban"]!)
        #expect(incomes["rural"]! / incomeCount["rural"]! < incomes["urban"]! / incomeCount["urban"]!)
        #expect(power["rural"]! / count["rural"]! < power["urban"]! / count["urban"]!)
    }

    @Test func namesCarryAccentsAndBothLanguages() {
        let given = column("given_names", in: individualColumns)
        let first = column("first_surname", in: individualColumns)
        let second = column("second_surname", in: individualColumns)
        let email = column("email", in: individualColumns)
        var accented = 0
        var enye = 0
        var portuguese = 0
        var emptySecond = 0
        var emails = 0
        var people = 0
        DemoRegistry(households: 3_000, seed: 1).forEachHousehold { _, members in
            for member in members {
                people += 1
                let names = member[given] + " " + member[first] + " " + member[second]
                if names.contains(where: { "áéíóúÁÉÍÓÚãõçêô".contains($0) }) { accented += 1 }
                if names.contains("ñ") { enye += 1 }
                if names.contains("ã") || names.contains("ç") || member[first].hasPrefix("d") && member[first].contains(" ") {
                    portuguese += 1
                }
                if member[second].isEmpty { emptySecond += 1 }
                if !member[email].isEmpty {
                    emails += 1
                    #expect(member[email].allSatisfy { $0.isASCII && !$0.isUppercase })
                }
            }
        }
        #expect(accented > people / 5)
        #expect(enye > 0)
        #expect(portuguese > 0)
        #expect(emptySecond > 0 && emptySecond < people / 5)
        #expect(emails > 0)
    }

    /// Pins the output of a small registry, so that a change of platform, Swift version or
    /// dependency that would alter the bytes is caught. Update the digest when the generator
    /// is changed on purpose.
    @Test func outputIsPinned() {
        // FNV-1a over the cells themselves (not the CSV, whose writer is not under test here).
        var digest: UInt64 = 0xCBF2_9CE4_8422_2325
        func feed(_ row: [String]) {
            for cell in row {
                for byte in cell.utf8 { digest = (digest ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                digest = (digest ^ 0x1F) &* 0x0000_0100_0000_01B3
            }
            digest = (digest ^ 0x1E) &* 0x0000_0100_0000_01B3
        }
        DemoRegistry(households: 300, seed: 2026).forEachHousehold { household, members in
            feed(household)
            members.forEach(feed)
        }
        DemoRegistry(households: 0, seed: 2026).areaRows().forEach(feed)
        #expect(digest == Self.pinnedDigest, "digest \(String(digest, radix: 16))")
    }

    static let pinnedDigest: UInt64 = 0x19A6_BB77_E8FC_20F0

    @Test func documentScrambleIsABijection() {
        for bits: UInt64 in [10, 13, 16] {
            var seen = Set<UInt64>()
            for value in 0..<(UInt64(1) << bits) {
                let scrambled = DemoScramble.permute(value, bits: bits, key: 0x1234_5678_9ABC_DEF0)
                #expect(scrambled < UInt64(1) << bits)
                seen.insert(scrambled)
            }
            #expect(seen.count == 1 << bits)
        }
    }

    @Test func calendarAndNumbersFormatExactly() {
        #expect(DemoText.date(0) == "1970-01-01")
        #expect(DemoText.date(DemoCalendar.days(year: 2024, month: 2, day: 29)) == "2024-02-29")
        #expect(DemoText.date(DemoCalendar.days(year: 1900, month: 3, day: 1) - 1) == "1900-02-28")
        for day in stride(from: -30_000, through: 30_000, by: 7) {
            let (year, month, dayOfMonth) = DemoCalendar.civil(day)
            #expect(DemoCalendar.days(year: year, month: month, day: dayOfMonth) == day)
            #expect(KindValidator.isValid(DemoText.date(day), .date))
        }
        #expect(DemoText.padded(42, width: 8) == "00000042")
        #expect(DemoText.padded(123_456_789, width: 3) == "123456789")
        #expect(DemoText.fixed(-412_345, fraction: 5) == "-4.12345")
        #expect(DemoText.fixed(5, fraction: 5) == "0.00005")
        #expect(DemoText.money(cents: 123_456_789, whole: false) == "1234567.89")
        #expect(DemoText.slug("María José Ñuñez-Gonçalves") == "mariajosenunezgoncalves")
        for x in stride(from: -5.0, through: 5.0, by: 0.37) {
            #expect(abs(DemoMath.exp(x) / Foundation.exp(x) - 1) < 1e-13)
        }
    }

    /// Generates a million households and reports the time; opt in with
    /// `AMPARO_DEMO_BENCHMARK=1` (meant for a release build).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["AMPARO_DEMO_BENCHMARK"] != nil))
    func millionHouseholdsBenchmark() {
        let clock = ContinuousClock()
        var people = 0
        var bytes = 0
        let elapsed = clock.measure {
            DemoRegistry(households: 1_000_000, seed: 1).forEachHousehold { household, members in
                people += members.count
                bytes += household.count
            }
        }
        print("DemoRegistry: 1,000,000 households, \(people) people in \(elapsed)")
        #expect(people > 2_800_000)
    }

    /// Completed years at the generator's reference date, 2026-06-30.
    static func age(_ date: String) -> Int? {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var age = 2026 - parts[0]
        if parts[1] > 6 || (parts[1] == 6 && parts[2] > 30) { age -= 1 }
        return age
    }
}

/// A small, independent check of a cell against the questionnaire's kind of its column.
private enum KindValidator {
    static func isValid(_ value: String, _ kind: Questionnaire.Kind) -> Bool {
        switch kind {
        case .code(let codes):
            return codes.contains(value)
        case .integer(let min, let max):
            guard let number = Int64(value), String(number) == value else { return false }
            return number >= min && number <= max
        case .flag:
            return value == "0" || value == "1"
        case .date:
            return isDate(value)
        case .money:
            let parts = value.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit)
            else { return false }
            if parts.count == 2 { return (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIIDigit) }
            return true
        case .text(let maxLength):
            return value.count <= maxLength && !value.contains("\n")
        case .phone:
            let digits = value.dropFirst()
            return value.hasPrefix("+") && (7...15).contains(digits.count) && digits.allSatisfy(\.isASCIIDigit)
                && digits.first != "0"
        case .email:
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && value.allSatisfy(\.isASCII)
                && !value.contains(" ")
        case .latitude:
            guard let number = Double(value) else { return false }
            return (-90...90).contains(number) && decimals(value) <= 7
        case .longitude:
            guard let number = Double(value) else { return false }
            return (-180...180).contains(number) && decimals(value) <= 7
        case .openCode:
            return !value.isEmpty && value.allSatisfy { ("a"..."z").contains($0) || $0.isASCIIDigit || $0 == "_" || $0 == "-" }
        }
    }

    private static func decimals(_ value: String) -> Int {
        value.split(separator: ".").dropFirst().first?.count ?? 0
    }

    private static func isDate(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        let parts = value.split(separator: "-")
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

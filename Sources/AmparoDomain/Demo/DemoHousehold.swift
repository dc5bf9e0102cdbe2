/// Writes generated values into an exchange-format row, leaving a few cells empty as
/// "not known" the way real registries do.
struct DemoRowWriter<Field: RawRepresentable> where Field.RawValue == Int {
    var cells: [String]
    let layout: DemoRowLayout

    init(_ layout: DemoRowLayout) {
        self.layout = layout
        self.cells = layout.emptyRow()
    }

    @inline(__always)
    mutating func set(raw field: Int, _ value: String, _ random: inout DemoRandom) {
        let position = layout.positions[field]
        guard position >= 0 else { return }
        let threshold = layout.blankThresholds[field]
        if threshold != 0, random.next() < threshold { return }
        cells[position] = value
    }

    @inline(__always)
    mutating func set(_ field: Field, _ value: String, _ random: inout DemoRandom) {
        set(raw: field.rawValue, value, &random)
    }

    @inline(__always)
    mutating func set(_ field: Field, _ value: Bool, _ random: inout DemoRandom) {
        set(raw: field.rawValue, value ? "1" : "0", &random)
    }
}

/// Generates one household of a demo registry from (seed, household number) alone.
struct DemoHouseholdGenerator {
    let seed: UInt64
    let geography = DemoGeography.standard
    /// Keys the bijection from person numbers to document numbers, so that seeds differ.
    private let documentKey: UInt64

    /// Ages are completed years at this fixed date, so output never depends on the clock.
    static let referenceDay = DemoCalendar.days(year: 2026, month: 6, day: 30)
    /// Interviews run from the start of 2025 to the reference date.
    static let firstInterviewDay = DemoCalendar.days(year: 2025, month: 1, day: 2)
    /// Day number of the reference date `age` years earlier.
    private static let birthdays: [Int] = (0...130).map { DemoCalendar.days(year: 2026 - $0, month: 6, day: 30) }
    /// The fictional country's calling code (unassigned in E.164, so no real subscriber
    /// can ever be reached from demo data).
    static let callingCode: StaticString = "+289"

    init(seed: UInt64) {
        self.seed = seed
        documentKey = DemoSplitMix64.mix(seed ^ 0x00D0_C0DE)
    }

    /// The household row of household `index` (0-based); its members' rows go to `members`,
    /// numbered from person `firstPerson` (0-based). `people` is scratch space.
    func generate(
        index: Int, firstPerson: Int, people: inout [DemoPerson], members: inout [[String]]
    ) -> [String] {
        var random = DemoRandom(seed: seed, stream: UInt64(index))
        let locality = geography.localities[random.weighted(geography.localityWeights)]
        let region = geography.regions[locality.region]
        let municipality = geography.municipalities[locality.municipality]
        let rural = !locality.urban

        // The latent welfare: region, municipality, zone and (structural inequality)
        // ethnicity shift it; everything below reads it.
        let ethnicity = DemoFamilyBuilder.ethnicity(region: region.spec, rural: rural, using: &random)
        var welfare = region.spec.welfare + municipality.welfare + (rural ? -0.75 : 0.2) + 0.85 * random.normal()
        if ethnicity == .indigenous || ethnicity == .afrodescendant { welfare -= 0.3 }

        let family = DemoFamilyBuilder(region: region, rural: rural, welfare: welfare, ethnicity: ethnicity)
        let size = family.size(using: &random)
        family.build(size: size, into: &people, using: &random)

        let householdRef = DemoText.prefixed("H", index + 1, width: 8)
        members.removeAll(keepingCapacity: true)
        var earners = 0
        var formalEarners = 0
        var youngestBirth = Int.min
        var householdPhone = ""
        var hasYoungChildOrMother = false
        for (offset, person) in people.enumerated() {
            let outcome = personRow(
                person, number: firstPerson + offset, householdRef: householdRef, welfare: welfare,
                rural: rural, region: region, using: &random
            )
            members.append(outcome.row)
            if outcome.works { earners += 1 }
            if outcome.formal { formalEarners += 1 }
            youngestBirth = max(youngestBirth, outcome.birthDay)
            if householdPhone.isEmpty, !outcome.phone.isEmpty, person.relationship == .head || random.chance(0.5) {
                householdPhone = outcome.phone
            }
            if person.age < 5 || (person.female && (15...49).contains(person.age)) { hasYoungChildOrMother = true }
        }

        var row = DemoRowWriter<DemoHouseholdField>(.households)
        row.set(.householdRef, householdRef, &random)
        row.set(.areaCode, locality.code, &random)
        row.set(.zone, rural ? "rural" : "urban", &random)
        row.set(.address, address(locality: locality, municipality: municipality, region: region, welfare: welfare,
                                  using: &random), &random)
        // Dwellings scatter around the locality's point: tightly in town, widely in the country.
        if !random.chance(0.02) {
            let spread = rural ? 4000 : 1500
            let latitude = locality.latitude + random.int(-spread...spread)
            let longitude = locality.longitude + random.int(-spread...spread)
            row.set(.latitude, DemoText.fixed(latitude, fraction: 5), &random)
            row.set(.longitude, DemoText.fixed(longitude, fraction: 5), &random)
        }
        if householdPhone.isEmpty, random.chance(0.25) {
            // A landline: 60, the region's digit, seven digits.
            householdPhone = DemoText.prefixed(
                Self.callingCode, 6_000_000_000 + (locality.region + 1) * 10_000_000 + random.below(10_000_000), width: 10
            )
        }
        row.set(.phone, householdPhone, &random)

        let dwelling = DemoDwelling(welfare: welfare, rural: rural, style: region.spec.style, size: size, using: &random)
        row.set(.sleepingRooms, DemoText.number(dwelling.sleepingRooms), &random)
        row.set(.floor, dwelling.floor, &random)
        row.set(.walls, dwelling.walls, &random)
        row.set(.roof, dwelling.roof, &random)
        row.set(.waterSource, dwelling.waterSource, &random)
        row.set(.waterMinutes, DemoText.number(dwelling.waterMinutes), &random)
        row.set(.sanitation, dwelling.sanitation, &random)
        row.set(.sanitationShared, dwelling.sanitationShared, &random)
        row.set(.electricity, dwelling.electricity, &random)
        row.set(.cookingFuel, dwelling.cookingFuel, &random)
        for offset in 0..<DemoDwelling.assetCount {
            let owned = dwelling.assets & (1 << offset) != 0
            row.set(raw: DemoHouseholdField.assetRadio.rawValue + offset, owned ? "1" : "0", &random)
        }
        let deathChance = hasYoungChildOrMother ? DemoMath.ramp(-1.2 * welfare - 0.4, 0.004, 0.07) : 0.002
        row.set(.childDeath5y, random.chance(deathChance), &random)

        // Declared income: log-normal-like around a minimum wage, scaled by earners.
        let earnerFactor = 0.5 + 0.4 * Double(min(earners, 4)) + 0.2 * Double(formalEarners)
        var income = 1_250_000 * DemoMath.exp(0.55 * welfare + 0.3 * random.normal()) * earnerFactor
        income = max(150_000, min(8_000_000, income))
        let style = random.unit()
        if style < 0.7 {
            row.set(.monthlyIncome, String(Int((income / 10_000).rounded()) * 10_000), &random)
        } else if style < 0.9 {
            row.set(.monthlyIncome, String(Int((income / 1_000).rounded()) * 1_000), &random)
        } else {
            row.set(.monthlyIncome, DemoText.money(cents: Int((income * 100).rounded()), whole: false), &random)
        }

        // The interview comes after the birth of the youngest member.
        var interview = Self.firstInterviewDay + random.below(Self.referenceDay - Self.firstInterviewDay + 1)
        if interview < youngestBirth { interview = min(Self.referenceDay, youngestBirth + random.below(60)) }
        row.set(.registeredOn, DemoText.date(interview), &random)
        return row.cells
    }

    /// What the household needs to know of a member besides the row.
    private struct PersonOutcome {
        var row: [String]
        var works: Bool
        var formal: Bool
        var birthDay: Int
        var phone: String
    }

    private func personRow(
        _ person: DemoPerson, number: Int, householdRef: String, welfare w: Double, rural: Bool,
        region: DemoGeography.Region, using random: inout DemoRandom
    ) -> PersonOutcome {
        let age = person.age
        var row = DemoRowWriter<DemoPersonField>(.persons)
        row.set(.personRef, DemoText.prefixed("P", number + 1, width: 9), &random)
        row.set(.householdRef, householdRef, &random)
        row.set(.relationship, person.relationship.rawValue, &random)

        // Documents: a civil registration for small children, an identity card for minors,
        // the citizenship card for adults; a few people have none (more in poor places).
        let undocumented = random.chance(DemoMath.ramp(-w - (rural ? 0.4 : 0), 0.005, 0.08))
        if !undocumented {
            let type: String
            if age >= 18 {
                type = person.relationship == .nonRelative && random.chance(0.25) ? "ce" : "cc"
            } else if age >= 7 {
                type = random.chance(0.95) ? "ti" : "rc"
            } else {
                type = "rc"
            }
            row.set(.idType, type, &random)
            row.set(.idNumber, documentNumber(person: number, age: age), &random)
        }

        row.set(.givenNames, person.givenNames.text, &random)
        if let surname = person.firstSurname { row.set(.firstSurname, surname.text, &random) }
        if let surname = person.secondSurname { row.set(.secondSurname, surname.text, &random) }
        row.set(.sex, person.otherSex ? "x" : person.female ? "f" : "m", &random)
        let birthDay = Self.birthdays[age] - random.below(365)
        row.set(.birthDate, DemoText.date(birthDay), &random)
        row.set(.ethnicity, person.ethnicity.code, &random)

        // Schooling: nearly universal in primary, dropping out in secondary where poor;
        // older cohorts and rural people completed fewer years.
        var attends = false
        var grade = -1
        var years = 0
        let behind = random.chance(DemoMath.ramp(-w, 0.04, 0.35)) ? (random.chance(0.3) ? 2 : 1) : 0
        switch age {
        case 0..<5:
            break
        case 5:
            attends = random.chance(DemoMath.ramp(w, 0.5, 0.92))
            if attends { grade = 0 }
        case 6...17:
            let p = age <= 11 ? DemoMath.ramp(w + 1.2, 0.88, 0.997)
                : DemoMath.ramp(w + 0.6, 0.6, 0.98) - (rural && age >= 15 ? 0.06 : 0)
            attends = random.chance(p)
            if attends {
                grade = DemoMath.clamp(age - 5 - behind, 1, 11)
                years = grade - 1
            } else {
                years = DemoMath.clamp(age - 6 - behind - random.below(4), 0, 11)
            }
        default:
            if age <= 24, random.chance(DemoMath.ramp(1.2 * w - 0.4, 0.03, 0.6) * (rural ? 0.6 : 1)) {
                attends = true
                years = DemoMath.clamp(11 + age - 18 - random.below(2), 11, 16)
                grade = years + 1
            } else {
                let cohort = age >= 70 ? 5.0 : age >= 55 ? 3.5 : age >= 40 ? 1.8 : age >= 30 ? 0.6 : 0
                let target = 10 + 2.4 * w - cohort - (rural ? 1.8 : 0)
                    - (person.ethnicity == .indigenous ? 1.0 : 0) + 2.8 * random.normal()
                years = DemoMath.clamp(Int(target.rounded()), 0, 17)
                // Many stop at the end of primary (5) or secondary (11).
                if (9...12).contains(years), random.chance(0.5) { years = 11 }
                if (4...6).contains(years), random.chance(0.4) { years = 5 }
                years = min(years, age - 6)
            }
        }
        let literate: Bool
        if age < 6 {
            literate = false
        } else if years == 0 {
            literate = random.chance(age < 8 && attends ? 0.3 : 0.1)
        } else if years <= 2 {
            literate = random.chance(0.55)
        } else if years <= 4 {
            literate = random.chance(0.9)
        } else {
            literate = random.chance(0.99)
        }
        row.set(.literate, literate, &random)
        row.set(.schoolingYears, DemoText.number(years), &random)
        row.set(.attendsSchool, attends, &random)
        if grade >= 0 { row.set(.schoolGrade, DemoText.number(grade), &random) }
        if age <= 5 {
            row.set(.earlyChildhoodCare, random.chance(DemoMath.ramp(w + (rural ? -0.3 : 0.2), 0.2, 0.7)), &random)
        }

        // Work: formality rises with welfare; some poor rural children work.
        let works: Bool
        switch age {
        case 0..<10:
            works = false
        case 10..<15:
            let p = rural ? DemoMath.ramp(-w, 0.005, 0.15) : DemoMath.ramp(-w, 0.002, 0.05)
            works = random.chance(attends ? p : min(0.6, 3 * p))
        case 15..<18:
            works = random.chance(attends ? DemoMath.ramp(-w, 0.03, 0.2) : DemoMath.ramp(-w, 0.2, 0.55))
        case 18..<65:
            var p = person.female ? DemoMath.ramp(w, 0.38, 0.7) : 0.83
            if attends { p *= 0.35 }
            if age >= 60 { p *= 0.7 }
            works = random.chance(p)
        default:
            let p = person.female ? 0.1 : 0.25
            works = random.chance(rural && w < 0 ? p * 1.4 : p)
        }
        let formal = works && age >= 15
            && random.chance(DemoMath.ramp(1.3 * w + (rural ? -0.6 : 0.2), 0.02, 0.8))
        row.set(.works, works, &random)
        row.set(.pensionContributor, formal, &random)
        var unemployed = 0
        if !works, !attends, (18..<65).contains(age), random.chance(DemoMath.ramp(-w, 0.08, 0.18)) {
            let u = random.unit()
            unemployed = random.chance(0.05) ? random.int(25...60) : 1 + Int(u * u * 24)
        }
        row.set(.unemployedMonths, DemoText.number(unemployed), &random)

        // Functioning (Washington Group): difficulty rises with age, a little with poverty;
        // a frail minority has several at once. Not asked of children under 2.
        var severe = false
        if age >= 2 {
            let base = age < 18 ? 0.008 : age < 45 ? 0.016 : age < 60 ? 0.05 : age < 75 ? 0.12 : 0.26
            let frail = random.chance(age >= 75 ? 0.12 : age >= 60 ? 0.05 : 0.015)
            let scale = base * (1.4 - 0.4 * DemoMath.squash(w)) * (frail ? 3.5 : 1)
            for (offset, weight) in Self.functioningWeights.enumerated() {
                var level = 1
                if random.chance(min(0.95, scale * weight)) {
                    let u = random.unit()
                    level = u < (frail ? 0.55 : 0.8) ? 2 : u < (frail ? 0.88 : 0.96) ? 3 : 4
                }
                if level >= 3 { severe = true }
                row.set(raw: DemoPersonField.wgSeeing.rawValue + offset, DemoText.number(level), &random)
            }
        }

        // Health: insurance is broad (subsidised schemes), care when needed less so for the poor.
        let insured = formal || random.chance(DemoMath.ramp(w + 0.5, 0.8, 0.98))
        row.set(.healthInsurance, insured, &random)
        var needChance = 0.07 + (age < 5 ? 0.1 : 0) + (age >= 60 ? 0.1 : 0) + (age >= 75 ? 0.08 : 0)
        if severe { needChance += 0.15 }
        let needed = random.chance(needChance)
        let received = needed && random.chance(DemoMath.ramp(w, 0.45, 0.92) * (insured ? 1 : 0.6))
        row.set(.neededCare, needed, &random)
        row.set(.receivedCare, received, &random)
        let undernourishedChance = age < 5 ? DemoMath.ramp(-w + (rural ? 0.3 : 0), 0.02, 0.22)
            : age < 18 ? DemoMath.ramp(-w, 0.01, 0.08) : 0.02
        row.set(.undernourished, random.chance(undernourishedChance), &random)

        // Contact: mobile phones for most adults, e-mail for the better off and the young.
        var phone = ""
        if age >= 14, random.chance(DemoMath.ramp(w + 0.8 - (age >= 70 ? 1.0 : 0), 0.35, 0.95)) {
            // A mobile: 300 to 324, then seven digits.
            phone = DemoText.prefixed(
                Self.callingCode, 3_000_000_000 + random.below(25) * 10_000_000 + random.below(10_000_000), width: 10
            )
            row.set(.phone, phone, &random)
        }
        if (18...75).contains(age),
           random.chance(DemoMath.ramp(w + 0.3 - (age >= 50 ? 0.8 : 0), 0.03, 0.7)) {
            row.set(.email, email(person, using: &random, domains: region.names.mailDomains), &random)
        }
        return PersonOutcome(row: row.cells, works: works, formal: formal, birthDay: birthDay, phone: phone)
    }

    /// How common each Washington Group difficulty is relative to the others: seeing,
    /// hearing, walking, cognition, self-care, communication.
    private static let functioningWeights = [1.3, 0.8, 1.1, 0.6, 0.35, 0.3]

    /// A national document number, unique in the registry: a bijective scramble of the
    /// person number into a range that depends on the generation (older people hold the
    /// short numbers of older series, as with Colombia's cédulas).
    private func documentNumber(person: Int, age: Int) -> String {
        let number = UInt64(person)
        if age >= 50, number < 1 << 26 {
            return String(10_000_000 + Int(DemoScramble.permute(number, bits: 26, key: documentKey)))
        }
        if age >= 35, number < 1 << 29 {
            return String(100_000_000 + Int(DemoScramble.permute(number, bits: 29, key: documentKey)))
        }
        return String(1_000_000_000 + Int(DemoScramble.permute(number, bits: 30, key: documentKey)))
    }

    /// An address built from the person's names: ASCII, lower case.
    private func email(_ person: DemoPerson, using random: inout DemoRandom, domains: [String]) -> String {
        var local = person.givenNames.slug
        if let surname = person.firstSurname {
            let separator = random.below(3)
            local += separator == 0 ? "." : separator == 1 ? "_" : ""
            local += surname.slug
        }
        if random.chance(0.6) { local += String(random.int(1...99)) }
        return local + "@" + domains[random.skewed(domains.count)]
    }

    /// A postal address in the local style: street grid in Spanish towns, street name and
    /// number in Portuguese ones, the vereda or sítio and a farm in the countryside.
    private func address(
        locality: DemoGeography.Locality, municipality: DemoGeography.Municipality, region: DemoGeography.Region,
        welfare: Double, using random: inout DemoRandom
    ) -> String {
        let book = region.streets
        let big = municipality.welfare > 0.3  // the capital and rich towns have long street grids
        switch (region.names.language, locality.urban) {
        case (.spanish, true):
            let street = book.streets[random.skewed(book.streets.count)]
            var text = street + " " + String(random.int(1...(big ? 180 : 40)))
            if random.chance(0.2) { text += random.chance(0.5) ? "A" : "B" }
            text += " # " + String(random.int(1...(big ? 120 : 30)))
            text += "-" + DemoText.padded(random.int(1...99), width: 2)
            if welfare > 0.8, random.chance(0.3) {
                text += ", apto " + String(random.int(1...20)) + "0" + String(random.int(1...4))
            }
            if random.chance(0.6) {
                text += ", barrio " + book.neighbourhoods[random.below(book.neighbourhoods.count)]
            }
            return text
        case (.spanish, false):
            // Highland communities have plots; elsewhere veredas have named farms or a milestone.
            if region.spec.style == .highland {
                return "Comunidad " + locality.name + ", parcela " + String(random.int(1...250))
            }
            if random.chance(0.6) {
                return "Vereda " + locality.name + ", finca " + book.farms[random.below(book.farms.count)]
            }
            return "Vereda " + locality.name + ", km " + String(random.int(1...35)) + " vía a " + municipality.name
        case (.portuguese, true):
            let street = book.streets[random.below(book.streets.count)]
            return street + ", " + String(random.int(1...2500)) + ", "
                + book.neighbourhoods[random.below(book.neighbourhoods.count)]
        case (.portuguese, false):
            if random.chance(0.5) {
                return "Sítio " + book.farms[random.below(book.farms.count)] + ", " + locality.name
            }
            return locality.name + ", Ramal " + String(random.int(1...20)) + ", lote " + String(random.int(1...300))
        }
    }
}

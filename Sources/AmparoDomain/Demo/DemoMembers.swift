/// One member of a generated household, before it is written out as a row.
struct DemoPerson {
    var relationship: Relationship
    var female: Bool
    /// Declares neither sex (`x`); rare.
    var otherSex = false
    /// Completed years at the reference date.
    var age: Int
    var givenNames: DemoName
    var firstSurname: DemoName?
    var secondSurname: DemoName?
    var ethnicity: DemoEthnicity
    /// Draw order, to break ties when members are sorted (keeps the order deterministic).
    var order: Int

    /// The surname that a Portuguese-speaking family passes on: the last one.
    var lastSurname: DemoName? { secondSurname ?? firstSurname }
}

/// Self-identified ethnicity, as a code of the country's list.
enum DemoEthnicity: Int {
    case none, indigenous, afrodescendant, rrom

    var code: String {
        switch self {
        case .none: "none"
        case .indigenous: "indigenous"
        case .afrodescendant: "afrodescendant"
        case .rrom: "rrom"
        }
    }
}

/// Who lives in a household: sizes, relationships, ages, sexes and names, following
/// census patterns (nuclear families, single mothers, grandparents raising grandchildren,
/// elderly people alone).
struct DemoFamilyBuilder {
    let region: DemoGeography.Region
    let rural: Bool
    let welfare: Double
    let ethnicity: DemoEthnicity

    private var names: DemoNameBook { region.names }
    private var spanish: Bool { region.names.language == .spanish }

    /// Household size: census-like, larger in rural and poorer households.
    func size(using random: inout DemoRandom) -> Int {
        var size = 1 + random.weighted(rural ? Self.ruralSizes : Self.urbanSizes)
        if size == 9 { size += random.below(4) }  // the open class "9 or more": 9 to 12
        if welfare < -1, size >= 3, size < 12, random.chance(0.15) { size += 1 }
        return size
    }

    // Cumulative shares of sizes 1…8 and 9+.
    private static let urbanSizes: [Double] = cumulative([0.15, 0.23, 0.24, 0.19, 0.10, 0.05, 0.02, 0.01, 0.01])
    private static let ruralSizes: [Double] = cumulative([0.13, 0.19, 0.20, 0.18, 0.12, 0.08, 0.045, 0.025, 0.03])

    // Ages of heads: 18–29, 30–44, 45–59, 60–74, 75–94; people alone are older or younger.
    private static let headAgeBands = [(18, 29), (30, 44), (45, 59), (60, 74), (75, 94)]
    private static let headAgesAlone: [Double] = cumulative([0.20, 0.15, 0.20, 0.25, 0.20])
    private static let headAgesFamily: [Double] = cumulative([0.17, 0.33, 0.28, 0.16, 0.06])

    static func cumulative(_ shares: [Double]) -> [Double] {
        var total = 0.0
        return shares.map { total += $0; return total }
    }

    /// Fills `people` with the members of a household of `size`, the head first.
    func build(size: Int, into people: inout [DemoPerson], using random: inout DemoRandom) {
        people.removeAll(keepingCapacity: true)
        let hasSpouse = size >= 2 && random.chance(size == 2 ? 0.6 : 0.74)
        let headFemale = hasSpouse ? random.chance(0.33) : random.chance(size == 1 ? 0.5 : 0.72)
        let band = Self.headAgeBands[random.weighted(size == 1 ? Self.headAgesAlone : Self.headAgesFamily)]
        let headAge = random.int(band.0...band.1)

        var head = person(.head, female: headFemale, age: headAge, ethnicity: ethnicity, order: 0, using: &random)
        head.firstSurname = surname(for: ethnicity, using: &random)
        head.secondSurname = secondSurnameOrNone(for: ethnicity, after: head.firstSurname, using: &random)
        if headAge >= 18, random.chance(0.0008) { head.otherSex = true }
        people.append(head)

        var spouse: DemoPerson?
        if hasSpouse {
            // Same-sex couples are a small minority; otherwise the man is a few years older.
            let sameSex = random.chance(0.01)
            let spouseFemale = sameSex ? headFemale : !headFemale
            let gap = Int((3 + 3.5 * random.normal()).rounded())
            let spouseAge = DemoMath.clamp(headFemale ? headAge + gap : headAge - gap, 18, 98)
            let spouseEthnicity = random.chance(0.8) ? ethnicity : otherEthnicity(using: &random)
            var partner = person(.spouse, female: spouseFemale, age: spouseAge, ethnicity: spouseEthnicity, order: 1,
                                 using: &random)
            partner.firstSurname = surname(for: spouseEthnicity, using: &random)
            partner.secondSurname = secondSurnameOrNone(for: spouseEthnicity, after: partner.firstSurname,
                                                            using: &random)
            spouse = partner
            people.append(partner)
        }

        // The parents of the head's children: the mother's age bounds the children's ages.
        let mother: DemoPerson? = head.female ? head : (spouse?.female == true ? spouse : nil)
        let father: DemoPerson? = !head.female ? head : (spouse.map { $0.female ? nil : $0 } ?? nil)
        let motherAge = max(17, mother?.age ?? headAge - 4)
        // The family surname that grandchildren carry on.
        let family = childSurnames(father: father, mother: mother, using: &random)
        let lineage = spanish ? family.first : (family.second ?? family.first)

        var parentsOfHead = 0
        var firstParentFemale = false
        var childAges: UInt64 = 0  // bit n set: a child aged n (children are under 64)
        for slot in people.count..<size {
            let grandchildWeight = headAge >= 55 ? 0.35 : (headAge >= 42 ? 0.1 : 0)
            let parentWeight = headAge <= 55 && parentsOfHead < 2 ? (headAge < 30 ? 0.15 : 0.07) : 0
            let u = random.unit()
            var relationship = Relationship.child
            if u < grandchildWeight {
                relationship = .grandchild
            } else if u < grandchildWeight + parentWeight {
                relationship = .parent
            } else if u < grandchildWeight + parentWeight + 0.05 {
                relationship = .sibling
            } else if u < grandchildWeight + parentWeight + 0.10 {
                relationship = .otherRelative
            } else if u < grandchildWeight + parentWeight + 0.115 {
                relationship = .nonRelative
            }
            // Children living at home are rarely over 40: old heads have grandchildren instead.
            if relationship == .child, motherAge > 78, random.chance(0.6) { relationship = .grandchild }

            switch relationship {
            case .child:
                // Siblings of the same age are twins, which are rare: draw again.
                var age = childAge(motherAge: motherAge, using: &random)
                var tries = 0
                while tries < 3, childAges & (1 << UInt64(age)) != 0, !random.chance(0.03) {
                    age = childAge(motherAge: motherAge, using: &random)
                    tries += 1
                }
                childAges |= 1 << UInt64(age)
                var child = kin(.child, age: age, order: slot, using: &random)
                let surnames = childSurnames(father: father, mother: mother, using: &random)
                child.firstSurname = surnames.first
                child.secondSurname = surnames.second
                people.append(child)
            case .grandchild:
                // Grandparents are 36 or more years older; most grandchildren at home are minors.
                let oldest = max(0, headAge - 36)
                let age = random.int(0...(random.chance(0.9) ? min(17, oldest) : oldest))
                var grandchild = kin(.grandchild, age: age, order: slot, using: &random)
                let outsider = surname(for: grandchild.ethnicity, using: &random)
                // Through a son the family surname comes first, through a daughter second.
                if random.chance(0.5) {
                    grandchild.firstSurname = lineage
                    grandchild.secondSurname = outsider
                } else {
                    grandchild.firstSurname = outsider
                    grandchild.secondSurname = lineage
                }
                people.append(grandchild)
            case .parent:
                parentsOfHead += 1
                let age = min(99, headAge + random.int(18...38))
                // Widowed mothers outnumber fathers; a second parent completes the couple.
                let isFemale = parentsOfHead == 1 ? random.chance(0.65) : !firstParentFemale
                if parentsOfHead == 1 { firstParentFemale = isFemale }
                var parent = kin(.parent, age: age, order: slot, using: &random)
                parent.female = isFemale
                parent.givenNames = names.givenName(female: isFemale, age: age, using: &random)
                // The head carries the father's first surname and the mother's first surname
                // (Spanish); the mother's and then the father's (Portuguese).
                let passed = isFemale ? (spanish ? head.secondSurname : head.firstSurname)
                                      : (spanish ? head.firstSurname : head.lastSurname)
                let other = surname(for: parent.ethnicity, using: &random)
                parent.firstSurname = spanish ? (passed ?? other) : other
                parent.secondSurname = spanish ? other : (passed ?? other)
                people.append(parent)
            case .sibling:
                let age = max(0, headAge + random.int(-12...12))
                var sibling = kin(.sibling, age: age, order: slot, using: &random)
                sibling.firstSurname = head.firstSurname
                sibling.secondSurname = random.chance(0.85) ? head.secondSurname : surname(for: ethnicity, using: &random)
                people.append(sibling)
            case .otherRelative:
                let age = random.int(0...80)
                var relative = kin(.otherRelative, age: age, order: slot, using: &random)
                relative.firstSurname = random.chance(0.5) ? head.firstSurname : surname(for: ethnicity, using: &random)
                relative.secondSurname = secondSurnameOrNone(for: ethnicity, after: relative.firstSurname, using: &random)
                people.append(relative)
            case .nonRelative, .head, .spouse:
                let age = random.chance(0.8) ? random.int(16...65) : random.int(0...15)
                let ownEthnicity = random.chance(0.5) ? ethnicity : otherEthnicity(using: &random)
                var lodger = person(.nonRelative, female: random.chance(0.6), age: age, ethnicity: ownEthnicity,
                                    order: slot, using: &random)
                lodger.firstSurname = surname(for: ownEthnicity, using: &random)
                lodger.secondSurname = secondSurnameOrNone(for: ownEthnicity, after: lodger.firstSurname, using: &random)
                people.append(lodger)
            }
        }

        // A family seldom has two members of the same given names: redraw once.
        for index in people.indices.dropFirst() where people[index].givenNames.text == head.givenNames.text {
            people[index].givenNames = names.givenName(female: people[index].female, age: people[index].age, using: &random)
        }

        // Registries list the head, the spouse, then children from the eldest, then others.
        people.sort { a, b in
            let rankA = Self.rank(a.relationship), rankB = Self.rank(b.relationship)
            if rankA != rankB { return rankA < rankB }
            if a.age != b.age { return a.age > b.age }
            return a.order < b.order
        }
    }

    /// The age of a child of a mother of `motherAge`: births peak in the late twenties
    /// and fall between 15 and 44; children over 38 rarely still live at home.
    private func childAge(motherAge: Int, using random: inout DemoRandom) -> Int {
        for _ in 0..<4 {
            let ageAtBirth = 15 + Int((random.unit() + random.unit()) * 13)
            let age = motherAge - ageAtBirth
            if age >= 0, age <= 38 { return age }
        }
        let lowest = max(15, motherAge - 38)
        let highest = min(44, motherAge)
        return motherAge - (lowest <= highest ? random.int(lowest...highest) : motherAge)
    }

    private static func rank(_ relationship: Relationship) -> Int {
        switch relationship {
        case .head: 0
        case .spouse: 1
        case .child: 2
        case .grandchild: 3
        case .parent: 4
        case .sibling: 5
        case .otherRelative: 6
        case .nonRelative: 7
        }
    }

    /// A relative of the head: usually shares the household's ethnicity.
    private func kin(_ relationship: Relationship, age: Int, order: Int, using random: inout DemoRandom) -> DemoPerson {
        let ownEthnicity = random.chance(0.93) ? ethnicity : otherEthnicity(using: &random)
        return person(relationship, female: random.chance(0.49), age: age, ethnicity: ownEthnicity, order: order,
                      using: &random)
    }

    private func person(
        _ relationship: Relationship, female: Bool, age: Int, ethnicity: DemoEthnicity, order: Int,
        using random: inout DemoRandom
    ) -> DemoPerson {
        DemoPerson(
            relationship: relationship, female: female, age: age,
            givenNames: names.givenName(female: female, age: age, using: &random),
            ethnicity: ethnicity, order: order
        )
    }

    /// The surnames of a child of the head, as custom goes: in Spanish the father's first
    /// surname then the mother's first; in Portuguese the mother's last then the father's
    /// last. With no father at home, often the mother's two surnames.
    private func childSurnames(
        father: DemoPerson?, mother: DemoPerson?, using random: inout DemoRandom
    ) -> (first: DemoName?, second: DemoName?) {
        if spanish {
            switch (father, mother) {
            case let (father?, mother?):
                return (father.firstSurname, mother.firstSurname)
            case let (nil, mother?):
                return random.chance(0.5)
                    ? (mother.firstSurname, mother.secondSurname)
                    : (surname(for: ethnicity, using: &random), mother.firstSurname)
            case let (father?, nil):
                return (father.firstSurname, surname(for: ethnicity, using: &random))
            case (nil, nil):
                return (surname(for: ethnicity, using: &random), nil)
            }
        }
        switch (father, mother) {
        case let (father?, mother?):
            return random.chance(0.15) ? (father.lastSurname, nil) : (mother.lastSurname, father.lastSurname)
        case let (nil, mother?):
            return random.chance(0.5) ? (mother.firstSurname, mother.secondSurname) : (mother.lastSurname, nil)
        case let (father?, nil):
            return (surname(for: ethnicity, using: &random), father.lastSurname)
        case (nil, nil):
            return (surname(for: ethnicity, using: &random), nil)
        }
    }

    /// A surname for someone from outside the family line, matching their ethnicity.
    private func surname(for ethnicity: DemoEthnicity, using random: inout DemoRandom) -> DemoName {
        switch ethnicity {
        case .indigenous: names.surname(region.spec.indigenousSurnames, groupShare: 0.65, using: &random)
        case .afrodescendant: names.surname(.afrodescendant, groupShare: 0.45, using: &random)
        case .none, .rrom: names.surname(.common, groupShare: 0, using: &random)
        }
    }

    /// A second surname, sometimes missing (more often in Portuguese, where one surname is common).
    /// One that repeats the first is drawn again once: "Rodríguez Rodríguez" happens, but seldom.
    private func secondSurnameOrNone(
        for ethnicity: DemoEthnicity, after first: DemoName?, using random: inout DemoRandom
    ) -> DemoName? {
        if random.chance(spanish ? 0.03 : 0.12) { return nil }
        let second = surname(for: ethnicity, using: &random)
        return second.text == first?.text ? surname(for: ethnicity, using: &random) : second
    }

    /// An ethnicity drawn from the region's shares (for spouses and lodgers from elsewhere).
    func otherEthnicity(using random: inout DemoRandom) -> DemoEthnicity {
        Self.ethnicity(region: region.spec, rural: rural, using: &random)
    }

    /// The ethnicity of a household head: minorities are more frequent in rural areas.
    static func ethnicity(region: DemoRegionSpec, rural: Bool, using random: inout DemoRandom) -> DemoEthnicity {
        var indigenous = region.indigenous * (rural ? 1.5 : 0.7)
        var afrodescendant = region.afrodescendant * (rural ? 1.15 : 0.9)
        var rrom = region.rrom * (rural ? 0.3 : 1.3)
        let total = indigenous + afrodescendant + rrom
        if total > 0.97 {
            indigenous *= 0.97 / total
            afrodescendant *= 0.97 / total
            rrom *= 0.97 / total
        }
        let u = random.unit()
        if u < indigenous { return .indigenous }
        if u < indigenous + afrodescendant { return .afrodescendant }
        if u < indigenous + afrodescendant + rrom { return .rrom }
        return .none
    }
}

/// The dwelling and belongings of a household, drawn from its latent welfare.
///
/// Each item reads the welfare plus its own noise (`quality`), so items agree with one
/// another as in real data (earth floors go with latrines and wood fires) without being
/// copies of one another. The region's building style picks among materials of the same
/// standing.
struct DemoDwelling {
    var floor = ""
    var walls = ""
    var roof = ""
    var waterSource = ""
    var waterMinutes = 0
    var sanitation = ""
    var sanitationShared = false
    var electricity = true
    var cookingFuel = ""
    /// Belongings as bits, in column order: radio, TV, phone, computer, fridge, bicycle,
    /// motorbike, car, animal cart (a bit set rather than an array: no allocation).
    var assets: UInt16 = 0
    static let assetCount = 9
    var sleepingRooms = 0

    init(welfare w: Double, rural: Bool, style: DemoHousingStyle, size: Int, using random: inout DemoRandom) {
        func quality() -> Double { w + 0.7 * random.normal() }
        let wet = style == .pacific || style == .amazon

        // Floor.
        var q = quality()
        if random.chance(0.01) {
            floor = "other"
        } else if rural {
            floor = q < (wet ? -1.7 : -1.0) ? "earth" : (wet && q < 0.3) || (style == .plains && q < -0.5) ? "wood"
                : q < 1.3 ? "cement" : "tile"
        } else {
            floor = q < -1.9 ? "earth" : (wet && q < -0.6) ? "wood" : q < 0.5 ? "cement" : "tile"
        }

        // Walls.
        q = quality()
        if random.chance(0.01) {
            walls = "other"
        } else if rural {
            switch style {
            case .andean: walls = q < -1.0 ? "bahareque" : q < -0.4 ? (random.chance(0.5) ? "adobe" : "bahareque") : "brick"
            case .highland: walls = q < 0.3 ? "adobe" : "brick"
            case .pacific, .amazon: walls = q < -2.2 ? "none" : q < 0.4 ? "wood" : "brick"
            case .plains: walls = q < -1.2 ? "bahareque" : q < -0.4 ? (random.chance(0.5) ? "wood" : "zinc") : "brick"
            }
        } else {
            if q < -1.9 {
                walls = random.chance(0.4) ? "zinc" : random.chance(0.5) ? "cardboard" : "wood"
            } else if q < -1.1 {
                walls = wet ? "wood" : style == .highland ? "adobe" : style == .andean ? "bahareque" : "zinc"
            } else {
                walls = q < 1.0 || random.chance(0.5) ? "brick" : "concrete"
            }
        }

        // Roof.
        q = quality()
        if random.chance(0.01) {
            roof = "other"
        } else if rural {
            let thatchBelow = wet || style == .plains ? -1.2 : style == .highland ? -1.0 : -2.2
            roof = q < thatchBelow ? "thatch" : q < 1.2 ? (style == .andean && random.chance(0.4) ? "tile" : "zinc")
                : random.chance(0.5) ? "concrete" : "tile"
        } else {
            roof = q < 0.6 ? "zinc" : q < 1.1 ? (random.chance(0.5) ? "tile" : "zinc") : "concrete"
        }

        // Water: piped at home in towns, wells, springs, rivers and rain in the countryside.
        q = quality()
        if rural {
            if q < -1.2 {
                waterSource = wet ? (random.chance(0.5) ? "river" : "rain") : random.chance(0.5) ? "unprotected_well" : "spring"
            } else if q < -0.5 {
                waterSource = random.chance(0.5) ? "spring" : "unprotected_well"
            } else if q < 0.2 {
                waterSource = random.chance(0.6) ? "protected_well" : "public_tap"
            } else if q < 0.9 {
                waterSource = "piped_yard"
            } else {
                waterSource = "piped_dwelling"
            }
        } else {
            if q < -1.8 {
                waterSource = random.chance(0.5) ? "public_tap" : "truck"
            } else if q < -1.0 {
                waterSource = "piped_yard"
            } else if q > 1.6, random.chance(0.1) {
                waterSource = "bottled"
            } else {
                waterSource = "piped_dwelling"
            }
        }
        if random.chance(0.004) { waterSource = "other" }
        switch waterSource {
        case "piped_dwelling", "piped_yard", "bottled", "truck", "rain": waterMinutes = 0
        case "public_tap", "protected_well": waterMinutes = 5 + random.below(26)
        case "other": waterMinutes = random.below(30)
        default: waterMinutes = 10 + random.below(q < -1.8 ? 110 : 50)  // unprotected sources, fetched
        }

        // Sanitation.
        q = quality()
        if rural {
            sanitation = q < -1.6 ? "none" : q < -0.8 ? "unimproved_latrine" : q < 0.1 ? "improved_latrine"
                : q < 1.9 ? "septic" : "sewer"
        } else {
            sanitation = q < -1.9 ? "unimproved_latrine" : q < -1.4 ? "improved_latrine" : q < -0.8 ? "septic" : "sewer"
        }
        if random.chance(0.004) { sanitation = "other" }
        sanitationShared = sanitation != "none" && random.chance(DemoMath.ramp(-1.5 * w - (rural ? 0 : 0.5), 0.01, 0.4))

        // Electricity: almost universal in towns, missing in remote poor places.
        q = quality()
        electricity = rural ? random.chance(DemoMath.ramp(1.5 * q + 2.5 - (wet ? 0.8 : 0), 0.3, 0.998))
            : random.chance(q < -2 ? 0.93 : 0.998)

        // Cooking fuel.
        q = quality()
        if random.chance(0.004) {
            cookingFuel = "none"
        } else if rural {
            if q < -0.5 {
                cookingFuel = style == .highland && random.chance(0.4) ? "dung" : random.chance(0.85) ? "wood" : "charcoal"
            } else if q < 0 {
                cookingFuel = random.chance(0.4) ? "wood" : random.chance(0.5) ? "charcoal" : "gas"
            } else {
                cookingFuel = electricity && q > 1.8 ? "electricity" : "gas"
            }
        } else {
            if q < -1.6 {
                cookingFuel = random.chance(0.4) ? "charcoal" : random.chance(0.5) ? "kerosene" : "wood"
            } else {
                cookingFuel = electricity && q > 1.2 && random.chance(0.4) ? "electricity" : "gas"
            }
        }

        // Belongings: appliances need electricity; carts and bicycles are rural.
        let hasPower = electricity
        var owned: UInt16 = 0
        let cartCountry = style == .highland || style == .plains
        let chances = (
            radio: DemoMath.ramp(-0.3 * w + (rural ? 0.3 : 0), 0.35, 0.7),
            tv: hasPower ? DemoMath.ramp(w + 1, 0.45, 0.98) : 0.05,
            phone: DemoMath.ramp(w + 1, 0.6, 0.99),
            computer: hasPower ? DemoMath.ramp(1.3 * w - 0.8 + (rural ? -0.6 : 0), 0.01, 0.85) : 0.01,
            fridge: hasPower ? DemoMath.ramp(1.3 * w + 0.6, 0.2, 0.98) : 0,
            bicycle: rural || style == .plains ? 0.32 : 0.18,
            motorbike: DemoMath.ramp(-abs(w) + (rural ? 0.4 : 0), 0.08, 0.45),
            car: DemoMath.ramp(1.4 * w - 1.2, 0.01, 0.7),
            cart: rural ? DemoMath.ramp(-w + (cartCountry ? 0.5 : -0.5), 0.01, 0.2) : 0
        )
        if random.chance(chances.radio) { owned |= 1 << 0 }
        if random.chance(chances.tv) { owned |= 1 << 1 }
        if random.chance(chances.phone) { owned |= 1 << 2 }
        if random.chance(chances.computer) { owned |= 1 << 3 }
        if random.chance(chances.fridge) { owned |= 1 << 4 }
        if random.chance(chances.bicycle) { owned |= 1 << 5 }
        if random.chance(chances.motorbike) { owned |= 1 << 6 }
        if random.chance(chances.car) { owned |= 1 << 7 }
        if rural, random.chance(chances.cart) { owned |= 1 << 8 }
        assets = owned

        // Rooms for sleeping grow with the household and its means; 0 is a one-room dwelling.
        let rooms = 1 + 0.3 * Double(size - 1) + 0.6 * w + 0.6 * random.normal()
        sleepingRooms = DemoMath.clamp(Int(rooms.rounded()), 0, 6)
        if sleepingRooms == 0, !random.chance(0.25) { sleepingRooms = 1 }
    }
}

/// The household columns the generator fills, in its own order.
///
/// Rows are written through `DemoRowLayout`, which looks each column up in
/// `ExchangeFormat`, so the rows stay aligned with the exchange format even if its column
/// order changes or the questionnaire gains fields (those are left empty).
enum DemoHouseholdField: Int, CaseIterable {
    case householdRef, areaCode, zone, address, latitude, longitude, phone, sleepingRooms
    case floor, walls, roof, waterSource, waterMinutes, sanitation, sanitationShared, electricity, cookingFuel
    case assetRadio, assetTV, assetPhone, assetComputer, assetFridge, assetBicycle, assetMotorbike, assetCar
    case assetAnimalCart
    case childDeath5y, monthlyIncome, registeredOn

    var column: String { Self.columns[rawValue] }

    private static let columns = [
        "household_ref", "area_code", "zone", "address", "latitude", "longitude", "phone", "sleeping_rooms",
        "floor", "walls", "roof", "water_source", "water_minutes", "sanitation", "sanitation_shared", "electricity",
        "cooking_fuel",
        "asset_radio", "asset_tv", "asset_phone", "asset_computer", "asset_fridge", "asset_bicycle", "asset_motorbike",
        "asset_car", "asset_animal_cart",
        "child_death_5y", "monthly_income", "registered_on",
    ]
}

/// The person columns the generator fills, in its own order.
enum DemoPersonField: Int, CaseIterable {
    case personRef, householdRef, relationship, idType, idNumber, givenNames, firstSurname, secondSurname
    case sex, birthDate, ethnicity, literate, schoolingYears, attendsSchool, schoolGrade, earlyChildhoodCare
    case works, pensionContributor, unemployedMonths, healthInsurance, neededCare, receivedCare, undernourished
    case wgSeeing, wgHearing, wgWalking, wgCognition, wgSelfcare, wgCommunication
    case phone, email

    var column: String { Self.columns[rawValue] }

    private static let columns = [
        "person_ref", "household_ref", "relationship", "id_type", "id_number", "given_names", "first_surname",
        "second_surname", "sex", "birth_date", "ethnicity", "literate", "schooling_years", "attends_school",
        "school_grade", "early_childhood_care", "works", "pension_contributor", "unemployed_months",
        "health_insurance", "needed_care_30d", "received_care_30d", "undernourished",
        "wg_seeing", "wg_hearing", "wg_walking", "wg_cognition", "wg_selfcare", "wg_communication",
        "phone", "email",
    ]
}

/// Where each generated field goes in an exchange-format row, and how often it is left
/// empty as "not known".
struct DemoRowLayout: Sendable {
    /// Number of cells in a row.
    let width: Int
    /// Output position of each field (by raw value), or -1 when the format lacks the column.
    let positions: [Int]
    /// Chance, as a fraction of 2^64, that a field is reported as not known; 0 for keys and
    /// for fields that are blanked only together with another (coordinates, documents).
    let blankThresholds: [UInt64]

    init(columns: [String], fields: [String], blankRates: [Double]) {
        width = columns.count
        positions = fields.map { columns.firstIndex(of: $0) ?? -1 }
        blankThresholds = blankRates.map { UInt64($0 * 18_446_744_073_709_551_615.0 * 0.999_999) }
    }

    /// A fresh row of empty cells.
    @inline(__always)
    func emptyRow() -> [String] {
        [String](repeating: "", count: width)
    }

    static let households: DemoRowLayout = {
        let fields = DemoHouseholdField.allCases
        return DemoRowLayout(
            columns: ExchangeFormat.householdColumns(),
            fields: fields.map(\.column),
            blankRates: fields.map { field in
                switch field {
                case .householdRef, .areaCode, .latitude, .longitude: 0
                case .zone, .registeredOn: 0.002
                case .phone: 0  // already often absent by design
                default: 0.012
                }
            }
        )
    }()

    static let persons: DemoRowLayout = {
        let fields = DemoPersonField.allCases
        return DemoRowLayout(
            columns: ExchangeFormat.individualColumns(),
            fields: fields.map(\.column),
            blankRates: fields.map { field in
                switch field {
                case .personRef, .householdRef, .relationship, .idType, .idNumber, .phone, .email: 0
                case .givenNames, .firstSurname, .sex, .birthDate: 0.001
                case .secondSurname: 0.004
                default: 0.012
                }
            }
        )
    }()
}

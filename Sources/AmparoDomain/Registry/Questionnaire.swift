/// The questionnaire a registry records: which answers a household and a person carry,
/// and what each answer may hold.
///
/// The fields drive validation at import, the storage columns and the API output, so a
/// country adds a field by adding it here (or, later, in configuration) rather than in
/// each layer. Columns of a file that are not in the questionnaire are kept as extra
/// attributes.
public struct Questionnaire: Sendable {
    /// The answers recorded once per household.
    public let householdFields: [Field]
    /// The answers recorded once per person.
    public let individualFields: [Field]

    public init(householdFields: [Field], individualFields: [Field]) {
        self.householdFields = householdFields
        self.individualFields = individualFields
    }

    /// One question of the questionnaire.
    public struct Field: Sendable, Hashable {
        /// Column name in the exchange format and in storage, e.g. `sleeping_rooms`.
        public let name: String
        public let kind: Kind

        public init(_ name: String, _ kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    /// What an answer may hold.
    public enum Kind: Sendable, Hashable {
        /// One of a closed list of lower-case codes.
        case code([String])
        /// A whole number within bounds.
        case integer(min: Int64, max: Int64)
        /// `0` or `1`.
        case flag
        /// An ISO 8601 calendar date, `YYYY-MM-DD`.
        case date
        /// A decimal with at most two fraction digits, e.g. an amount of money.
        case money
        /// Free text up to a length in characters.
        case text(maxLength: Int)
        /// A telephone number, E.164 where known (`+573001234567`).
        case phone
        case email
        case latitude
        case longitude
        /// A code from a list the country keeps (e.g. ethnicity): lower-case letters, digits, `_` and `-`.
        case openCode
    }
}

extension Questionnaire {
    /// The questionnaire Amparo ships with, as `shared/data-dictionary.md` defines it.
    public static let standard = Questionnaire(
        householdFields: [
            Field("zone", .code(["urban", "rural"])),
            Field("address", .text(maxLength: 500)),
            Field("latitude", .latitude),
            Field("longitude", .longitude),
            Field("phone", .phone),
            Field("sleeping_rooms", .integer(min: 0, max: 100)),
            Field("floor", .code(["earth", "cement", "tile", "wood", "other"])),
            Field("walls", .code(["brick", "concrete", "wood", "adobe", "bahareque", "zinc", "cardboard", "none", "other"])),
            Field("roof", .code(["concrete", "tile", "zinc", "thatch", "other"])),
            Field("water_source", .code([
                "piped_dwelling", "piped_yard", "public_tap", "protected_well", "unprotected_well",
                "spring", "river", "rain", "truck", "bottled", "other",
            ])),
            Field("water_minutes", .integer(min: 0, max: 1440)),
            Field("sanitation", .code(["sewer", "septic", "improved_latrine", "unimproved_latrine", "none", "other"])),
            Field("sanitation_shared", .flag),
            Field("electricity", .flag),
            Field("cooking_fuel", .code(["electricity", "gas", "kerosene", "charcoal", "wood", "dung", "none"])),
            Field("asset_radio", .flag),
            Field("asset_tv", .flag),
            Field("asset_phone", .flag),
            Field("asset_computer", .flag),
            Field("asset_fridge", .flag),
            Field("asset_bicycle", .flag),
            Field("asset_motorbike", .flag),
            Field("asset_car", .flag),
            Field("asset_animal_cart", .flag),
            Field("child_death_5y", .flag),
            Field("monthly_income", .money),
            Field("registered_on", .date),
        ],
        individualFields: [
            Field("id_type", .openCode),
            Field("id_number", .text(maxLength: 40)),
            Field("given_names", .text(maxLength: 200)),
            Field("first_surname", .text(maxLength: 100)),
            Field("second_surname", .text(maxLength: 100)),
            Field("sex", .code(["f", "m", "x"])),
            Field("birth_date", .date),
            Field("ethnicity", .openCode),
            Field("literate", .flag),
            Field("schooling_years", .integer(min: 0, max: 30)),
            Field("attends_school", .flag),
            Field("school_grade", .integer(min: 0, max: 20)),
            Field("early_childhood_care", .flag),
            Field("works", .flag),
            Field("pension_contributor", .flag),
            Field("unemployed_months", .integer(min: 0, max: 600)),
            Field("health_insurance", .flag),
            Field("needed_care_30d", .flag),
            Field("received_care_30d", .flag),
            Field("undernourished", .flag),
            Field("wg_seeing", .integer(min: 1, max: 4)),
            Field("wg_hearing", .integer(min: 1, max: 4)),
            Field("wg_walking", .integer(min: 1, max: 4)),
            Field("wg_cognition", .integer(min: 1, max: 4)),
            Field("wg_selfcare", .integer(min: 1, max: 4)),
            Field("wg_communication", .integer(min: 1, max: 4)),
            Field("phone", .phone),
            Field("email", .email),
        ]
    )
}

/// The relationship of a person to the head of their household.
public enum Relationship: String, Sendable, CaseIterable, Codable {
    case head, spouse, child, grandchild, parent, sibling
    case otherRelative = "other_relative"
    case nonRelative = "non_relative"
}

/// The levels of the administrative hierarchy, from the top down.
public enum AreaLevel: String, Sendable, CaseIterable, Codable, Comparable {
    case country, region, province, municipality, locality

    /// Depth in the hierarchy: the country is 0.
    public var depth: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: AreaLevel, rhs: AreaLevel) -> Bool { lhs.depth < rhs.depth }
}

/// The bulk exchange format of `shared/data-dictionary.md`: three UTF-8 CSV files whose
/// columns are the keys below followed by the questionnaire's fields, in any order.
public enum ExchangeFormat {
    public static let areasFile = "areas.csv"
    public static let householdsFile = "households.csv"
    public static let individualsFile = "individuals.csv"

    public static let areaColumns = ["area_code", "name", "level", "parent_code"]
    /// Keys of households.csv that are not questionnaire answers.
    public static let householdKeyColumns = ["household_ref", "area_code"]
    /// Keys of individuals.csv that are not questionnaire answers.
    public static let individualKeyColumns = ["person_ref", "household_ref", "relationship"]

    /// Every column of households.csv, in the order Amparo writes them.
    public static func householdColumns(_ questionnaire: Questionnaire = .standard) -> [String] {
        householdKeyColumns + questionnaire.householdFields.map(\.name)
    }

    /// Every column of individuals.csv, in the order Amparo writes them.
    public static func individualColumns(_ questionnaire: Questionnaire = .standard) -> [String] {
        individualKeyColumns + questionnaire.individualFields.map(\.name)
    }
}

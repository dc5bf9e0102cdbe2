import AmparoDomain
import Foundation

/// Numbers, shares and dates as the reader's locale writes them: `1.234,5` and
/// `14 nov 2026` in Spanish and Portuguese, `1,234.5` and `Nov 14, 2026` in English.
struct PageFormat: Sendable {
    let locale: Locale
    private let utc = TimeZone(identifier: "UTC") ?? .current

    /// Spanish as written in Colombia (`1.234,5`, not Mexico's `1,234.5`), Portuguese as in
    /// Brazil, English as in the United States; a country setting may refine this later.
    init(_ language: Language) {
        let identifiers: [Language: String] = [.es: "es_CO", .pt: "pt_BR", .en: "en_US"]
        locale = Locale(identifier: identifiers[language] ?? "en_US")
    }

    func count(_ value: some BinaryInteger) -> String {
        Int64(value).formatted(.number.locale(locale))
    }

    func count(_ value: Double) -> String {
        value.formatted(.number.locale(locale).precision(.fractionLength(0...1)))
    }

    func decimal(_ value: Double, places: Int = 3) -> String {
        value.formatted(.number.locale(locale).precision(.fractionLength(places)))
    }

    func percent(_ share: Double, places: Int = 1) -> String {
        share.formatted(.percent.locale(locale).precision(.fractionLength(places)))
    }

    /// An amount of money in hundredths, in the currency given (ISO 4217), as the language writes it.
    func money(_ hundredths: Int64, currency: String) -> String {
        (Decimal(hundredths) / 100).formatted(.currency(code: currency).locale(locale))
    }

    /// A probability as a share; so close to certain that rounding would say 100 %, it says so.
    func probability(_ value: Double) -> String {
        value > 0.9999 ? "> " + percent(0.9999, places: 2) : percent(value, places: value > 0.99 ? 2 : 1)
    }

    /// A calendar date such as a birth date, with the month in words so that day and month
    /// cannot be confused.
    func date(_ date: CalendarDate) -> String {
        guard let value = Calendar(identifier: .gregorian).date(from: DateComponents(
            timeZone: utc, year: date.year, month: date.month, day: date.day)) else { return date.description }
        var style = Date.FormatStyle(date: .abbreviated, time: .omitted, locale: locale, timeZone: utc)
        style.calendar = Calendar(identifier: .gregorian)
        return value.formatted(style)
    }

    /// A stored moment (ISO 8601), in the server's time of reference, UTC.
    func moment(_ iso: String) -> String {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let value = withFraction.date(from: iso) ?? ISO8601DateFormatter().date(from: iso) else { return iso }
        return value.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: locale, timeZone: utc)) + " UTC"
    }
}

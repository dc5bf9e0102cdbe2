import SQLKit

/// The condition that keeps a query to some areas and every area below them.
enum AreaScope {
    /// ` AND (…)` on the area path in `column`, or nothing for nil (everywhere); an empty list
    /// keeps nothing. A prefix compared as text, never LIKE: area codes may hold `_`, which
    /// LIKE reads as a wildcard.
    static func filter(_ scopes: [String]?, column: String) -> SQLQueryString {
        guard let scopes else { return "" }
        var filter = SQLQueryString(" AND (1 = 0")
        for scope in scopes {
            filter += " OR substr(\(unsafeRaw: column), 1, \(unsafeRaw: String(scope.unicodeScalars.count))) = \(bind: scope)"
        }
        return filter + ")"
    }
}

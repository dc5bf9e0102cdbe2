/// Where the registry is kept: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A file path, or `:memory:` for a database that lives as long as the process.
    case sqlite(path: String)
    /// A `postgres://user:password@host:port/database` URL.
    case postgres(url: String)

    /// The default: `amparo.sqlite` in the working directory.
    public static let defaultLocation = DatabaseLocation.sqlite(path: "amparo.sqlite")

    /// Reads `--database` or `DATABASE_URL`: a postgres URL, or else a path to an SQLite file.
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The location for people to read: a password in a URL is never printed.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite \(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return "PostgreSQL" }
            let credentials = url[scheme.upperBound..<at]
            let user = credentials.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            return "PostgreSQL \(url[..<scheme.upperBound])\(user)@\(url[url.index(after: at)...])"
        }
    }
}

import ArgumentParser
import Foundation
import AmparoStorage

/// `--database`, shared by every command that opens the registry.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The registry's database: a path to an SQLite file, or postgres://user:password@host:port/name.",
        discussion: "Without it, DATABASE_URL is used, and without that, amparo.sqlite in the working directory.",
        valueName: "path-or-url"))
    var database: String?

    var location: DatabaseLocation {
        if let database { return DatabaseLocation(database) }
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty { return DatabaseLocation(url) }
        return .defaultLocation
    }

    /// Opens the database, runs `body`, and closes it whatever happens.
    func withDatabase<T: Sendable>(migrate: Bool, _ body: (RegistryDatabase) async throws -> T) async throws -> T {
        let database: RegistryDatabase
        do {
            database = try await RegistryDatabase.open(location)
        } catch let error as StorageError {
            throw ValidationError(error.description)
        }
        return try await database.run(migrating: migrate, body)
    }
}

/// Writes to standard error, where messages for people go while data goes to standard output.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

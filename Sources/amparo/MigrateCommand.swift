import ArgumentParser
import AmparoStorage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database's tables up to date with this version of Amparo.",
        discussion: "Applies, in order, the schema changes the database has not had yet. Running it again does nothing.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let applied = try await options.withDatabase(migrate: false) { database in
            try await Migrator(database: database).migrate()
        }
        print(applied.isEmpty ? "\(options.location): already up to date"
                              : "\(options.location): applied \(applied.joined(separator: ", "))")
    }
}

import ArgumentParser

/// `amparo`: the one program of the system. Each subcommand lives in its own file and only
/// reads its options and calls the library.
@main
struct Amparo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amparo",
        abstract: "Amparo, a social protection information system: the social registry and its tools.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, ImportCommand.self, DemoCommand.self,
            StatsCommand.self, TargetCommand.self, MPICommand.self, DedupCommand.self, LinkCommand.self,
            AreasCommand.self, HazardsCommand.self, StaffCommand.self, ClientCommand.self, AuditCommand.self, BenchCommand.self,
        ]
    )
}

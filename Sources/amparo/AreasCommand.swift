import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct AreasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "areas",
        abstract: "The registry's administrative areas.",
        subcommands: [LoadBoundaries.self])

    struct LoadBoundaries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "boundaries",
            abstract: "Load the outlines of areas from a GeoJSON file, for the maps of the back office.",
            discussion: """
            FILE is a GeoJSON FeatureCollection of Polygons or MultiPolygons, each feature carrying \
            the official code of its area in a property (--code-property). Every code must be an \
            area of the registry; if one is not, or the file is malformed, nothing is loaded and \
            the error says which feature is at fault. An area's earlier outline is replaced. \
            `amparo demo --out DIR` writes such a file, areas.geojson.
            """)

        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The GeoJSON file.") var file: String
        @Option(help: "The feature property that holds the area's code.") var codeProperty = "area_code"
        @Option(help: "Who loads the outlines, for the record.") var actor = "amparo areas boundaries"

        func run() async throws {
            guard let bytes = FileManager.default.contents(atPath: file) else {
                throw ValidationError("\(file) cannot be read")
            }
            let boundaries: [AreaBoundary]
            do {
                boundaries = try GeoJSON.boundaries(bytes, codeProperty: codeProperty)
            } catch {
                throw ValidationError("\(file): \(error)")
            }
            let loaded = try await options.withDatabase(migrate: true) { database in
                do {
                    return try await AreaBoundaries(database: database).load(boundaries, actor: actor)
                } catch let error as AreaBoundaryError {
                    throw ValidationError("\(file): \(error)")
                }
            }
            print("\(loaded) outlines loaded")
        }
    }
}

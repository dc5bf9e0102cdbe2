import ArgumentParser
import Foundation
import AmparoDomain
import AmparoStorage

struct HazardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hazards",
        abstract: "The hazard layers a climate vulnerability index measures distances to.",
        subcommands: [Load.self, List.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a hazard layer (flood zones, rivers, coast, landslide zones) from a GeoJSON file.",
            discussion: """
            FILE is a GeoJSON FeatureCollection of Polygons, MultiPolygons, LineStrings or \
            MultiLineStrings. The layer is stored under NAME (e.g. flood_zones), replacing a layer \
            of that name; a policy of kind climate names the layers it reads. A malformed file is \
            refused, naming the feature at fault, and nothing is stored. `amparo demo --out DIR` \
            writes the demo's layers as hazards-NAME.geojson.
            """)

        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The layer's name: lower-case letters, digits and _.") var name: String
        @Argument(help: "The GeoJSON file.") var file: String
        @Option(help: "Who loads the layer, for the record.") var actor = "amparo hazards load"

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file) cannot be read") }
            let layer = try await options.withDatabase(migrate: true) { database in
                do {
                    return try await HazardLayers(database: database).load(name, geojson: Array(data), actor: actor)
                } catch let error as HazardLayerError {
                    throw ValidationError("\(file): \(error)")
                }
            }
            print("\(name): \(layer.polygons.count) areas and \(layer.lines.count) lines loaded")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The hazard layers loaded.")

        @OptionGroup var options: DatabaseOptions

        func run() async throws {
            let layers = try await options.withDatabase(migrate: true) { try await HazardLayers(database: $0).all() }
            for (name, layer) in layers.sorted(by: { $0.key < $1.key }) {
                print("\(name.padding(toLength: 24, withPad: " ", startingAt: 0))\(layer.polygons.count) areas, \(layer.lines.count) lines")
            }
        }
    }
}

import Foundation
import AmparoDomain

/// Writes a demo registry as the three files of the exchange format, a megabyte at a time.
public enum DemoFiles {
    /// The file of area outlines written beside the three exchange files.
    public static let demoBoundariesFile = "areas.geojson"

    public struct Written: Sendable, Equatable {
        public var areas = 0
        public var households = 0
        public var individuals = 0
    }

    @discardableResult
    public static func write(_ registry: DemoRegistry, to directory: String,
                             progress: (Int) -> Void = { _ in }) throws -> Written {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func open(_ name: String) throws -> FileHandle {
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: path, contents: nil),
                  let handle = FileHandle(forWritingAtPath: path) else {
                throw ImportError.unreadable(file: path, reason: "cannot be written")
            }
            return handle
        }
        var written = Written()
        var csv = CSVWriter()
        let areas = try open(ExchangeFormat.areasFile)
        csv.writeRecord(ExchangeFormat.areaColumns)
        for row in registry.areaRows() {
            csv.writeRecord(row)
            written.areas += 1
        }
        try areas.write(contentsOf: csv.take())
        try areas.close()
        // The outlines, beside the exchange files: `amparo areas boundaries` loads them.
        let names = Dictionary(registry.areaRows().map { ($0[0], $0[1]) }, uniquingKeysWith: { first, _ in first })
        let outlines = try open(demoBoundariesFile)
        try outlines.write(contentsOf: Data(GeoJSON.featureCollection(registry.boundaries, names: names).utf8))
        try outlines.close()
        // The hazard layers, each in its file: `amparo hazards load NAME FILE` loads them.
        for layer in registry.hazardLayers {
            let file = try open("hazards-\(layer.name).geojson")
            try file.write(contentsOf: Data(GeoJSON.featureCollection(layer).utf8))
            try file.close()
        }

        let households = try open(ExchangeFormat.householdsFile)
        let individuals = try open(ExchangeFormat.individualsFile)
        defer {
            try? households.close()
            try? individuals.close()
        }
        var people = CSVWriter()
        csv.writeRecord(ExchangeFormat.householdColumns())
        people.writeRecord(ExchangeFormat.individualColumns())
        try registry.forEachHousehold { household, members in
            csv.writeRecord(household)
            for member in members { people.writeRecord(member) }
            written.households += 1
            written.individuals += members.count
            if csv.bytes.count > 1 << 20 { try households.write(contentsOf: csv.take()) }
            if people.bytes.count > 1 << 20 { try individuals.write(contentsOf: people.take()) }
            if written.households % 10_000 == 0 { progress(written.households) }
        }
        try households.write(contentsOf: csv.take())
        try individuals.write(contentsOf: people.take())
        progress(written.households)
        return written
    }
}

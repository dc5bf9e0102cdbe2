import Foundation
import AmparoDomain

/// Fills the registry with a demo registry, through the same import a census batch takes.
public struct DemoLoader: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    public func load(_ registry: DemoRegistry, progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("amparo-demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try DemoFiles.write(registry, to: folder)
        let summary = try await RegistryImport(database: database).run(
            directory: folder, options: ImportOptions(mode: .allOrNothing, actor: "demo"),
            problems: { _ in }, progress: progress)
        // The demo's outlines, so that its maps show at once.
        try await AreaBoundaries(database: database).load(registry.boundaries, actor: "demo")
        for layer in registry.hazardLayers { try await HazardLayers(database: database).store(layer, actor: "demo") }
        return summary
    }
}

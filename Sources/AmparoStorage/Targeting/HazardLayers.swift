import Foundation
import SQLKit
import AmparoDomain

/// Why a hazard layer was refused; nothing is stored then.
public enum HazardLayerError: Error, Sendable, Equatable, CustomStringConvertible {
    case badName(String)
    case badFile(GeoJSONProblem)

    public var description: String {
        switch self {
        case .badName(let name): "\"\(name)\" is not a layer name: lower-case letters, digits and _, e.g. flood_zones"
        case .badFile(let problem): problem.description
        }
    }
}

/// The hazard layers loaded, by name.
public struct HazardLayers: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// Reads a GeoJSON file's shapes and stores them under `name`, replacing a layer of
    /// that name. Returns the layer as read.
    @discardableResult
    public func load(_ name: String, geojson bytes: [UInt8], actor: String) async throws -> HazardLayer {
        guard !name.isEmpty, name.count <= 60,
              name.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }) else {
            throw HazardLayerError.badName(name)
        }
        let layer: HazardLayer
        do {
            layer = try GeoJSON.hazardLayer(bytes, name: name)
        } catch {
            throw HazardLayerError.badFile(error)
        }
        try await store(layer, actor: actor)
        return layer
    }

    /// Stores a layer already read (the demo's).
    public func store(_ layer: HazardLayer, actor: String) async throws {
        let text = GeoJSON.featureCollection(layer)
        try await database.transaction { db in
            try await db.raw("DELETE FROM hazard_layers WHERE name = \(bind: layer.name)").run()
            try await db.raw("""
                INSERT INTO hazard_layers (name, geojson, loaded_by, loaded_at)
                VALUES (\(bind: layer.name), \(bind: text), \(bind: actor), \(bind: Timestamp.now()))
                """).run()
        }
    }

    /// A policy compiled with the hazard layers it measures distances to, and only those:
    /// a policy that reads none loads none.
    public func engine(for policy: TargetingPolicy, questionnaire: Questionnaire,
                       policies: [String: TargetingPolicy]) async throws -> PolicyEngine {
        let checked = try PolicyEngine(policy: policy, questionnaire: questionnaire, policies: policies)
        guard !checked.hazardLayerNames.isEmpty else { return checked }
        return try PolicyEngine(policy: policy, questionnaire: questionnaire, policies: policies,
                                hazards: try await layers(named: checked.hazardLayerNames))
    }

    /// Every layer, by name.
    public func all() async throws -> [String: HazardLayer] {
        try await layers(named: nil)
    }

    /// The layers with these names that are loaded; every layer for nil.
    private func layers(named names: Set<String>?) async throws -> [String: HazardLayer] {
        let rows = try await database.read { db in
            var query = SQLQueryString("SELECT name, geojson FROM hazard_layers")
            if let names { query += " WHERE name IN (\(binds: names.sorted()))" }
            return try await db.raw(query).all()
        }
        var layers: [String: HazardLayer] = [:]
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            layers[name] = try GeoJSON.hazardLayer(Array(try row.decode(column: "geojson", as: String.self).utf8), name: name)
        }
        return layers
    }
}

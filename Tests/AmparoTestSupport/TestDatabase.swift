import Foundation
import AmparoStorage

/// The two databases every storage test runs on.
public enum TestDatabaseKind: String, CaseIterable, Sendable {
    case sqlite, postgres
}


/// A fresh, migrated, empty database for one test, removed afterwards.
///
/// PostgreSQL comes from `AMPARO_TEST_POSTGRES_URL` (the test script starts a throwaway
/// cluster and sets it); each test gets a database of its own on that server.
public enum TestDatabase {
    public static func with<T: Sendable>(_ kind: TestDatabaseKind, migrate: Bool = true,
                                         _ body: (RegistryDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let database = try await RegistryDatabase.open(.sqlite(path: folder + "/test.sqlite"))
            return try await run(database, migrate: migrate, body)
        case .postgres:
            guard let adminURL = ProcessInfo.processInfo.environment["AMPARO_TEST_POSTGRES_URL"] else {
                throw TestSetupError("AMPARO_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
            }
            let name = "amparo_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let admin = try await RegistryDatabase.open(DatabaseLocation(adminURL))
            try await admin.execute("CREATE DATABASE \(name)")
            do {
                let database = try await RegistryDatabase.open(.postgres(url: url(adminURL, database: String(name))))
                let result = try await run(database, migrate: migrate, body)
                try await admin.execute("DROP DATABASE \(name) WITH (FORCE)")
                try await admin.close()
                return result
            } catch {
                try? await admin.execute("DROP DATABASE \(name) WITH (FORCE)")
                try? await admin.close()
                throw error
            }
        }
    }

    /// The URL of the database open at the moment, for tests that start the `amparo` program.
    public static func url(_ adminURL: String, database: String) -> String {
        var components = URLComponents(string: adminURL)!
        components.path = "/" + database
        return components.string!
    }

    private static func run<T: Sendable>(_ database: RegistryDatabase, migrate: Bool,
                                         _ body: (RegistryDatabase) async throws -> T) async throws -> T {
        try await database.run(migrating: migrate, body)
    }

    public static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("amparo-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Exchange files written into a temporary folder for one test.
public struct ExchangeFolder: Sendable {
    public let path: String

    public init() throws {
        path = try TestDatabase.temporaryFolder()
    }

    public func write(_ name: String, _ text: String) throws {
        try write(name, bytes: Array(text.utf8))
    }

    public func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path).appendingPathComponent(name))
    }

    public func remove(_ name: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).appendingPathComponent(name))
    }

    public func delete() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

import ArgumentParser
import Foundation
import AmparoStorage
import AmparoWeb

/// Where the server's secret comes from: `AMPARO_SECRET` (64 hexadecimal digits or base64),
/// else the file `AMPARO_SECRET_FILE` names, else, for an SQLite registry, a file beside it
/// (`amparo.sqlite.secret`), made on first use and readable by its owner alone. Never the
/// database, never the command line (which every user of the machine can read).
enum SecretSource {
    static func load(for location: DatabaseLocation) throws -> ServerSecret {
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["AMPARO_SECRET"], !text.isEmpty { return try ServerSecret(text: text) }
        if let path = environment["AMPARO_SECRET_FILE"], !path.isEmpty {
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw ValidationError("AMPARO_SECRET_FILE names \(path), which cannot be read")
            }
            return try ServerSecret(text: text)
        }
        guard case .sqlite(let database) = location, database != ":memory:" else {
            throw ValidationError("""
                Set AMPARO_SECRET (64 hexadecimal digits, e.g. from `openssl rand -hex 32`) or AMPARO_SECRET_FILE: \
                on PostgreSQL every server of the registry must share the same secret.
                """)
        }
        let path = database + ".secret"
        if let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) {
            return try ServerSecret(text: text)
        }
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard FileManager.default.createFile(atPath: path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("the server's secret could not be written to \(path)")
        }
        print("Made the server's secret in \(path) (readable by its owner only); keep it out of backups of the database.")
        return try ServerSecret(text: hex)
    }
}

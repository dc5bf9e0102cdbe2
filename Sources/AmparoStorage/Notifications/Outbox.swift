import Foundation
import SQLKit
import AmparoDomain

/// Messages to people, kept in the database until they are sent: a message written in the
/// same transaction as what it announces survives a restart, and one that fails is tried
/// again. A `MessageCarrier` takes each message to its channel.
public struct Outbox: Sendable {
    public let database: RegistryDatabase

    public init(database: RegistryDatabase) {
        self.database = database
    }

    /// One message, as kept.
    public struct Message: Sendable, Equatable {
        public var id: Int64
        public var channel: ContactChannel
        public var destination: String
        public var body: String
        public var purpose: String
        public var attempts: Int
    }

    /// The purpose of a portal sign-in code.
    static let portalCode = "portal_code"

    /// Messages whose words are forgotten once sent.
    static let secretPurposes: Set<String> = [portalCode]

    /// Puts a message in the outbox, inside the caller's transaction.
    static func enqueue(_ channel: ContactChannel, to destination: String, body: String, purpose: String,
                        on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO outbox (channel, destination, body, purpose, created_at)
            VALUES (\(bind: channel.rawValue), \(bind: destination), \(bind: body), \(bind: purpose), \(bind: Timestamp.now()))
            """).run()
    }

    /// Messages not sent yet, oldest first, leaving aside those that failed `maximumAttempts`
    /// times: to look at the outbox; a sender takes them with `claim`.
    public func waiting(limit: Int = 100, maximumAttempts: Int = 10) async throws -> [Message] {
        try await database.read { db in
            try await db.raw("""
                SELECT id, channel, destination, body, purpose, attempts FROM outbox
                WHERE sent_at IS NULL AND attempts < \(bind: maximumAttempts) ORDER BY id LIMIT \(unsafeRaw: String(limit))
                """).all().map(Self.message)
        }
    }

    /// Takes waiting messages for one sender for `seconds`: another sender (a second server
    /// on the same database) passes them by meanwhile, so that no message goes twice. A
    /// sender that dies holding them leaves them to the next round after that.
    func claim(limit: Int = 100, maximumAttempts: Int = 10, seconds: TimeInterval = 60) async throws -> [Message] {
        let now = Timestamp.now(), until = Timestamp.string(Date().addingTimeInterval(seconds))
        let skipLocked = database.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await database.transaction { db in
            let messages = try await db.raw("""
                SELECT id, channel, destination, body, purpose, attempts FROM outbox
                WHERE sent_at IS NULL AND attempts < \(bind: maximumAttempts)
                  AND (claimed_until IS NULL OR claimed_until < \(bind: now))
                ORDER BY id LIMIT \(unsafeRaw: String(limit))\(unsafeRaw: skipLocked)
                """).all().map(Self.message)
            if !messages.isEmpty {
                try await db.raw("UPDATE outbox SET claimed_until = \(bind: until) WHERE id IN (\(binds: messages.map(\.id)))").run()
            }
            return messages
        }
    }

    private static func message(_ row: any SQLRow) throws -> Message {
        Message(id: try row.decode(column: "id", as: Int64.self),
                channel: ContactChannel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .sms,
                destination: try row.decode(column: "destination", as: String.self),
                body: try row.decode(column: "body", as: String.self),
                purpose: try row.decode(column: "purpose", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int.self))
    }

    /// Sends what waits through `carrier`; returns how many messages went. A message the
    /// carrier refuses stays, with the error, for the next round.
    @discardableResult
    public func deliver(through carrier: some MessageCarrier) async throws -> Int {
        var sent = 0
        for message in try await claim() {
            do {
                try await carrier.send(message)
                // A sign-in code is a secret: once it has left, the outbox keeps that it went, not what it said.
                let body = Self.secretPurposes.contains(message.purpose) ? "" : message.body
                try await database.transaction { db in
                    try await db.raw("""
                        UPDATE outbox SET sent_at = \(bind: Timestamp.now()), attempts = attempts + 1, body = \(bind: body)
                        WHERE id = \(bind: message.id)
                        """).run()
                }
                sent += 1
            } catch {
                let reason = String(String(describing: error).prefix(500))
                try await database.transaction { db in
                    try await db.raw("""
                        UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: reason), claimed_until = NULL
                        WHERE id = \(bind: message.id)
                        """).run()
                }
            }
        }
        return sent
    }
}

/// How a message reaches a person.
public enum ContactChannel: String, Sendable {
    case sms, email
}

/// Takes an outbox message to a phone or a mailbox: an SMS gateway, a mail server, or, in
/// development, the log.
public protocol MessageCarrier: Sendable {
    func send(_ message: Outbox.Message) async throws
}

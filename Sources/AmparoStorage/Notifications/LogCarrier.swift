import Logging

/// The carrier of development: writes each message to the log instead of sending it, so
/// that a one-time code can be read on the server's console. Until an SMS gateway or a mail
/// server is configured, it is the only carrier, and `serve` says so when it starts.
public struct LogCarrier: MessageCarrier {
    let logger: Logger

    public init(logger: Logger = Logger(label: "amparo.outbox")) {
        self.logger = logger
    }

    public func send(_ message: Outbox.Message) async throws {
        logger.notice("\(message.channel.rawValue) to \(message.destination): \(message.body)")
    }
}

import Foundation
import Logging
import PostgresNIO

/// Only one import writes to a registry at a time: two would race for the same refs and
/// registry numbers. The lock dies with the process that holds it, so an import killed
/// with SIGKILL never leaves the registry locked.
enum ImportLock {
    /// PostgreSQL: a session-level advisory lock on this key ("amparo" in ASCII).
    static let advisoryKey: Int64 = 0x616D_7061_726F
    /// PostgreSQL: how often, and how far apart, an import tries for the lock before it is
    /// refused: three seconds, longer than a run's look at the change history holds it.
    static let attempts = 31
    static let pause = Duration.milliseconds(100)

    /// PostgreSQL: gives the lock back before the connection returns to the pool, in a task
    /// of its own so that nothing of the caller's (its cancellation) stops it. A connection
    /// that cannot give it back is closed, which ends its hold: back in the pool still holding
    /// the lock, it would have every later import refused as busy.
    static func release(on connection: PostgresConnection, logger: Logger) async {
        await Task {
            do {
                try await connection.query("SELECT pg_advisory_unlock(\(advisoryKey))", logger: logger)
            } catch {
                try? await connection.close()
            }
        }.value
    }

    /// SQLite: an exclusive `flock` on a file beside the database. Not on the database file
    /// itself: closing a second descriptor of that file would drop SQLite's own locks.
    struct File: Sendable {
        private let descriptor: Int32

        init(beside databasePath: String, location: String) throws {
            let path = databasePath + "-import.lock"
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw StorageError.unreachable("cannot open \(path) to hold the import lock: \(String(cString: strerror(errno)))")
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                throw ImportError.busy(location)
            }
            self.descriptor = descriptor
        }

        func release() {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }
}

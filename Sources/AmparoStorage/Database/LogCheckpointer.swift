import Foundation
import NIOPosix
import Synchronization

/// Copies the write-ahead log of an SQLite registry back into its file on a thread of its
/// own, while a bulk job goes on writing.
///
/// Left to itself, the job's writing connection does that copy inside a commit whenever the
/// log has grown past its limit, and the job waits for it: an eighth of what the writing
/// thread of an import did (100,000 demo households, sampled with perf). Here
/// the copying is done beside the job, on the other core, as the log grows; when the
/// writer's own checkpoint comes, only the frames written since the last pass are left to
/// it, and the log starts again from the beginning as before. Passive checkpoints never
/// wait for the writer or for readers, and one that finds another under way gives up.
final class LogCheckpointer: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts checkpointing the file at `path` every `milliseconds` until `stop()`.
    init(path: String, milliseconds: Int = 20) throws {
        let file = try SQLiteFile(path: path)
        let pause = DispatchTimeInterval.milliseconds(milliseconds)
        Thread.detachNewThread { [self] in
            while !stopping.load(ordering: .acquiring) {
                file.checkpointPassively()
                _ = wake.wait(timeout: .now() + pause)
            }
            file.close()
            stopped.signal()
        }
    }

    /// Ends the thread once its pass under way is over.
    func stop() async {
        stopping.store(true, ordering: .releasing)
        wake.signal()
        // Waiting blocks: not on the cooperative threads.
        _ = try? await NIOThreadPool.singleton.runIfActive { self.stopped.wait() }
    }

    /// Runs `body` with a checkpointer beside it, stopped whatever `body` does.
    static func beside<T: Sendable>(_ path: String, _ body: () async throws -> T) async throws -> T {
        let checkpointer = try LogCheckpointer(path: path)
        do {
            let result = try await body()
            await checkpointer.stop()
            return result
        } catch {
            await checkpointer.stop()
            throw error
        }
    }
}

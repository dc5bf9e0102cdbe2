import Foundation
import Synchronization
import AmparoStorage

/// Shows how a long job advances: a bar redrawn in place on a terminal, a plain line now
/// and then when the output goes to a file or a log.
final class ProgressDisplay: Sendable {
    private let onTerminal = isatty(STDERR_FILENO) != 0
    private let state = Mutex<(key: String, lastPlain: Date, lastDraw: Date)>(("", .distantPast, .distantPast))

    func show(_ progress: ImportProgress) {
        show(key: "\(progress.stage.rawValue) \(progress.file)", done: progress.done, total: progress.total)
    }

    func show(_ progress: TargetingRun.Progress) {
        show(key: "\(progress.stage.rawValue) households" + (progress.rebuildingSnapshot ? ", rebuilding their snapshot" : ""), done: progress.done,
             total: progress.stage == .scoring ? progress.total : 0)
    }

    func show(key: String, done: Int64, total: Int64) {
        let progress = (done: done, total: total)
        let now = Date()
        let fraction = progress.total > 0 ? min(1, Double(progress.done) / Double(progress.total)) : 0
        let percent = Int(fraction * 100)
        let draw: Bool = state.withLock { state in
            let changed = state.key != key
            let due = onTerminal ? now.timeIntervalSince(state.lastDraw) > 0.1 : now.timeIntervalSince(state.lastPlain) > 5
            guard changed || due || percent == 100 else { return false }
            if onTerminal, changed, !state.key.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
            state.key = key
            state.lastDraw = now
            state.lastPlain = now
            return true
        }
        guard draw else { return }
        if onTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            let tail = progress.total > 0 ? "\(bar) \(percent)%" : "…"
            FileHandle.standardError.write(Data("\r\(key.padding(toLength: 30, withPad: " ", startingAt: 0)) \(tail)".utf8))
        } else {
            printError(progress.total > 0 ? "\(key): \(percent)%" : "\(key)…")
        }
    }

    func finish() {
        let drew = state.withLock { !$0.key.isEmpty }
        if onTerminal, drew { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

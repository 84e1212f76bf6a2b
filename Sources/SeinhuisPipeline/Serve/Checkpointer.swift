import Foundation
import Logging
import SeinhuisStore

/// Copies the write-ahead log into the database file on a thread of its own (`PRAGMA wal_checkpoint(PASSIVE)` every
/// half second), while the ingest connection's automatic checkpoint is off.
///
/// SQLite runs its automatic checkpoint inside the commit that crosses 1000 WAL pages, with an fsync: under load
/// (about once a second at 100k events/s) that stalled the ingest thread for 20 ms to 1 s on a busy disk, which is
/// most of the tail latency (docs/PERFORMANCE.md). A passive checkpoint never blocks the writer; durability is the
/// commit's (the WAL), not the checkpoint's.
final class Checkpointer: Sendable {
    private let stop = StopFlag()
    private let done = DispatchSemaphore(value: 0)

    init(path: String, intervalMs: Int = 500, logger: Logger) {
        let stop = self.stop
        let done = self.done
        let thread = Thread {
            defer { done.signal() }
            do {
                let db = try Database(path: path)
                var waited = 0
                while !stop.isSet {
                    usleep(10_000)
                    waited += 10
                    guard waited >= intervalMs else { continue }
                    waited = 0
                    try db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                }
            } catch {
                logger.error("checkpoints stopped", metadata: ["error": "\(error)"])
            }
        }
        thread.name = "seinhuis-checkpoint"
        thread.start()
    }

    /// Stops the thread and waits for it.
    func finish() {
        stop.set()
        done.wait()
    }
}

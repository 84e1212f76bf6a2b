import Foundation
import Logging
import SeinhuisCore
import SeinhuisPipeline
import SeinhuisStore
import ServiceLifecycle

/// `serve`'s daily purge (PROTOCOL 7): `retentionFirstRunMs` after the pipeline is ready, then every
/// `retentionEveryMs`, on its own thread and its own connection, in small transactions beside ingest's commits.
/// Each run is audited (`retention.purge`, actor `serve`) and logged with its counts. A failed run is logged and
/// tried again at the next time; it never stops serve. Graceful shutdown stops a run between two transactions.
struct RetentionService: Service {
    let config: ServeConfig
    let status: PipelineStatus
    let logger: Logger
    static let actor = "serve"

    func run() async throws {
        let config = self.config
        // The setting in force, for `seinhuis retention run` (which reads it when not told).
        do {
            try await Self.onThread { _ in
                let store = try Store(path: config.databasePath, durability: config.durability)
                try store.transaction { try store.setMeta(Store.retentionDaysKey, String(config.retentionDays)) }
            }
        } catch {
            logger.error("retention_days not stored", metadata: ["error": "\(error)"])
        }
        do {
            try await cancelWhenGracefulShutdown {
                while !status.isReady { try await Task.sleep(for: .milliseconds(50)) }
                try await Task.sleep(for: .milliseconds(config.retentionFirstRunMs))
                while true {
                    await runOnce()
                    try await Task.sleep(for: .milliseconds(config.retentionEveryMs))
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One purge, audited and logged.
    func runOnce() async {
        let config = self.config
        let logger = self.logger
        do {
            let counts = try await Self.onThread { stop in
                let store = try Store(path: config.databasePath, durability: config.durability)
                let plan = RetentionPlan(retentionDays: config.retentionDays, now: WallClock.now())
                let counts = try store.purge(plan, batching: config.retentionBatching, shouldStop: { stop.isSet })
                try store.auditPurge(counts, by: Self.actor, at: WallClock.now())
                return counts
            }
            logger.info(
                "retention purge",
                metadata: [
                    "retention.cutoff": "\(counts.cutoff.rfc3339)", "retention.purged": "\(counts.eventsPurged)",
                    "retention.evidence": "\(counts.eventsKeptAsEvidence)",
                    "retention.deferred": "\(counts.eventsDeferred)",
                    "retention.remaining": "\(counts.eventsRemaining)", "retention.ms": "\(counts.durationMs)",
                ])
        } catch {
            logger.error("retention purge failed; tried again at the next run", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `body` on a thread of its own (a purge blocks for a while; the concurrency pool has few threads), with
    /// a flag set when the task is cancelled.
    static func onThread<R: Sendable>(_ body: @escaping @Sendable (StopFlag) throws -> R) async throws -> R {
        let stop = StopFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (cont: CheckedContinuation<R, any Error>) in
                let thread = Thread {
                    do { cont.resume(returning: try body(stop)) } catch { cont.resume(throwing: error) }
                }
                thread.name = "seinhuis-retention"
                thread.start()
            }
        } onCancel: {
            stop.set()
        }
    }
}

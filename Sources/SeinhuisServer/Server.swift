import Foundation
import Hummingbird
import Logging
import SeinhuisCore
import SeinhuisHTTP
import SeinhuisPipeline
import ServiceLifecycle
import ZeroMQ

/// The ingest thread as a lifecycle service: started with the group, stopped on graceful shutdown.
struct IngestService: Service {
    let loop: IngestLoop

    func run() async throws {
        let stop = StopFlag()
        // Stop on graceful shutdown (signals) and on cancellation (a test or an embedding task ending the group).
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
                    let loop = self.loop
                    let thread = Thread {
                        do {
                            try loop.run(stop: stop)
                            cont.resume()
                        } catch {
                            cont.resume(throwing: error)
                        }
                    }
                    thread.name = "seinhuis-ingest"
                    thread.start()
                }
            } onGracefulShutdown: {
                stop.set()
            }
        } onCancel: {
            stop.set()
        }
    }
}

/// `seinhuis serve`: the pipeline, the HTTP API and metrics, as one service group with graceful shutdown on
/// SIGTERM and SIGINT.
public struct Server {
    public var config: ServeConfig
    public var logger: Logger
    public let metrics = PipelineMetrics()

    public init(config: ServeConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT (or the task's cancellation); `onReady` is called once the pipeline is ready.
    public func run(onReady: @escaping @Sendable () -> Void = {}) async throws {
        try config.checkLinks()
        // One ZeroMQ context for the pipeline and the console's feed, so the feed follows the PUB socket in-process
        // (inproc: no TCP, no I/O-thread work per publication) rather than over the TCP endpoint.
        let zmq = try ZMQContext()
        let loop = IngestLoop(config: config, metrics: metrics, logger: logger, context: zmq)
        loop.onReady = onReady
        let store = APIStore(path: config.databasePath)
        let live = LiveAlerts()
        let metrics = self.metrics
        let router = HTTPAPI.router(
            metrics: { metrics.text() }, isReady: { metrics.status.isReady }, changed: { metrics.status.poke() },
            store: store, live: live,
            sessions: Sessions(store: store, lifetimeSeconds: config.sessionHours * 3600), policy: config.policy,
            reviewScope: config.reviewScope, requestGuard: RequestGuard(extraOrigins: config.httpOrigins))
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(config.httpHost, port: config.httpPort), serverName: "seinhuis"),
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(
                        service: IngestService(loop: loop), successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(service: app, failureTerminationBehavior: .gracefullyShutdownGroup),
                    // Last, so it stops first: its end closes the consoles' event streams, which would otherwise
                    // hold the HTTP server's graceful shutdown up.
                    .init(
                        service: AlertFollower(
                            context: zmq, endpoint: IngestLoop.liveEndpoint, live: live, logger: logger),
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(
                        service: RetentionService(config: config, status: metrics.status, logger: logger),
                        successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}

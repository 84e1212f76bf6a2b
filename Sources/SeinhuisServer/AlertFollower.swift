import Foundation
import Logging
import SeinhuisCore
import SeinhuisHTTP
import SeinhuisPipeline
import SeinhuisStore
import ServiceLifecycle
import ZeroMQ

/// Follows the pipeline's own PUB socket with a SUB socket on a thread of its own and hands every publication to
/// `LiveAlerts`. The ingest thread is not touched: to it, the console is one more subscriber (libzmq copies a
/// message to each subscriber's pipe; it never waits for a slow one, it drops at the high-water mark). In serve it
/// connects in-process (`inproc`, the pipeline's context): no TCP and no I/O-thread work per publication.
struct AlertFollower: Service {
    /// The context to connect in (required for an `inproc` endpoint: the publisher's own).
    let context: ZMQContext?
    let endpoint: String
    let live: LiveAlerts
    let logger: Logger
    /// How often a keep-alive goes to every console (lets the server notice consoles that went away).
    var keepAliveSeconds = 15.0

    /// The address to connect to for a bound endpoint: a wildcard host becomes loopback.
    static func connectable(_ endpoint: String) -> String {
        endpoint.replacingOccurrences(of: "://*:", with: "://127.0.0.1:")
            .replacingOccurrences(of: "://0.0.0.0:", with: "://127.0.0.1:")
    }

    /// Receives one publication (waiting up to the socket's receive timeout) and hands it to the consoles that
    /// follow its queue. Whether anybody follows is asked once the message is there, not before waiting for it: a
    /// console that started following meanwhile gets it. Nobody following: the message is only drained (no copies,
    /// no strings).
    static func forward(_ sub: ZMQSocket, to live: LiveAlerts) throws {
        guard
            let (topic, more) = try sub.receive(
                dontWait: false,
                { bytes, more in (live.followerCount > 0 ? String(decoding: bytes, as: UTF8.self) : nil, more) }),
            more
        else { return }
        let queue = topic.flatMap(Queue.init(rawValue:))
        guard
            let (json, extra) = try sub.receive(
                dontWait: false, { bytes, more in (queue == nil ? nil : String(decoding: bytes, as: UTF8.self), more) })
        else { return }
        var rest = extra
        while rest { rest = try sub.receive(dontWait: false, { _, more in more }) ?? false }
        // A publication is two frames: the queue, then the alert.
        if let queue, let json, !extra { live.publish(queue: queue, json: json) }
    }

    func run() async throws {
        let stop = StopFlag()
        let endpoint = Self.connectable(self.endpoint)
        let live = self.live
        let logger = self.logger
        let context = self.context
        let keepAliveNanos = UInt64(keepAliveSeconds * 1e9)
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await withCheckedThrowingContinuation { (cont: CheckedContinuation<Void, any Error>) in
                    let thread = Thread {
                        do {
                            let ctx = try context ?? ZMQContext()
                            let sub = try ZMQSocket(ctx, .sub)
                            try sub.setLinger(0)
                            try sub.setReceiveHighWaterMark(100_000)
                            try sub.setReceiveTimeout(100)
                            try sub.subscribe("")
                            try sub.connect(endpoint)
                            var lastKeepAlive = WallClock.monotonicNanos()
                            while !stop.isSet {
                                try Self.forward(sub, to: live)
                                let now = WallClock.monotonicNanos()
                                if now - lastKeepAlive > keepAliveNanos {
                                    lastKeepAlive = now
                                    live.keepAlive()
                                }
                            }
                            live.finishAll()
                            cont.resume()
                        } catch {
                            logger.error("live alerts stopped", metadata: ["error": "\(error)"])
                            live.finishAll()
                            cont.resume(throwing: error)
                        }
                    }
                    thread.name = "seinhuis-console-feed"
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

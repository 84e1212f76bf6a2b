import SeinhuisCore
import Synchronization

/// What a console following a queue receives: an alert (its PROTOCOL 4.3 JSON) or a keep-alive.
enum LiveMessage: Sendable {
    case alert(String)
    case keepAlive
}

/// Fans alerts out to the consoles that follow a queue (`GET /api/v1/stream`). Publishing never blocks: each
/// follower has a bounded buffer that keeps the newest messages (a console that falls that far behind reloads
/// its list anyway when it reconnects).
public final class LiveAlerts: Sendable {
    private struct Follower {
        var queue: Queue
        var continuation: AsyncStream<LiveMessage>.Continuation
    }
    private let followers = Mutex<[UInt64: Follower]>([:])
    private let nextID = Atomic<UInt64>(0)
    private let finished = Atomic<Bool>(false)
    static let bufferSize = 512

    public init() {}

    /// A stream of the queue's alerts from now on; it ends when the server stops or the console goes away.
    func follow(_ queue: Queue) -> AsyncStream<LiveMessage> {
        let (stream, continuation) = AsyncStream<LiveMessage>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.bufferSize))
        let id = nextID.add(1, ordering: .relaxed).newValue
        continuation.onTermination = { [weak self] _ in
            _ = self?.followers.withLock { $0.removeValue(forKey: id) }
        }
        followers.withLock { $0[id] = Follower(queue: queue, continuation: continuation) }
        if finished.load(ordering: .acquiring) { continuation.finish() }
        return stream
    }

    /// Sends an alert's JSON to the followers of `queue`.
    public func publish(queue: Queue, json: String) {
        followers.withLock { fs in
            for f in fs.values where f.queue == queue { f.continuation.yield(.alert(json)) }
        }
    }

    /// Sends an alert to the followers of every queue it reached (after an action taken through the API).
    func publish(_ alert: Alert) {
        let json = alert.json
        for q in alert.queues { publish(queue: q, json: json) }
    }

    /// A keep-alive to every console (lets the server notice consoles that went away).
    public func keepAlive() {
        followers.withLock { fs in for f in fs.values { f.continuation.yield(.keepAlive) } }
    }

    /// How many consoles follow a queue now.
    public var followerCount: Int { followers.withLock { $0.count } }

    /// Ends every stream (graceful shutdown: open event streams must not hold the HTTP server up).
    public func finishAll() {
        finished.store(true, ordering: .releasing)
        let all = followers.withLock { fs in
            let v = Array(fs.values)
            fs.removeAll()
            return v
        }
        for f in all { f.continuation.finish() }
    }
}

import Foundation
import Logging
import SeinhuisCore
import Synchronization
import Testing
import ZeroMQ

@testable import SeinhuisHTTP

@testable import SeinhuisServer

/// The console's feed (`AlertFollower`): the pipeline's PUB socket followed in-process and fanned out to consoles.
@Suite("the console feed follows the PUB socket", .serialized)
struct AlertFollowerTests {
    /// Collects what a console following `queue` receives, on a task of its own.
    final class Console: @unchecked Sendable {
        // @unchecked: `alerts` is behind its mutex; `task` is set once in `init`.
        let alerts = Mutex<[String]>([])
        private var task: Task<Void, Never>?

        init(_ live: LiveAlerts, _ queue: Queue) {
            let stream = live.follow(queue)
            task = Task { [self] in
                for await m in stream { if case .alert(let json) = m { self.alerts.withLock { $0.append(json) } } }
            }
        }

        /// Polls until `json` has arrived (or `seconds` have passed).
        func received(_ json: String, within seconds: Double = 5) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if alerts.withLock({ $0.contains(json) }) { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            return false
        }

        func leave() { task?.cancel() }
    }

    /// A console that starts following gets the next publication, even when it is published at once: the feed was
    /// waiting for a message while nobody followed, and the message that ends that wait is a follower's. (It used
    /// to be drained unseen: the console loaded its list, went live, and missed the alert that came within the
    /// feed's first 100 ms, the browser test's flake.)
    @Test func aConsoleThatJustStartedFollowingGetsTheNextAlert() async throws {
        let ctx = try ZMQContext()
        let endpoint = "inproc://follower-test-\(UUID().uuidString)"
        let pub = try ZMQSocket(ctx, .pub)
        try pub.bind(endpoint)
        let live = LiveAlerts()
        let follower = AlertFollower(context: ctx, endpoint: endpoint, live: live, logger: Logger(label: "test"))
        let feed = Task { try await follower.run() }

        // The feed's SUB socket has joined once a probe reaches a console (PUB drops what comes before).
        let probe = Console(live, .cic)
        var joined = false
        for i in 0..<200 where !joined {
            try pub.send("cic", more: true)
            try pub.send("probe-\(i)")
            joined = try await probe.received("probe-\(i)", within: 0.05)
        }
        #expect(joined)
        probe.leave()
        for _ in 0..<200 where live.followerCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(live.followerCount == 0)
        // Nobody follows: the feed waits for messages to drain. A console follows and an alert comes at once.
        try await Task.sleep(for: .milliseconds(300))
        let console = Console(live, .vcet)
        try pub.send("vcet", more: true)
        try pub.send(#"{"id":"A-000000001"}"#)
        #expect(try await console.received(#"{"id":"A-000000001"}"#))
        console.leave()
        feed.cancel()
        try await feed.value
    }
}

import Foundation
import SeinhuisCore
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Synchronization
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// `simulator loadrun --mode fairness`: does a flooded PULL endpoint starve the reliable one? The reliable endpoint's
/// rate (acknowledged events per second, batches of `batch` with `window` in flight, as a gateway sends them) is
/// measured alone, then while another client floods PULL with new events as fast as it takes them. issue 14's
/// target: under the flood, at least half of the unloaded rate.
struct FairnessRun {
    let frames: FrameSet
    let serve: ServeProcess
    let reliable: String
    let seconds: Double
    let batch = 500
    let window = 4

    struct Phase {
        var events = 0
        var seconds = 0.0
        var ackMicros: [Double] = []
        var rate: Double { Double(events) / seconds }
    }

    /// Sends reliable batches from frame `from` on, for `seconds`; returns what was acknowledged and where it stopped.
    func reliablePhase(from: Int, to: Int) throws -> (Phase, next: Int) {
        let ctx = try ZMQContext()
        let dealer = try ZMQSocket(ctx, .dealer)
        try dealer.connect(reliable)
        var inFlight: [String: (count: Int, sentAt: UInt64)] = [:]
        var phase = Phase()
        var k = from
        var id = 0
        let t0 = monoNanos()
        let end = t0 + UInt64(seconds * 1e9)
        var poller = ZMQPoller([dealer])
        while true {
            let now = monoNanos()
            while now < end, inFlight.count < window, k < to {
                let n = min(batch, to - k)
                id += 1
                try dealer.send("f\(id)", more: true)
                for j in 0..<n { _ = try frames.withFrame(k + j) { try dealer.send($0, more: j < n - 1) } }
                inFlight["f\(id)"] = (n, monoNanos())
                k += n
            }
            if inFlight.isEmpty { break }
            guard try poller.poll(timeoutMs: 100)[0] else {
                if monoNanos() > end + 30_000_000_000 { throw LoadRunError("reliable batches not acknowledged") }
                continue
            }
            while let parts = try dealer.receiveMessage(dontWait: true) {
                guard let sent = inFlight.removeValue(forKey: String(decoding: parts[0], as: UTF8.self)) else { continue }
                phase.events += sent.count
                phase.ackMicros.append(Double(monoNanos() - sent.sentAt) / 1000)
            }
        }
        phase.seconds = Double(monoNanos() - t0) / 1e9
        phase.ackMicros.sort()
        return (phase, k)
    }

    /// Floods PULL with frames `from..<to` (then again from `from`: duplicates past the end) until `stop`.
    func flood(from: Int, to: Int, stop: StopSignal, sent: SentCount) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let ingest = serve.ingest
        let thread = Thread { [frames] in
            defer { done.signal() }
            guard let ctx = try? ZMQContext(), let push = try? ZMQSocket(ctx, .push) else { return }
            try? push.setSendHighWaterMark(100_000)
            try? push.connect(ingest)
            var k = from
            var n = 0
            while !stop.isSet {
                _ = try? frames.withFrame(k) { try push.send($0) }
                k = k + 1 < to ? k + 1 : from
                n += 1
                if n % 1024 == 0 { sent.value.store(n, ordering: .relaxed) }
            }
            sent.value.store(n, ordering: .relaxed)
            try? push.setLinger(0)
        }
        thread.name = "loadrun-flood"
        thread.start()
        return done
    }

    func run() throws -> String {
        // The frames in three parts: a sixth for reliable alone, a sixth for reliable under the flood, the rest for the
        // flood (PULL), so that it sends new events, not duplicates, for as long as it can.
        let sixth = frames.count / 6
        let (alone, next) = try reliablePhase(from: 0, to: sixth)
        let stop = StopSignal()
        let sent = SentCount()
        let floodDone = flood(from: 2 * sixth, to: frames.count, stop: stop, sent: sent)
        Thread.sleep(forTimeInterval: 0.5)  // the flood is up to speed
        let pullStart = serve.acceptedFromMetrics(source: "pull")
        let t0 = monoNanos()
        let (loaded, _) = try reliablePhase(from: max(next, sixth), to: 2 * sixth)
        let pullAccepted = serve.acceptedFromMetrics(source: "pull") - pullStart
        let pullSeconds = Double(monoNanos() - t0) / 1e9
        stop.set()
        floodDone.wait()
        func r(_ x: Double, _ d: Double = 1) -> String { x.isFinite ? String((x * d).rounded() / d) : "null" }
        var o = JSONObjectWriter()
        o.string("mode", "fairness")
        o.raw("reliable_alone_per_s", r(alone.rate))
        o.raw("reliable_loaded_per_s", r(loaded.rate))
        o.raw("reliable_ratio", r(loaded.rate / alone.rate, 1000))
        o.raw("pull_accepted_per_s_during", r(Double(pullAccepted) / pullSeconds))
        o.raw("pull_offered_frames", r(Double(sent.value.load(ordering: .relaxed))))
        o.int("pull_new_frames", frames.count - 2 * sixth)
        o.raw("ack_alone_p50_us", r(percentile(alone.ackMicros, 50)))
        o.raw("ack_alone_p99_us", r(percentile(alone.ackMicros, 99)))
        o.raw("ack_loaded_p50_us", r(percentile(loaded.ackMicros, 50)))
        o.raw("ack_loaded_p99_us", r(percentile(loaded.ackMicros, 99)))
        o.int("batch", batch)
        o.int("window", window)
        return o.finish()
    }
}

/// Frames the flood has sent so far.
final class SentCount: Sendable {
    let value = Atomic<Int>(0)
}

extension ServeProcess {
    /// `seinhuis_events_accepted_total{source=...}` from serve's `/metrics` (0 if it cannot be read).
    func acceptedFromMetrics(source: String) -> Int {
        guard let url = URL(string: "http://127.0.0.1:\(httpPort)/metrics"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return 0 }
        let prefix = "seinhuis_events_accepted_total{source=\"\(source)\"} "
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return 0 }
        return Int(Double(line.dropFirst(prefix.count)) ?? 0)
    }
}

import Foundation
import SeinhuisCore
import Synchronization
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// Every line of an NDJSON file in one buffer: the load run sends the same bytes to bare libzmq and to the pipeline.
struct FrameSet: @unchecked Sendable {
    // @unchecked: filled once, then only read.
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []

    var count: Int { starts.count }
    var totalBytes: Int { bytes.count }

    init(file: String) throws {
        try forEachLine(file) { line in
            if line.isEmpty { return true }
            starts.append(bytes.count)
            bytes.append(contentsOf: line)
            ends.append(bytes.count)
            return true
        }
    }

    func withFrame<R>(_ k: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[starts[k]..<ends[k]])) }
    }

    /// Calls `body` with every frame in order, without copying.
    func forEach(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { all in
            for k in 0..<starts.count { try body(UnsafeRawBufferPointer(rebasing: all[starts[k]..<ends[k]])) }
        }
    }
}

/// Monotonic nanoseconds.
@inline(__always) func monoNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The ceiling: the same frames through bare libzmq, PUSH → PULL over TCP loopback, the receiver only counting.
/// Two contexts (two I/O threads), like two processes; the same high-water marks as `serve`.
enum BareLibzmq {
    /// Frames per second from the first send to the last frame received.
    static func measure(_ frames: FrameSet, endpoint: String) throws -> Double {
        let received = Atomic<Int>(0)
        let doneAt = Atomic<UInt64>(0)
        let ready = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        let n = frames.count
        let receiver = Thread {
            do {
                let ctx = try ZMQContext()
                let pull = try ZMQSocket(ctx, .pull)
                try pull.setHighWaterMarks(send: 100_000, receive: 100_000)
                try pull.bind(endpoint)
                ready.signal()
                var got = 0
                while got < n {
                    _ = try pull.receive { _, _ in got += 1 }
                }
                doneAt.store(monoNanos(), ordering: .releasing)
                received.store(got, ordering: .releasing)
            } catch {
                failure.withLock { $0 = "bare libzmq receiver: \(error)" }
                ready.signal()
            }
            finished.signal()
        }
        receiver.start()
        ready.wait()
        if let f = failure.withLock({ $0 }) { throw LoadRunError(f) }
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.setSendHighWaterMark(100_000)
        try push.setLinger(10_000)
        try push.connect(endpoint)
        Thread.sleep(forTimeInterval: 0.2)  // the connection is up before the clock starts
        let t0 = monoNanos()
        try frames.forEach { try push.send($0) }
        finished.wait()
        if let f = failure.withLock({ $0 }) { throw LoadRunError(f) }
        let secs = Double(doneAt.load(ordering: .acquiring) - t0) / 1e9
        return Double(received.load(ordering: .acquiring)) / secs
    }
}

struct LoadRunError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Percentiles of latencies in microseconds (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(sorted.count - 1, max(0, rank))]
}

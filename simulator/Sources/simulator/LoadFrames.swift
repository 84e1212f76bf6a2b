import ArgumentParser
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

/// The ceiling: the same frames through bare libzmq, PUSH → PULL over TCP loopback, the receiver a separate process
/// (`simulator bare-pull`, like `serve`) that only counts; the same high-water marks as `serve`.
enum BareLibzmq {
    /// Frames per second from the first send to the last frame received (CLOCK_MONOTONIC is system-wide).
    /// Also the receiver's CPU time per frame (µs, user + system, all its threads).
    /// `decode`: the receiver also decodes every frame (`EventDecoder`, as serve does first), the ceiling of any
    /// pipeline that reads the events.
    static func measure(_ frames: FrameSet, endpoint: String, simulator: String, decode: Bool = false) throws -> (
        Double, Double
    ) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: simulator)
        p.arguments =
            ["bare-pull", "--endpoint", endpoint, "--count", String(frames.count)] + (decode ? ["--decode"] : [])
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let reader = out.fileHandleForReading
        // "ready" once bound, then the monotonic time of the last frame.
        var text = ""
        while !text.contains("\n") {
            let d = reader.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
        }
        guard text.hasPrefix("ready") else { throw LoadRunError("bare-pull did not start: \(text)") }
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.setSendHighWaterMark(100_000)
        try push.setLinger(10_000)
        try push.connect(endpoint)
        Thread.sleep(forTimeInterval: 0.2)  // the connection is up before the clock starts
        let t0 = monoNanos()
        try frames.forEach { try push.send($0) }
        let rest = String(decoding: reader.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let lines = (text + rest).split(separator: "\n")
        guard p.terminationStatus == 0, lines.count >= 3, let t1 = UInt64(lines[1]), let cpu = Double(lines[2]) else {
            throw LoadRunError("bare-pull failed: \(text + rest)")
        }
        return (Double(frames.count) / (Double(t1 - t0) / 1e9), cpu * 1e6 / Double(frames.count))
    }
}

/// `simulator bare-pull`: a PULL socket that receives a number of frames, only counting (the load run's ceiling).
struct BarePull: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-pull",
        abstract:
            "Receive N frames on a bare PULL socket; print 'ready', the monotonic ns of the last frame, its CPU seconds.",
        shouldDisplay: false)
    @Option var endpoint: String
    @Option var count: Int
    @Flag(help: "Also decode every frame (EventDecoder), and fail unless every frame decodes.") var decode = false

    func run() throws {
        let ctx = try ZMQContext()
        let pull = try ZMQSocket(ctx, .pull)
        try pull.setHighWaterMarks(send: 100_000, receive: 100_000)
        try pull.bind(endpoint)
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        var got = 0
        var decoded = 0
        let decoder = EventDecoder()
        if decode {
            while got < count {
                _ = try pull.receive { bytes, _ in
                    got += 1
                    if case .event = decoder.decode(bytes) { decoded += 1 }
                }
            }
        } else {
            while got < count { _ = try pull.receive { _, _ in got += 1 } }
        }
        let last = monoNanos()
        if decode && decoded != count { throw LoadRunError("bare-pull --decode: \(count - decoded) frames rejected") }
        FileHandle.standardOutput.write(Data("\(last)\n\(ServeProcess.cpuSeconds(pid: getpid()))\n".utf8))
    }
}

struct LoadRunError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Three decimals, for notes.
func r3(_ x: Double) -> String { x.isFinite ? String((x * 1000).rounded() / 1000) : "?" }

/// Percentiles of latencies in microseconds (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(sorted.count - 1, max(0, rank))]
}

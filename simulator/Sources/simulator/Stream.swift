import ArgumentParser
import Foundation
import SeinhuisCore
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// libzmq option numbers (zmq.h); the ZeroMQ module takes raw options and the simulator does not import CZeroMQ.

struct Stream: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send an NDJSON event file to `seinhuis serve` over ZeroMQ.",
        discussion: """
            Each line is sent as one frame, byte for byte (no re-encoding); blank lines are skipped.
            Plain ingest: PUSH to the PULL endpoint (no acknowledgement: what is in flight can be lost).
            Reliable ingest (--reliable): DEALER batches [batch-id, event, ...]; each is resent until the server
            answers [batch-id, "ok", accepted, duplicates, rejected].
            Pace: --rate N events per second, or --speedup X times real time (gaps between ts divided by X),
            or --max (the default) as fast as possible.

            Examples:
              simulator stream /tmp/sim/events.ndjson --max
              simulator stream /tmp/sim/events.ndjson --rate 20000
              simulator stream /tmp/sim/events.ndjson --reliable tcp://127.0.0.1:7461 --batch 500 --speedup 60
            """)

    @Argument(help: "The NDJSON file, one event per line.") var file: String
    @Option(help: "PULL endpoint of seinhuis serve (plain ingest).") var endpoint: String = "tcp://127.0.0.1:7460"
    @Option(help: "ROUTER endpoint of seinhuis serve: use reliable ingest with acknowledged batches.")
    var reliable: String?
    @Option(
        help:
            "Events per message. Reliable: per acknowledged batch (default 500). Plain: 1 = one frame per message; more sends multipart batches."
    )
    var batch: Int?
    @Option(help: "Pace: events per second.") var rate: Double?
    @Option(help: "Pace: speed-up of real time (event ts gaps divided by X).") var speedup: Double?
    @Flag(help: "Send as fast as possible (the default).") var max = false
    @Option(name: .customLong("ack-timeout-ms"), help: "Reliable: resend a batch not acknowledged within this time.")
    var ackTimeoutMs: Int = 5000
    @Option(help: "Reliable: batches in flight at once.") var window: Int = 4
    @Option(name: .customLong("max-resends"), help: "Reliable: give up after resending one batch this many times.")
    var maxResends: Int = 20
    @Option(
        name: .customLong("send-timeout-ms"), help: "Plain: fail if the server does not take a frame for this long.")
    var sendTimeoutMs: Int = 30_000
    @Option(help: "Stop after this many events.") var limit: Int?
    @Option(help: "Summary format: table or json.") var format: OutputFormat = .table
    @Flag(help: "No progress on standard error.") var quiet = false

    func validate() throws {
        let paces = [rate != nil, speedup != nil, max].filter { $0 }.count
        guard paces <= 1 else { throw ValidationError("choose one of --rate, --speedup, --max") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if let speedup, speedup <= 0 { throw ValidationError("--speedup must be positive") }
        if let batch, batch < 1 || batch > 100_000 { throw ValidationError("--batch must be 1-100000") }
        guard window >= 1, ackTimeoutMs >= 10 else { throw ValidationError("--window >= 1, --ack-timeout-ms >= 10") }
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
    }

    func run() throws {
        let ctx = try ZMQContext()
        var summary = StreamSummary(reliable: reliable != nil)
        do {
            let sender: EventSender =
                if let reliable {
                    try ReliableSender(
                        ctx: ctx, endpoint: reliable, batch: batch ?? 500, ackTimeoutMs: ackTimeoutMs,
                        window: window, maxResends: maxResends)
                } else {
                    try PushSender(ctx: ctx, endpoint: endpoint, batch: batch ?? 1, sendTimeoutMs: sendTimeoutMs)
                }
            try pump(sender, &summary)
        }
        print(summary.render(format))
    }

    private func pump(_ sender: EventSender, _ summary: inout StreamSummary) throws {
        let progress = Progress(enabled: !quiet)
        let start = DispatchTime.now().uptimeNanoseconds
        var sent = 0
        var firstTs: Int64?
        var lastReport = (start, 0)
        var stopped = false
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        try forEachLine(file) { line in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return true }
            // pacing: the time this event is due, in seconds since start
            var due: Double?
            if let rate {
                due = Double(sent) / rate
            } else if let speedup, let ts = Stream.timestamp(in: line) {
                if firstTs == nil { firstTs = ts }
                due = Double(ts - firstTs!) / 1000 / speedup
            }
            if let due {
                var now = elapsed()
                if due > now + 0.0005 {
                    try sender.flush()
                    while due > now + 0.0005 {
                        let wait = min(due - now, 0.2)
                        usleep(UInt32(wait * 1e6))
                        try sender.poll()
                        now = elapsed()
                    }
                }
            }
            try sender.send(line)
            sent += 1
            if sent & 1023 == 0 {
                let t = DispatchTime.now().uptimeNanoseconds
                progress.tick {
                    let dt = Double(t - lastReport.0) / 1e9
                    let r = dt > 0 ? Double(sent - lastReport.1) / dt : 0
                    lastReport = (t, sent)
                    return "sent \(sent) events, \(Int(r)) events/s\(sender.progressText)"
                }
            }
            if let limit, sent >= limit {
                stopped = true
                return false
            }
            return true
        }
        _ = stopped
        try sender.finish()
        progress.done()
        summary.events = sent
        summary.seconds = elapsed()
        sender.fill(&summary)
    }

    /// The `ts` of an event line, found by its key (the line is not decoded).
    static func timestamp(in line: UnsafeRawBufferPointer) -> Int64? {
        let key: [UInt8] = Array("\"ts\":\"".utf8)
        let n = line.count
        guard n > key.count + 20 else { return nil }
        var i = 0
        outer: while i + key.count + 20 <= n {
            for k in 0..<key.count where line[i + k] != key[k] {
                i += 1
                continue outer
            }
            let s = i + key.count
            var e = s
            while e < n && line[e] != 0x22 { e += 1 }
            let b = UnsafeBufferPointer(start: line.baseAddress!.assumingMemoryBound(to: UInt8.self) + s, count: e - s)
            return Timestamp.parse(b)?.milliseconds
        }
        return nil
    }
}

/// Reads a file in large chunks and hands each line (without its newline) to `body`; `body` returns false to stop.
func forEachLine(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
    guard let f = fopen(path, "rb") else {
        throw ValidationError("cannot read \(path): \(String(cString: strerror(errno)))")
    }
    defer { fclose(f) }
    let size = 4 << 20
    var buf = [UInt8](repeating: 0, count: size)
    var carry: [UInt8] = []
    while true {
        let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, f) }
        if n == 0 { break }
        let more = try buf.withUnsafeBytes { all -> Bool in
            var start = 0
            var i = 0
            while i < n {
                if all[i] == 0x0A {
                    var end = i
                    if end > start && all[end - 1] == 0x0D { end -= 1 }
                    let ok: Bool
                    if carry.isEmpty {
                        ok = try body(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                    } else {
                        carry.append(contentsOf: all[start..<end])
                        if carry.last == 0x0D { carry.removeLast() }
                        ok = try carry.withUnsafeBytes { try body($0) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    if !ok { return false }
                    start = i + 1
                }
                i += 1
            }
            carry.append(contentsOf: all[start..<n])
            return true
        }
        if !more { return }
    }
    if !carry.isEmpty { _ = try carry.withUnsafeBytes { try body($0) } }
}

struct StreamSummary {
    var reliable: Bool
    var events = 0
    var seconds = 0.0
    var batches = 0
    var resends = 0
    var accepted = 0
    var duplicates = 0
    var rejected = 0

    var eventsPerSecond: Double { Double(events) / Swift.max(seconds, 0.000_001) }

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            var o = JSONObjectWriter()
            o.int("events", events)
            o.raw("seconds", String(format: "%.3f", seconds))
            o.int("events_per_second", Int(eventsPerSecond))
            if reliable {
                o.int("batches", batches)
                o.int("resends", resends)
                o.int("accepted", accepted)
                o.int("duplicates", duplicates)
                o.int("rejected", rejected)
            }
            return o.finish()
        case .table:
            var rows = [
                ["events", String(events)], ["seconds", String(format: "%.3f", seconds)],
                ["events/s", String(Int(eventsPerSecond))],
            ]
            if reliable {
                rows += [
                    ["batches", String(batches)], ["resends", String(resends)], ["accepted", String(accepted)],
                    ["duplicates", String(duplicates)], ["rejected", String(rejected)],
                ]
            }
            return Table(headers: ["item", "value"], rows: rows).render()
        }
    }
}

protocol EventSender: AnyObject {
    func send(_ line: UnsafeRawBufferPointer) throws
    /// Sends what is buffered (called before the pacer sleeps).
    func flush() throws
    /// Handles what arrived (acknowledgements) without blocking.
    func poll() throws
    /// Sends everything and waits until it is delivered or acknowledged.
    func finish() throws
    var progressText: String { get }
    func fill(_ s: inout StreamSummary)
}

/// Plain ingest: PUSH, one frame per event, or multipart batches.
final class PushSender: EventSender {
    let socket: ZMQSocket
    let batch: Int
    private var pending: [[UInt8]] = []

    init(ctx: ZMQContext, endpoint: String, batch: Int, sendTimeoutMs: Int) throws {
        socket = try ZMQSocket(ctx, .push)
        try socket.setSendHighWaterMark(100_000)
        // keep what is queued when the socket closes, so the last events reach the server
        try socket.setLinger(60_000)
        try socket.setSendTimeout(Int32(sendTimeoutMs))
        self.batch = batch
        do { try socket.connect(endpoint) } catch { throw ValidationError("cannot connect to \(endpoint): \(error)") }
    }

    private func sendFrame(_ b: UnsafeRawBufferPointer, more: Bool) throws {
        do { try socket.send(b, more: more) } catch {
            guard error.isWouldBlock else { throw error }
            throw ValidationError(
                "the server at the ingest endpoint did not take events for the send timeout (is seinhuis serve running?)"
            )
        }
    }

    func send(_ line: UnsafeRawBufferPointer) throws {
        if batch == 1 { return try sendFrame(line, more: false) }
        pending.append(Array(line))
        if pending.count >= batch { try flush() }
    }

    func flush() throws {
        for (k, p) in pending.enumerated() {
            try p.withUnsafeBytes { try sendFrame($0, more: k < pending.count - 1) }
        }
        pending.removeAll(keepingCapacity: true)
    }

    func poll() throws {}
    func finish() throws { try flush() }
    var progressText: String { "" }
    func fill(_ s: inout StreamSummary) {}
}

/// Reliable ingest: DEALER, batches `[batch-id, event, ...]` acknowledged by `[batch-id, "ok", a, d, r]`.
final class ReliableSender: EventSender {
    let socket: ZMQSocket
    let batchSize: Int
    let ackTimeoutMs: Int
    let window: Int
    let maxResends: Int
    let runID: String
    private var current: [[UInt8]] = []
    private var nextBatch = 1
    /// batch id → (events, last send time ns, resends)
    private var inFlight: [String: (events: [[UInt8]], sentAt: UInt64, resends: Int)] = [:]
    private var order: [String] = []
    private var summary = StreamSummary(reliable: true)

    init(ctx: ZMQContext, endpoint: String, batch: Int, ackTimeoutMs: Int, window: Int, maxResends: Int) throws {
        socket = try ZMQSocket(ctx, .dealer)
        batchSize = batch
        self.ackTimeoutMs = ackTimeoutMs
        self.window = window
        self.maxResends = maxResends
        var rng = Rng(seed: UInt64(DispatchTime.now().uptimeNanoseconds), stream: UInt64(getpid()))
        runID = String(rng.next() & 0xFFFF_FFFF, radix: 16)
        do { try socket.connect(endpoint) } catch { throw ValidationError("cannot connect to \(endpoint): \(error)") }
    }

    func send(_ line: UnsafeRawBufferPointer) throws {
        current.append(Array(line))
        if current.count >= batchSize { try flush() }
    }

    func flush() throws {
        guard !current.isEmpty else { return }
        // keep at most `window` batches unacknowledged
        while inFlight.count >= window { try waitForAcks(timeoutMs: 50) }
        let id = "\(runID)-\(nextBatch)"
        nextBatch += 1
        try transmit(id, current)
        inFlight[id] = (current, DispatchTime.now().uptimeNanoseconds, 0)
        order.append(id)
        summary.batches += 1
        current.removeAll(keepingCapacity: true)
    }

    private func transmit(_ id: String, _ events: [[UInt8]]) throws {
        try socket.send(id, more: true)
        for (k, e) in events.enumerated() { try socket.send(e, more: k < events.count - 1) }
    }

    func poll() throws { try waitForAcks(timeoutMs: 0) }

    private func waitForAcks(timeoutMs: Int) throws {
        var poller = ZMQPoller([socket])
        if try poller.poll(timeoutMs: timeoutMs)[0] {
            while let parts = try socket.receiveMessage(dontWait: true) {
                handle(parts)
            }
        }
        try resendExpired()
    }

    private func handle(_ parts: [[UInt8]]) {
        guard parts.count >= 2 else { return }
        let id = String(decoding: parts[0], as: UTF8.self)
        guard inFlight.removeValue(forKey: id) != nil else { return }  // a late ack of a resent batch
        let status = String(decoding: parts[1], as: UTF8.self)
        if status == "ok", parts.count >= 5 {
            summary.accepted += Int(String(decoding: parts[2], as: UTF8.self)) ?? 0
            summary.duplicates += Int(String(decoding: parts[3], as: UTF8.self)) ?? 0
            summary.rejected += Int(String(decoding: parts[4], as: UTF8.self)) ?? 0
        } else {
            stderrLine("warning: batch \(id) answered \(parts.map { String(decoding: $0, as: UTF8.self) })")
        }
    }

    private func resendExpired() throws {
        let now = DispatchTime.now().uptimeNanoseconds
        order.removeAll { inFlight[$0] == nil }
        for id in order {
            guard var f = inFlight[id], now - f.sentAt > UInt64(ackTimeoutMs) * 1_000_000 else { continue }
            guard f.resends < maxResends else {
                throw ValidationError(
                    "batch \(id) not acknowledged after \(maxResends) resends (is seinhuis serve running?)")
            }
            f.resends += 1
            f.sentAt = now
            inFlight[id] = f
            summary.resends += 1
            try transmit(id, f.events)
        }
    }

    func finish() throws {
        try flush()
        while !inFlight.isEmpty { try waitForAcks(timeoutMs: 50) }
    }

    var progressText: String { ", \(summary.accepted) accepted, \(inFlight.count) batches awaiting ack" }

    func fill(_ s: inout StreamSummary) {
        s.batches = summary.batches
        s.resends = summary.resends
        s.accepted = summary.accepted
        s.duplicates = summary.duplicates
        s.rejected = summary.rejected
    }
}

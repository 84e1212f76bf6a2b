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
    @OptionGroup(title: "CURVE") var curve: CurveOptions

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
        let keys = try curve.load()
        do {
            let sender: EventSender =
                if let reliable {
                    try ReliableSender(
                        ctx: ctx, endpoint: reliable, batch: batch ?? 500, ackTimeoutMs: ackTimeoutMs,
                        window: window, maxResends: maxResends, curve: keys)
                } else {
                    try PushSender(
                        ctx: ctx, endpoint: endpoint, batch: batch ?? 1, sendTimeoutMs: sendTimeoutMs, curve: keys)
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

import Foundation
import SeinhuisCore
import Synchronization
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// The real `seinhuis serve` binary (next to this simulator), on its own database, as a child process.
final class ServeProcess {
    let process = Process()
    let log: String
    let ingest: String
    let reliable: String
    let alerts: String
    let httpPort: Int

    /// From starting the process to its `pipeline ready` log line (the state loaded, the sockets bound).
    private(set) var readySeconds = 0.0

    /// Imports `dossiers` (if given) into the database at `db` and starts `serve` on ports `base`...`base + 3`;
    /// returns once it is ready.
    init(
        binary: String, db: String, dossiers: String?, base: Int, workDir: String, extraArguments: [String] = [],
        logName: String = "serve.log", readyTimeout: Double = 60
    ) throws {
        ingest = "tcp://127.0.0.1:\(base)"
        reliable = "tcp://127.0.0.1:\(base + 1)"
        alerts = "tcp://127.0.0.1:\(base + 2)"
        httpPort = base + 3
        log = workDir + "/" + logName
        if let dossiers { try SeinhuisBinary.importDossiers(dossiers, db: db) { try Self.runToEnd(binary, $0) } }
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "serve", "--db", db, "--ingest", ingest, "--reliable", reliable, "--alerts", alerts,
                "--http-port", String(base + 3), "--log-level", "info",
            ] + extraArguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = handle
        process.standardOutput = handle
        let t0 = Date()
        try process.run()
        // Ready once the state is loaded and the sockets are bound.
        let deadline = Date().addingTimeInterval(readyTimeout)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains("pipeline ready") {
                readySeconds = Date().timeIntervalSince(t0)
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        stop()
        throw LoadRunError("seinhuis serve did not become ready:\n\(text.suffix(2000))")
    }

    /// `kill -9`: the process ends at once, nothing of its graceful stop runs.
    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Peak resident memory of the serve process (VmHWM), in MB.
    var peakRSSMegabytes: Double {
        guard let s = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return .nan }
        return kb / 1024
    }

    /// CPU seconds (user + system, all threads) the serve process has used so far, from /proc (10 ms resolution).
    var cpuSeconds: Double { Self.cpuSeconds(pid: process.processIdentifier) }

    static func cpuSeconds(pid: Int32) -> Double {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = s.lastIndex(of: ")")
        else { return .nan }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = s[s.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let k = Double(fields[12]) else { return .nan }
        return (u + k) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// serve's detection latency percentiles (p50, p99, p99.9 in µs) from its "pipeline stopped" log line (after `stop`).
    func detectionPercentiles() -> [Double] {
        let v = stoppedLine(["detection.p50_us", "detection.p99_us", "detection.p999_us"])
        return v.count == 3 ? v : []
    }

    /// What serve's loop did over the whole run (after `stop`): turns, commits, commit p50 and p99 in µs.
    func loopCounts() -> [Double] {
        let v = stoppedLine(["turns", "commits", "commit.p50_us", "commit.p99_us"])
        return v.count == 4 ? v : []
    }

    /// The values of `keys` in serve's "pipeline stopped" log line, in order (those found).
    private func stoppedLine(_ keys: [String]) -> [Double] {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8),
            let line = text.split(separator: "\n").last(where: { $0.contains("pipeline stopped") })
        else { return [] }
        func value(_ key: String) -> Double? {
            guard let r = line.range(of: " " + key + "=") else { return nil }
            return Double(line[r.upperBound...].prefix { $0.isNumber || $0 == "." })
        }
        return keys.compactMap(value)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    static func runToEnd(_ binary: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw LoadRunError(
                "\(binary) \(args.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}

/// Latency probes: dedicated devices whose `strap` alternates opened/closed. Each `opened` raises a strap_tamper
/// alert; its latency is from just before the PUSH send of the event to the alert's arrival on a SUB socket
/// (client side: both ZeroMQ hops, decoding, rules, the journal commit and publication).
final class Probes: @unchecked Sendable {
    // @unchecked: `next` is used by the sending thread only; shared state is behind the mutexes.
    static let devices = 64
    private var seq = [UInt64](repeating: 0, count: devices)
    private var opened = [Bool](repeating: false, count: devices)
    private var turn = 0
    private var lastTs: Int64 = 0
    private let sent = Mutex<[String: UInt64]>([:])
    private let received = Mutex<[String: UInt64]>([:])

    static func name(_ k: Int) -> String { "TAG-PROBE-\(k + 1)" }

    /// The probe dossiers, as JSON objects to add to a dossier file.
    static func dossierObjects() -> [String] {
        (0..<devices).map { k in
            """
            {"id":"D-PROBE-\(k + 1)","subject":"S-PROBE-\(k + 1)","radex":false,"mandate":"sentence",\
            "start":"2020-01-01","timezone":"Europe/Brussels","devices":["\(name(k))"],\
            "home":{"lat":51.0,"lon":3.7,"radius_m":100},"comms_timeout_s":86400}
            """
        }
    }

    /// Sends the next probe event on `push`; an `opened` is timed (its key is returned).
    @discardableResult
    func sendNext(on push: ZMQSocket) throws -> String? {
        let k = turn
        turn = (turn + 1) % Self.devices
        seq[k] += 1
        // Wall-clock ts, strictly increasing, so every probe is new and its alert's event_ts names it.
        var ts = Int64(Date().timeIntervalSince1970 * 1000)
        if ts <= lastTs { ts = lastTs + 1 }
        lastTs = ts
        let open = !opened[k]
        opened[k] = open
        let e = DeviceEvent(
            device: Self.name(k), seq: seq[k], ts: Timestamp(milliseconds: ts),
            reading: .strap(open ? .opened : .closed))
        let key = Self.name(k) + "|" + e.ts.rfc3339
        let json = e.json
        if open {
            let t = monoNanos()
            sent.withLock { $0[key] = t }
        }
        _ = try push.send(json)
        return open ? key : nil
    }

    func arrival(of key: String) -> UInt64? { received.withLock { $0[key] } }
    func sentAt(_ key: String) -> UInt64? { sent.withLock { $0[key] } }

    /// Latencies in microseconds of every timed probe whose alert arrived, and how many did not arrive.
    func latencies() -> (micros: [Double], missing: Int) {
        let s = sent.withLock { $0 }
        let r = received.withLock { $0 }
        var out: [Double] = []
        var missing = 0
        for (key, t0) in s {
            if let t1 = r[key] { out.append(Double(t1 &- t0) / 1000) } else { missing += 1 }
        }
        return (out.sorted(), missing)
    }

    /// The worst latency (µs) per second of sending, from the first timed probe: where the tail comes from.
    func worstPerSecond() -> [Int] {
        let s = sent.withLock { $0 }
        let r = received.withLock { $0 }
        guard let first = s.values.min() else { return [] }
        var worst: [Int] = []
        for (key, t0) in s {
            let k = Int((t0 - first) / 1_000_000_000)
            while worst.count <= k { worst.append(0) }
            worst[k] = max(worst[k], r[key].map { Int(($0 &- t0) / 1000) } ?? Int.max)
        }
        return worst
    }

    var timed: Int { sent.withLock { $0.count } }
    var arrived: Int { received.withLock { $0.count } }

    /// Subscribes to the `vcet` queue on a thread of its own and records the arrival of every probe's alert.
    func listen(to endpoint: String, stop: StopSignal, curve: ClientCurve? = nil) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            defer { done.signal() }
            guard let ctx = try? ZMQContext(), let sub = try? ZMQSocket(ctx, .sub) else {
                ready.signal()
                return
            }
            _ = try? curve?.apply(to: sub)
            _ = try? sub.subscribe("vcet")
            _ = try? sub.setReceiveTimeout(100)
            _ = try? sub.connect(endpoint)
            ready.signal()
            while !stop.isSet {
                guard let parts = try? sub.receiveMessage(), parts.count == 2 else { continue }
                let t = monoNanos()
                guard let key = Self.probeKey(parts[1]) else { continue }
                received.withLock { if $0[key] == nil { $0[key] = t } }
            }
        }
        thread.start()
        ready.wait()
        return done
    }

    /// `device|event_ts` of a raised (not cleared) strap_tamper alert of a probe device.
    static func probeKey(_ json: [UInt8]) -> String? {
        let text = String(decoding: json, as: UTF8.self)
        guard text.contains("\"breach\":\"strap_tamper\""), !text.contains("\"cleared_at\""),
            let device = field(text, "device"), device.hasPrefix("TAG-PROBE-"), let ts = field(text, "event_ts")
        else { return nil }
        return device + "|" + ts
    }

    private static func field(_ text: String, _ name: String) -> String? {
        guard let r = text.range(of: "\"\(name)\":\"") else { return nil }
        guard let end = text[r.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(text[r.upperBound..<end])
    }
}

/// A flag one thread sets and another polls.
final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}

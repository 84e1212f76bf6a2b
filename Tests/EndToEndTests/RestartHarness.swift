import Foundation
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// The harness of the restart tests (PROTOCOL 2.4): the real `seinhuis serve` on free ports with its log in a file,
/// readiness, graceful stops and `kill -9`, reliable sends, re-imports, and the comparison of the breaches raised by
/// a run with restarts and one without.
enum RestartHarness {
    /// Every argument of `serve` beyond the database and the endpoints, in one place: a snapshot option
    /// (`--snapshot-interval-ms 50`, say) goes here. `RESTART_TESTS_SERVE_ARGS` (split on whitespace) adds more
    /// without an edit.
    static var serveOptions: [String] {
        // Snapshots often, so a restart restores one and reads the journal after it (not only the journal).
        var options = ["--log-level", "info", "--snapshot-events", "1000", "--snapshot-interval-ms", "300"]
        if let extra = ProcessInfo.processInfo.environment["RESTART_TESTS_SERVE_ARGS"] {
            options += extra.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        return options
    }

    /// `serve`'s whole command line for a database and ports.
    static func serveArguments(db: String, ports: ServePorts) -> [String] {
        [
            "serve", "--db", db, "--ingest", ports.ingest, "--reliable", ports.reliable, "--alerts", ports.alerts,
            "--http-port", String(ports.http),
        ] + serveOptions
    }

    /// The `simulator` binary, built next to `seinhuis`.
    static var simulatorPath: URL { Binary.path.deletingLastPathComponent().appendingPathComponent("simulator") }

    /// A fresh temporary directory for one run.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "seinhuis-restart-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// RFC 3339 with milliseconds, UTC (the contract's format).
    static func rfc3339(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    static func rfc3339(milliseconds ms: Int64) -> String { rfc3339(Date(timeIntervalSince1970: Double(ms) / 1000)) }

    static func milliseconds(_ rfc3339: String) -> Int64? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let d = f.date(from: rfc3339) else { return nil }
        return Int64((d.timeIntervalSince1970 * 1000).rounded())
    }

    static func sleep(ms: Int) { usleep(UInt32(max(0, ms)) * 1000) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}

// MARK: - Ports

/// Four ports for one server (ingest, reliable, alerts, HTTP), kept across its restarts so that clients reconnect.
struct ServePorts: Sendable {
    let base: Int
    var ingest: String { "tcp://127.0.0.1:\(base)" }
    var reliable: String { "tcp://127.0.0.1:\(base + 1)" }
    var alerts: String { "tcp://127.0.0.1:\(base + 2)" }
    var http: Int { base + 3 }

    /// Random ports below Linux's ephemeral range (32768-60999), checked free by binding each one.
    static func random() -> ServePorts {
        for _ in 0..<200 {
            let base = 20000 + 4 * Int.random(in: 0..<3000)
            if (base..<(base + 4)).allSatisfy(isFree) { return ServePorts(base: base) }
        }
        return ServePorts(base: 20000 + 4 * Int.random(in: 0..<3000))
    }

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return rc == 0
    }
}

// MARK: - HTTP

/// A minimal HTTP/1.1 GET over a socket (status and body), with a timeout: enough for `/readyz` and `/healthz`.
enum TinyHTTP {
    static func get(port: Int, path: String, timeoutMs: Int = 1000) -> (status: Int, body: String)? {
        request("GET", port: port, path: path, timeoutMs: timeoutMs)
    }

    /// Any request, with a bearer token and a JSON body if given.
    static func request(
        _ method: String, port: Int, path: String, token: String? = nil, body: String? = nil, timeoutMs: Int = 1000
    ) -> (status: Int, body: String)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeoutMs / 1000, tv_usec: Int((timeoutMs % 1000) * 1000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else { return nil }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        let request = Array((head + "\r\n" + (body ?? "")).utf8)
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
        var response: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: buf[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let head = text.range(of: "\r\n\r\n") else { return nil }
        let statusLine = text[..<head.lowerBound].split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        return (status, String(text[head.upperBound...]))
    }
}

// MARK: - serve

/// One `seinhuis serve` process, its standard error in a log file of its own. Killed (SIGKILL) on deinit if it
/// still runs, so no test leaves a server behind, whatever fails.
final class ServeProcess {
    let db: String
    let ports: ServePorts
    let logPath: String
    let process = Process()
    private let log: FileHandle

    init(db: String, ports: ServePorts, logPath: String, extraArguments: [String] = []) throws {
        self.db = db
        self.ports = ports
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = Binary.path
        process.environment = Binary.environment
        process.arguments = RestartHarness.serveArguments(db: db, ports: ports) + extraArguments
        process.standardError = log
        process.standardOutput = log
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? log.close()
    }

    var logText: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    var logTail: String { logText.split(separator: "\n").suffix(15).joined(separator: "\n") }

    /// Waits until the pipeline state is loaded: `GET /readyz` answers 200 `ready`; while it answers 404 (a
    /// server without it), `/healthz` answers `ok` and the reliable endpoint acknowledges an empty probe batch (the
    /// ingest loop acks only once its state is rebuilt).
    func waitReady(timeoutMs: Int = 20_000) throws {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        var probe: ReliableClient?
        while Date() < deadline {
            guard process.isRunning else {
                throw RestartHarness.Failure(
                    description: "serve exited with status \(process.terminationStatus) before it was ready:\n\(logTail)")
            }
            if let r = TinyHTTP.get(port: ports.http, path: "/readyz") {
                if r.status == 200 && r.body == "ready\n" { return }
                if r.status == 404, let h = TinyHTTP.get(port: ports.http, path: "/healthz"), h.status == 200,
                    h.body == "ok\n"
                {
                    if probe == nil { probe = try ReliableClient(endpoint: ports.reliable) }
                    if try probe!.probe(timeoutMs: 200) { return }
                    continue
                }
            }
            RestartHarness.sleep(ms: 50)
        }
        throw RestartHarness.Failure(description: "serve was not ready within \(timeoutMs) ms:\n\(logTail)")
    }

    /// SIGTERM, then waits for the exit (a graceful stop commits what it holds).
    func stop(timeoutMs: Int = 30_000) throws {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while process.isRunning && Date() < deadline { RestartHarness.sleep(ms: 20) }
        if process.isRunning {
            kill9()
            throw RestartHarness.Failure(description: "serve did not stop within \(timeoutMs) ms of SIGTERM:\n\(logTail)")
        }
    }

    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits until the log has a line containing `text` after byte `offset` (see `logSize`).
    func waitForLog(_ text: String, after offset: Int, timeoutMs: Int = 20_000) throws {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while Date() < deadline {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: logPath))) ?? Data()
            if data.count > offset, String(decoding: data[offset...], as: UTF8.self).contains(text) { return }
            guard process.isRunning else { break }
            RestartHarness.sleep(ms: 50)
        }
        throw RestartHarness.Failure(description: "serve did not log \"\(text)\" within \(timeoutMs) ms:\n\(logTail)")
    }

    var logSize: Int { ((try? FileManager.default.attributesOfItem(atPath: logPath))?[.size] as? Int) ?? 0 }
}

/// How a run restarts `serve`.
enum RestartKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case graceful  // SIGTERM, wait for the exit, start again
    case kill  // kill -9, start again
    var description: String { self == .graceful ? "SIGTERM" : "kill -9" }
}

/// A database with its server, restartable on the same ports; every instance logs to a file of its own.
final class ServedDatabase {
    let dir: URL
    let db: String
    let ports = ServePorts.random()
    private(set) var server: ServeProcess?
    private(set) var starts = 0
    /// More arguments of `serve` for this database (a `--policy`, say).
    var serveArguments: [String] = []

    /// A database in `dir` with the tests' admin account (`Binary.admin`); `withAdmin: false` creates no file (for
    /// a test that copies a database there).
    init(dir: URL, withAdmin: Bool = true) throws {
        self.dir = dir
        db = dir.appendingPathComponent("seinhuis.sqlite").path
        if withAdmin { try Binary.addAdmin(db: db) }
    }

    deinit { server?.kill9() }

    /// Kills the server if it still runs and removes the directory (kept with `RESTART_TESTS_KEEP=1`).
    func cleanUp() {
        server?.kill9()
        if ProcessInfo.processInfo.environment["RESTART_TESTS_KEEP"] != "1" {
            try? FileManager.default.removeItem(at: dir)
        }
    }

    func importDossiers(_ json: String, name: String) throws {
        let file = dir.appendingPathComponent(name).path
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", file, "--db", db])
    }

    @discardableResult
    func start() throws -> ServeProcess {
        starts += 1
        let s = try ServeProcess(
            db: db, ports: ports, logPath: dir.appendingPathComponent("serve-\(starts).log").path,
            extraArguments: serveArguments)
        server = s
        try s.waitReady()
        return s
    }

    func restart(_ kind: RestartKind) throws {
        guard let s = server else { throw RestartHarness.Failure(description: "no server to restart") }
        switch kind {
        case .graceful: try s.stop()
        case .kill: s.kill9()
        }
        try start()
    }

    /// Imports dossiers while serving and waits until serve has applied them (its `dossiers reloaded` line).
    func reimport(_ json: String, name: String) throws {
        guard let s = server else { throw RestartHarness.Failure(description: "no server for the re-import") }
        let offset = s.logSize
        try importDossiers(json, name: name)
        try s.waitForLog("dossiers reloaded", after: offset)
    }

    func stop() throws { try server?.stop() }

    /// The breaches stored, read with the command line once the server has stopped.
    func breaches() throws -> [BreachRecord] {
        try BreachRecord.list(db: db)
    }
}

// MARK: - Reliable client

/// A DEALER on the reliable endpoint: sends batches and waits for their acks, resending on a timeout.
final class ReliableClient {
    let context: ZMQContext
    let socket: ZMQSocket
    private var next = 0
    private let run = String(UInt32.random(in: 0...UInt32.max), radix: 16)

    init(endpoint: String) throws {
        context = try ZMQContext()
        socket = try ZMQSocket(context, .dealer)
        try socket.connect(endpoint)
    }

    /// An empty batch: acked once the ingest loop runs. False if no ack came within the time.
    func probe(timeoutMs: Int) throws -> Bool {
        next += 1
        let id = "probe-\(run)-\(next)"
        _ = try socket.send(id)
        return try awaitAck(id, timeoutMs: timeoutMs) != nil
    }

    /// Sends one batch and waits for its ack (resent every `resendMs`); returns (accepted, duplicates, rejected).
    @discardableResult
    func send(_ events: [String], resendMs: Int = 500, timeoutMs: Int = 30_000) throws -> (Int, Int, Int) {
        next += 1
        let id = "batch-\(run)-\(next)"
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while Date() < deadline {
            _ = try socket.send(id, more: true)
            for (k, e) in events.enumerated() { _ = try socket.send(e, more: k < events.count - 1) }
            if let ack = try awaitAck(id, timeoutMs: resendMs) { return ack }
        }
        throw RestartHarness.Failure(description: "batch \(id) not acknowledged within \(timeoutMs) ms")
    }

    private func awaitAck(_ id: String, timeoutMs: Int) throws -> (Int, Int, Int)? {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        var poller = ZMQPoller([socket])
        while true {
            let left = Int(deadline.timeIntervalSinceNow * 1000)
            if left <= 0 { return nil }
            guard try poller.poll(timeoutMs: left)[0] else { continue }
            while let parts = try socket.receiveMessage(dontWait: true) {
                let s = parts.map { String(decoding: $0, as: UTF8.self) }
                if s.count >= 5, s[0] == id, s[1] == "ok" { return (Int(s[2]) ?? 0, Int(s[3]) ?? 0, Int(s[4]) ?? 0) }
            }
        }
    }
}

// MARK: - Breaches and their comparison

/// What PROTOCOL 2.4 compares of an alert: (dossier, device, breach, zone, event_ts, cleared_at, queues).
struct BreachRecord: Hashable, Comparable, CustomStringConvertible, Sendable {
    var dossier: String
    var device: String
    var breach: String
    var zone: String?
    var eventTs: String
    var clearedAt: String?
    var queues: [String]  // sorted
    /// Each queue's handling state, `queue:state` sorted by queue (PROTOCOL 4.4): what the operators did survives.
    var handling: [String] = []
    /// (1.1) `victim_proximity`: the protected person (part of the occurrence).
    var protected: String? = nil
    /// (1.1) A `communication_loss` in a network incident: `incident`; a `network_outage`: its devices still lost.
    var grouping: String = ""

    /// The occurrence, without what happened to it later.
    var occurrence: String { "\(dossier) \(device) \(breach) \(zone ?? protected ?? "-") \(eventTs)" }

    var description: String {
        "\(occurrence) cleared_at=\(clearedAt ?? "null") queues=\(queues.joined(separator: ","))"
            + (handling.allSatisfy { $0.hasSuffix(":open") } ? "" : " handling=\(handling.joined(separator: ","))")
            + (grouping.isEmpty ? "" : " " + grouping)
    }

    /// Orders by event_ts first, then the rest of the record.
    var sortKey: [String] {
        [
            eventTs, dossier, device, breach, zone ?? protected ?? "", clearedAt ?? "", queues.joined(separator: ","),
            handling.joined(separator: ","), grouping,
        ]
    }

    static func < (a: BreachRecord, b: BreachRecord) -> Bool { a.sortKey.lexicographicallyPrecedes(b.sortKey) }

    /// The alerts of a database (`seinhuis alerts list --format json`), review notices (device null) left out; a
    /// network incident (device null too) is kept as device `network:NAME`, its ids left out (they may differ).
    static func list(db: String) throws -> [BreachRecord] {
        let out = try Binary.run(["alerts", "list", "--db", db, "--format", "json"])
        guard let array = try Binary.json(out) as? [[String: Any]] else {
            throw RestartHarness.Failure(description: "alerts list did not print a JSON array: \(out.prefix(200))")
        }
        return array.compactMap { a in
            let network = (a["network"] as? String).map { "network:" + $0 }
            guard let device = a["device"] as? String ?? network else { return nil }
            let grouping =
                network != nil
                ? "devices=" + ((a["devices"] as? [String]) ?? []).joined(separator: ",")
                : (a["incident"] is String ? "incident" : "")
            return BreachRecord(
                dossier: a["dossier"] as? String ?? "?", device: device, breach: a["breach"] as? String ?? "?",
                zone: a["zone"] as? String, eventTs: a["event_ts"] as? String ?? "?",
                clearedAt: a["cleared_at"] as? String, queues: ((a["queues"] as? [String]) ?? []).sorted(),
                handling: ((a["handling"] as? [String: [String: Any]]) ?? [:]).map { "\($0.key):\($0.value["state"] ?? "?")" }
                    .sorted(), protected: a["protected"] as? String, grouping: grouping)
        }.sorted()
    }
}

/// The difference of two multisets of breaches: `reference` (one run without restarts) and `restarted`.
struct BreachDiff {
    var missing: [BreachRecord] = []  // raised by the reference only
    var extra: [BreachRecord] = []  // raised by the restarted run only
    var differing: [(reference: BreachRecord, restarted: BreachRecord)] = []  // same occurrence, other cleared_at/queues

    var isEmpty: Bool { missing.isEmpty && extra.isEmpty && differing.isEmpty }

    init(reference: [BreachRecord], restarted: [BreachRecord]) {
        var left: [BreachRecord: Int] = [:]
        for r in reference { left[r, default: 0] += 1 }
        var onlyRestarted: [BreachRecord] = []
        for r in restarted {
            if let n = left[r], n > 0 { left[r] = n - 1 } else { onlyRestarted.append(r) }
        }
        var onlyReference = left.flatMap { r, n in Array(repeating: r, count: n) }.sorted()
        for r in onlyRestarted.sorted() {
            if let i = onlyReference.firstIndex(where: { $0.occurrence == r.occurrence }) {
                differing.append((onlyReference.remove(at: i), r))
            } else {
                extra.append(r)
            }
        }
        missing = onlyReference
    }

    /// A readable report, at most `limit` lines per section.
    func render(limit: Int = 25) -> String {
        var lines: [String] = []
        func section<T>(_ title: String, _ items: [T], _ line: (T) -> String) {
            guard !items.isEmpty else { return }
            lines.append("  \(title): \(items.count)")
            for i in items.prefix(limit) { lines.append("    " + line(i)) }
            if items.count > limit { lines.append("    ... and \(items.count - limit) more") }
        }
        section("missing after restart (raised without the restart only)", missing) { $0.description }
        section("extra after restart (raised only with the restart)", extra) { $0.description }
        section("differing (same occurrence)", differing) { d in
            var s = d.reference.occurrence
            if d.reference.clearedAt != d.restarted.clearedAt {
                s += " cleared_at: \(d.reference.clearedAt ?? "null") without restart, \(d.restarted.clearedAt ?? "null") with"
            }
            if d.reference.queues != d.restarted.queues {
                s += " queues: \(d.reference.queues.joined(separator: ",")) without restart, "
                    + "\(d.restarted.queues.joined(separator: ",")) with"
            }
            return s
        }
        return lines.joined(separator: "\n")
    }

    /// Counts per breach kind of a list, for the messages.
    static func summary(_ list: [BreachRecord]) -> String {
        var counts: [String: Int] = [:]
        for r in list { counts[r.breach, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}

/// SplitMix64: a small seeded generator, so that a failing seed replays the same stream and restart schedule.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

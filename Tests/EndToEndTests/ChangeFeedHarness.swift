import Foundation
import Testing
import ZeroMQ

/// A served database for the change-feed tests (PROTOCOL 4.3 and 4.4, 1.1): a routing policy with escalations in
/// seconds, a Radex and an ordinary dossier per pair of tags, console users, and the HTTP calls a consumer makes.
final class FeedServer {
    let served: ServedDatabase
    var ports: ServePorts { served.ports }
    private(set) var passwords: [String: String] = [:]

    /// A policy like v1, but Radex critical/high and ordinary critical alerts escalate after the given seconds.
    static func policy(radexEscalateS: Int, otherEscalateS: Int) -> String {
        """
        {"version": "t1", "max_escalations": 3, "routes": [
          {"radex": true, "severities": ["critical", "high"], "queues": ["vcet", "coordinator", "cic", "police"],
           "escalate_after_s": \(radexEscalateS), "escalate_to": ["vcet", "coordinator", "cic", "police"]},
          {"radex": true, "severities": ["medium", "low"], "queues": ["vcet", "coordinator"],
           "escalate_after_s": 900, "escalate_to": ["cic", "police"]},
          {"radex": false, "severities": ["critical"], "queues": ["vcet"], "escalate_after_s": \(otherEscalateS),
           "escalate_to": ["police"]},
          {"radex": false, "severities": ["high", "medium", "low"], "queues": ["vcet"], "escalate_after_s": 1800,
           "escalate_to": ["vcet"]}]}
        """
    }

    /// Tags `TAG-R<n>` (Radex) and `TAG-O<n>` (not), n in 1...pairs.
    init(_ label: String, pairs: Int, radexEscalateS: Int, otherEscalateS: Int) throws {
        served = try ServedDatabase(dir: try RestartHarness.temporaryDirectory(label))
        let policyPath = served.dir.appendingPathComponent("policy.json").path
        try Self.policy(radexEscalateS: radexEscalateS, otherEscalateS: otherEscalateS).write(
            toFile: policyPath, atomically: true, encoding: .utf8)
        served.serveArguments = ["--policy", policyPath]
        var dossiers: [String] = []
        for n in 1...pairs {
            dossiers.append(RestartTests.dossier("D-2026-R\(100 + n)", device: "TAG-R\(n)", radex: true))
            dossiers.append(RestartTests.dossier("D-2026-O\(100 + n)", device: "TAG-O\(n)", radex: false))
        }
        try served.importDossiers("[" + dossiers.joined(separator: ",") + "]", name: "dossiers.json")
        for (name, role) in [("piet", "police"), ("anna", "operator"), ("root", "admin")] {
            let out = try Binary.run(["user", "add", name, "--role", role, "--db", served.db])
            let line = try #require(out.split(separator: "\n").first { $0.hasPrefix("password: ") })
            passwords[name] = String(line.dropFirst("password: ".count))
        }
    }

    deinit { served.cleanUp() }

    static func strap(_ device: String, _ seq: Int, _ state: String) -> String {
        RestartTests.event(device, seq, RestartTests.ts(0), #""kind":"strap","state":"\#(state)""#)
    }

    func token(_ user: String) throws -> String {
        let body = #"{"user":"\#(user)","password":"\#(passwords[user] ?? "")"}"#
        let r = try call("POST", "/api/v1/login", body: body)
        guard r.status == 200, let t = (try Binary.json(r.body) as? [String: Any])?["token"] as? String else {
            throw RestartHarness.Failure(description: "login of \(user): \(r.status) \(r.body)")
        }
        return t
    }

    func call(_ method: String, _ path: String, token: String? = nil, body: String? = nil) throws -> (
        status: Int, body: String
    ) {
        guard
            let r = TinyHTTP.request(method, port: ports.http, path: path, token: token, body: body, timeoutMs: 5000)
        else { throw RestartHarness.Failure(description: "\(method) \(path): no answer") }
        return r
    }

    /// The id of the alert of a device (the first, by number), as the administrator lists them; nil before it exists.
    func alertID(device: String) throws -> String? {
        let r = try call("GET", "/api/v1/alerts?limit=1000", token: try token("root"))
        let list = try Binary.json(r.body) as? [[String: Any]] ?? []
        return list.first { $0["device"] as? String == device }?["id"] as? String
    }

    /// One page of the queue's change feed: (id, rev, alert object) in order, and `next_after_rev`.
    func feed(_ queue: String, afterRev: Int64, limit: Int = 500, token: String) throws -> (
        alerts: [(id: String, rev: Int64, alert: [String: Any])], next: Int64
    ) {
        let r = try call("GET", "/api/v1/queues/\(queue)/alerts?after_rev=\(afterRev)&limit=\(limit)", token: token)
        guard r.status == 200, let o = try Binary.json(r.body) as? [String: Any],
            let alerts = o["alerts"] as? [[String: Any]], let next = (o["next_after_rev"] as? NSNumber)?.int64Value
        else { throw RestartHarness.Failure(description: "feed of \(queue): \(r.status) \(r.body.prefix(300))") }
        return (alerts.map { ($0["id"] as? String ?? "", ($0["rev"] as? NSNumber)?.int64Value ?? -1, $0) }, next)
    }

    /// The whole feed after `afterRev`, paged.
    func wholeFeed(_ queue: String, afterRev: Int64 = 0, token: String) throws -> [(
        id: String, rev: Int64, alert: [String: Any]
    )] {
        var out: [(id: String, rev: Int64, alert: [String: Any])] = []
        var from = afterRev
        while true {
            let page = try feed(queue, afterRev: from, limit: 100, token: token)
            out += page.alerts
            if page.alerts.count < 100 { return out }
            from = page.next
        }
    }

    /// Polls `condition` every 100 ms until it holds or `timeoutS` passes.
    static func waitUntil(_ what: String, timeoutS: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeoutS)
        while Date() < deadline {
            if try condition() { return }
            RestartHarness.sleep(ms: 100)
        }
        throw RestartHarness.Failure(description: "timed out after \(timeoutS) s waiting for \(what)")
    }
}

/// A SUB socket on one queue collecting every publication (id, rev) in the order it arrives.
final class PublicationLog {
    let socket: ZMQSocket
    private(set) var received: [(id: String, rev: Int64, alert: [String: Any])] = []

    init(_ ctx: ZMQContext, endpoint: String, queue: String) throws {
        socket = try ZMQSocket(ctx, .sub)
        try socket.subscribe(queue)
        try socket.connect(endpoint)
        try socket.setReceiveTimeout(50)
        RestartHarness.sleep(ms: 300)  // the subscription reaches the publisher
    }

    /// Takes what has arrived.
    func drain() throws {
        while let parts = try socket.receiveMessage(), parts.count >= 2 {
            let o = try Binary.json(String(decoding: parts[1], as: UTF8.self)) as? [String: Any] ?? [:]
            received.append((o["id"] as? String ?? "", (o["rev"] as? NSNumber)?.int64Value ?? -1, o))
        }
    }
}

import COpenSSL
import SeinhuisCore

/// A stored breach alert as `seinhuis whatif` reads it (docs/WHATIF.md): what routing needs (kind, severity, radex,
/// detection), and what was recorded (the queues routed at once, every queue reached, each queue's handling).
public struct StoredBreach: Sendable, Equatable {
    public var id: String
    public var kind: AlertKind
    public var severity: Severity
    public var radex: Bool
    /// The policy version that routed it.
    public var policy: String
    public var detectedAt: Timestamp
    public var queuesAtOnce: [Queue]
    public var queues: [Queue]
    public var escalation: Int
    public var handling: Handling

    public init(
        id: String, kind: AlertKind, severity: Severity, radex: Bool, policy: String, detectedAt: Timestamp,
        queuesAtOnce: [Queue], queues: [Queue], escalation: Int, handling: Handling
    ) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.radex = radex
        self.policy = policy
        self.detectedAt = detectedAt
        self.queuesAtOnce = queuesAtOnce
        self.queues = queues
        self.escalation = escalation
        self.handling = handling
    }
}

/// Names of stored alerts' columns read in place: the column's bytes compared with each known name, so reading a
/// year of breaches builds no `String` per row for them (docs/PERFORMANCE.md, "What if").
struct AlertNames {
    static let kinds = AlertKind.allCases.map { (Array($0.rawValue.utf8), $0) }
    static let severities = Severity.allCases.map { (Array($0.rawValue.utf8), $0) }
    static let queueNames = Queue.allCases.map { (Array($0.rawValue.utf8), $0) }
    /// The policy versions seen so far (a period has one or two).
    private var policies: [([UInt8], String)] = []

    static func find<T>(_ b: UnsafeBufferPointer<UInt8>, in table: [([UInt8], T)]) -> T? {
        table.first { $0.0.count == b.count && $0.0.elementsEqual(b) }?.1
    }

    static func queue(_ b: UnsafeBufferPointer<UInt8>) -> Queue? { find(b, in: queueNames) }

    func kind(_ r: Row, _ i: Int32, alert id: String) throws -> AlertKind {
        if let k = r.withText(i, { Self.find($0, in: Self.kinds) }) { return k }
        return try r.alertKind(i, alert: id)  // the error that names the alert and the value
    }

    func severity(_ r: Row, _ i: Int32, alert id: String) throws -> Severity {
        if let s = r.withText(i, { Self.find($0, in: Self.severities) }) { return s }
        return try r.severity(i, alert: id)
    }

    mutating func policy(_ r: Row, _ i: Int32) -> String {
        if let p = r.withText(i, { Self.find($0, in: policies) }) { return p }
        let p = r.text(i)
        policies.append((Array(p.utf8), p))
        return p
    }
}

extension Store {
    /// The breach alerts (alerts with a device; review notices excluded) detected in [from, to), in the order they
    /// were raised, with their recorded handling.
    public func storedBreaches(from: Timestamp, to: Timestamp) throws -> [StoredBreach] {
        let s = try db.prepare(
            """
            SELECT id, breach, severity, radex, policy, detected_at, queues_at_once, queues, escalation, handling
            FROM alert WHERE detected_at >= ? AND detected_at < ? AND device IS NOT NULL ORDER BY number
            """)
        try s.bind([.integer(from.milliseconds), .integer(to.milliseconds)])
        var out: [StoredBreach] = []
        var names = AlertNames()
        try s.forEach { r in
            let id = r.text(0)
            let reached = r.withText(7) { Self.queues($0) }
            let handling = r.withText(9) { b in b.isEmpty ? nil : Handling(storedBytes: b) }
            out.append(
                StoredBreach(
                    id: id, kind: try names.kind(r, 1, alert: id), severity: try names.severity(r, 2, alert: id),
                    radex: r.int(3) != 0, policy: names.policy(r, 4), detectedAt: Timestamp(milliseconds: r.int(5)),
                    queuesAtOnce: r.isNull(6) ? reached : r.withText(6) { Self.queues($0) }, queues: reached,
                    escalation: Int(r.int(8)), handling: handling ?? Handling(reached: reached)))
        }
        return out
    }

    /// `vcet,police` read in place; unknown names are left out (as `Queue(rawValue:)` of each name).
    static func queues(_ b: UnsafeBufferPointer<UInt8>) -> [Queue] {
        var out: [Queue] = []
        var start = 0
        for i in 0...b.count where i == b.count || b[i] == UInt8(ascii: ",") {
            if i > start, let q = AlertNames.queue(UnsafeBufferPointer(rebasing: b[start..<i])) { out.append(q) }
            start = i + 1
        }
        return out
    }

    /// The routing policy `serve` last started with, as `recordPolicyInForce` keeps it: `version sha256-hex`; nil
    /// when no `serve` ever ran on this database (it then routes with the built-in v1 until one does).
    public func policyInForce() throws -> String? { try meta("policy.in_force") }

    /// The fingerprint `policyInForce` holds for a policy: its version and the SHA-256 of its canonical JSON.
    public static func policyFingerprint(_ policy: RoutingPolicy) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array(policy.canonicalJSON.utf8)
        bytes.withUnsafeBufferPointer { b in
            digest.withUnsafeMutableBufferPointer { d in _ = COpenSSL.SHA256(b.baseAddress, b.count, d.baseAddress) }
        }
        return "\(policy.version) \(AuditHex.encode(digest))"
    }
}

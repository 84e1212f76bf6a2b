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
        func queues(_ text: String) -> [Queue] { text.split(separator: ",").compactMap { Queue(rawValue: String($0)) } }
        var out: [StoredBreach] = []
        try s.forEach { r in
            let id = r.text(0)
            let reached = r.text(7)
            let atOnce = r.isNull(6) ? reached : r.text(6)
            out.append(
                StoredBreach(
                    id: id, kind: try r.alertKind(1, alert: id), severity: try r.severity(2, alert: id),
                    radex: r.int(3) != 0, policy: r.text(4), detectedAt: Timestamp(milliseconds: r.int(5)),
                    queuesAtOnce: queues(atOnce), queues: queues(reached), escalation: Int(r.int(8)),
                    handling: Self.handling(r.text(9), queues: reached)))
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

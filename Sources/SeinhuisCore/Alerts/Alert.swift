/// The life of an alert (PROTOCOL 4.3).
public enum AlertState: String, Sendable, CaseIterable {
    case open, acknowledged, responded, closed
}

/// The queues of PROTOCOL 4.2, in their canonical order.
public enum Queue: String, Sendable, CaseIterable, Comparable {
    case vcet, coordinator, cic, police, cell

    public static func < (a: Queue, b: Queue) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// An alert: a breach occurrence (or a review notice) as routed to queues (PROTOCOL 4.3).
public struct Alert: Sendable, Equatable {
    public var id: String
    public var dossier: String
    /// Nil for review notices.
    public var device: String?
    /// A breach kind's name, or `review_due` / `review_overdue`.
    public var breach: String
    public var severity: String
    public var radex: Bool
    /// Every queue the alert has reached, in canonical order.
    public var queues: [Queue]
    public var zone: String?
    public var eventTs: Timestamp
    public var detectedAt: Timestamp
    public var clearedAt: Timestamp?
    public var state: AlertState
    public var escalation: Int
    public var policy: String
    /// Review notices: the review deadline (`YYYY-MM-DD`).
    public var deadline: String?
    /// The queues routed at once; `queues` adds those reached by escalation.
    public var queuesAtOnce: [Queue]
    /// When the latest escalation was published (the next one counts from here).
    public var escalatedAt: Timestamp?

    public init(
        id: String, dossier: String, device: String?, breach: String, severity: String, radex: Bool,
        queues: [Queue], zone: String?, eventTs: Timestamp, detectedAt: Timestamp, clearedAt: Timestamp? = nil,
        state: AlertState = .open, escalation: Int = 0, policy: String, deadline: String? = nil,
        queuesAtOnce: [Queue]? = nil, escalatedAt: Timestamp? = nil
    ) {
        self.id = id
        self.dossier = dossier
        self.device = device
        self.breach = breach
        self.severity = severity
        self.radex = radex
        self.queues = queues
        self.zone = zone
        self.eventTs = eventTs
        self.detectedAt = detectedAt
        self.clearedAt = clearedAt
        self.state = state
        self.escalation = escalation
        self.policy = policy
        self.deadline = deadline
        self.queuesAtOnce = queuesAtOnce ?? queues
        self.escalatedAt = escalatedAt
    }

    /// `A-000000123` from the alert's sequence number.
    public static func id(forNumber n: Int64) -> String {
        let digits = String(n)
        return "A-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    /// The PROTOCOL 4.3 JSON object, fields in the contract's order, on one line.
    public var json: String {
        var o = JSONObjectWriter()
        o.int("v", 1)
        o.string("id", id)
        o.string("dossier", dossier)
        o.string("device", device)
        o.string("breach", breach)
        o.string("severity", severity)
        o.bool("radex", radex)
        o.strings("queues", queues.map(\.rawValue))
        o.string("zone", zone)
        o.string("event_ts", eventTs.rfc3339)
        o.string("detected_at", detectedAt.rfc3339)
        if let clearedAt { o.string("cleared_at", clearedAt.rfc3339) }
        o.string("state", state.rawValue)
        o.int("escalation", escalation)
        o.string("policy", policy)
        if let deadline { o.string("deadline", deadline) }
        o.strings("queues_at_once", queuesAtOnce.map(\.rawValue))
        return o.finish()
    }
}

/// Writes one JSON object by hand: exact field order and no Foundation on the publishing path. Bytes are appended to
/// one buffer (no String per field), so an alert's JSON costs one allocation and a copy.
public struct JSONObjectWriter {
    private var out: [UInt8] = []
    private var first = true

    public init() {
        out.reserveCapacity(320)
        out.append(UInt8(ascii: "{"))
    }

    @inline(__always) private mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private mutating func key(_ k: String) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: k.utf8)
        append("\":")
    }

    public mutating func string(_ k: String, _ v: String?) {
        key(k)
        if let v { JSONObjectWriter.appendQuoted(v, to: &out) } else { append("null") }
    }
    public mutating func int<I: BinaryInteger>(_ k: String, _ v: I) {
        key(k)
        if let small = Int64(exactly: v) {
            JSONObjectWriter.appendDecimal(small, to: &out)
        } else {
            out.append(contentsOf: String(v).utf8)
        }
    }
    public mutating func double(_ k: String, _ v: Double) {
        key(k)
        if v.isFinite { out.append(contentsOf: String(v).utf8) } else { append("null") }
    }
    public mutating func bool(_ k: String, _ v: Bool) {
        key(k)
        if v { append("true") } else { append("false") }
    }
    public mutating func strings(_ k: String, _ vs: [String]) {
        key(k)
        out.append(UInt8(ascii: "["))
        for (i, v) in vs.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONObjectWriter.appendQuoted(v, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
    /// Inserts already-encoded JSON.
    public mutating func raw(_ k: String, _ json: String) {
        key(k)
        out.append(contentsOf: json.utf8)
    }

    public mutating func finish() -> String {
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    public static func quoted(_ s: String) -> String {
        var o: [UInt8] = []
        appendQuoted(s, to: &o)
        return String(decoding: o, as: UTF8.self)
    }

    public static func appendQuoted(_ s: String, to out: inout String) {
        out += quoted(s)
    }

    /// `s` as a JSON string: `"` and `\` escaped, control characters as \n, \r, \t or \u00XX; everything else as is
    /// (UTF-8 passes through: only bytes below 0x20 and the two ASCII specials need escaping).
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)],
                ])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A decimal integer without a String in between.
    static func appendDecimal(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = UInt8(truncatingIfNeeded: m % 10) + 48
                m /= 10
                n += 1
            } while m > 0
            out.append(contentsOf: d[(20 - n)...])
        }
    }
}

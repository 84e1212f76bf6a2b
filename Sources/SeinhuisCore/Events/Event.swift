/// What a device reported: one decoded, validated event of PROTOCOL section 2.
public struct DeviceEvent: Sendable, Equatable {
    /// Device id, 1-64 characters of `[A-Za-z0-9._-]`.
    public var device: String
    /// Per-device sequence number; (device, seq) identifies the event.
    public var seq: UInt64
    /// When the device observed it.
    public var ts: Timestamp
    /// The kind-specific reading.
    public var reading: Reading

    public init(device: String, seq: UInt64, ts: Timestamp, reading: Reading) {
        self.device = device
        self.seq = seq
        self.ts = ts
        self.reading = reading
    }

    public var kind: EventKind { reading.kind }
}

/// The event kinds of PROTOCOL section 2, with a stable small number for compact storage.
public enum EventKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case position = 1, presence, strap, `case`, battery, gnss, power, heartbeat

    /// The contract's name (`"position"`, `"case"`, ...).
    public var name: String { staticName.description }

    /// The name as a literal (the decoder compares frame bytes with it).
    var staticName: StaticString {
        switch self {
        case .position: "position"
        case .presence: "presence"
        case .strap: "strap"
        case .case: "case"
        case .battery: "battery"
        case .gnss: "gnss"
        case .power: "power"
        case .heartbeat: "heartbeat"
        }
    }

    public var description: String { name }

    public init?(name: String) {
        guard let k = EventKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = k
    }
}

/// Strap and case tamper sensors.
public enum TamperState: UInt8, Sendable, Equatable {
    case opened = 1, closed = 2
}

/// Satellite reception.
public enum GNSSState: UInt8, Sendable, Equatable {
    case ok = 1, lost = 2, jammed = 3
}

/// Home unit mains power.
public enum PowerState: UInt8, Sendable, Equatable {
    case lost = 1, restored = 2
}

/// The kind-specific content of an event.
public enum Reading: Sendable, Equatable {
    /// A GNSS fix: degrees, and accuracy in metres (> 0).
    case position(lat: Double, lon: Double, acc: Double)
    /// The tag is (or is not) in RF range of its home unit.
    case presence(Bool)
    case strap(TamperState)
    case `case`(TamperState)
    /// Level 0.0-1.0.
    case battery(level: Double, charging: Bool)
    case gnss(GNSSState)
    case power(PowerState)
    case heartbeat

    public var kind: EventKind {
        switch self {
        case .position: .position
        case .presence: .presence
        case .strap: .strap
        case .case: .case
        case .battery: .battery
        case .gnss: .gnss
        case .power: .power
        case .heartbeat: .heartbeat
        }
    }
}

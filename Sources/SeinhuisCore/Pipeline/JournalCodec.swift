/// The layouts of a journal block (the `format` column of `journal_block`).
public enum JournalFormat: Int64, Sendable {
    /// Per event: device id (varint), seq (varint), ts as a zig-zag varint (absolute for the block's first event, a
    /// difference from it for the others), the kind byte, then the reading (doubles as little-endian IEEE 754 bit
    /// patterns, so nothing is rounded). What `replay` writes (its clock is the stream's own), and every block of a
    /// database from before contract 1.1.
    case v1 = 1
    /// `serve`'s: as v1, and what start-up needs to judge the event again exactly as it was judged on arrival
    /// (PROTOCOL 2.4): the kind byte's high bit set when the event was not evaluated (clock-skewed, late, outside
    /// its dossier's period), and after it the receive clock at which it was taken, as a varint difference from the
    /// previous event's (absolute for the block's first; the clock never runs backwards, so usually one byte: 0).
    case v2 = 2
}

/// The journal's compact binary encoding of accepted events, one block per committed batch (`JournalFormat`).
public struct JournalBlockBuilder: Sendable {
    public let format: JournalFormat
    public private(set) var data: [UInt8] = []
    public private(set) var count = 0
    public private(set) var baseTs: Int64 = 0
    public private(set) var minTs: Int64 = .max
    public private(set) var maxTs: Int64 = .min
    /// v2: the receive clock of the latest event, and where its kind byte is (to mark it not evaluated).
    private var lastReceived: Int64 = 0
    private var lastKindAt = -1
    /// Each device's latest qualifying fix in the block (by `ts`): the store keeps it in `device_fix` for the
    /// console's map, one row per device per block rather than one per event.
    public private(set) var latestFixes: [Int64: LatestFix] = [:]

    public init(reserve: Int = 1 << 16, format: JournalFormat = .v1) {
        self.format = format
        data.reserveCapacity(reserve)
    }

    /// The high bit of the kind byte (v2): the event was stored and not evaluated.
    public static let notEvaluatedBit: UInt8 = 0x80

    public var isEmpty: Bool { count == 0 }

    public mutating func reset() {
        data.removeAll(keepingCapacity: true)
        lastKindAt = -1
        latestFixes.removeAll(keepingCapacity: true)
        count = 0
        minTs = .max
        maxTs = .min
    }

    /// Appends an event taken at `receivedAt` (the pipeline clock; v2 records it, v1 ignores it).
    public mutating func append(deviceID: Int64, _ e: DeviceEvent, receivedAt: Timestamp = .distantPast) {
        let ts = e.ts.milliseconds
        if count == 0 { baseTs = ts }
        count += 1
        if ts < minTs { minTs = ts }
        if ts > maxTs { maxTs = ts }
        // The first event carries its absolute time, the others their difference from it.
        let d = count == 1 ? ts : ts &- baseTs
        let v2 = format == .v2
        var kindAt = 0
        let start = data.count
        // Encoded on the stack, then appended once: at most 4 varints of 10 bytes, the kind, 3 doubles.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maxEventBytes) { buf in
            var n = 0
            @inline(__always) func byte(_ b: UInt8) {
                buf[n] = b
                n += 1
            }
            @inline(__always) func varint(_ v0: UInt64) {
                var v = v0
                while v >= 0x80 {
                    byte(UInt8(truncatingIfNeeded: v) | 0x80)
                    v >>= 7
                }
                byte(UInt8(v))
            }
            @inline(__always) func double(_ x: Double) {
                var bits = x.bitPattern
                for _ in 0..<8 {
                    byte(UInt8(truncatingIfNeeded: bits))
                    bits >>= 8
                }
            }
            varint(UInt64(bitPattern: deviceID))
            varint(e.seq)
            varint(UInt64(bitPattern: (d << 1) ^ (d >> 63)))
            kindAt = n
            byte(e.kind.rawValue)
            if v2 {
                let r = receivedAt.milliseconds
                varint(UInt64(bitPattern: count == 1 ? r : max(0, r &- lastReceived)))
                lastReceived = count == 1 ? r : max(lastReceived, r)
            }
            switch e.reading {
            case .position(let lat, let lon, let acc):
                if acc <= LatestFix.qualifyingMetres, ts >= latestFixes[deviceID]?.ts ?? .min {
                    latestFixes[deviceID] = LatestFix(ts: ts, lat: lat, lon: lon, acc: acc)
                }
                double(lat)
                double(lon)
                double(acc)
            case .presence(let p): byte(p ? 1 : 0)
            case .strap(let s), .case(let s): byte(s.rawValue)
            case .battery(let level, let charging):
                double(level)
                byte(charging ? 1 : 0)
            case .gnss(let s): byte(s.rawValue)
            case .power(let s): byte(s.rawValue)
            case .heartbeat: break
            }
            data.append(contentsOf: UnsafeBufferPointer(rebasing: buf[0..<n]))
        }
        lastKindAt = start + kindAt
    }

    /// Marks the event appended last as not evaluated (v2; v1 has no room for it and ignores it).
    public mutating func markLastNotEvaluated() {
        guard format == .v2, lastKindAt >= 0 else { return }
        data[lastKindAt] |= Self.notEvaluatedBit
    }

    /// The most bytes one event takes: four 10-byte varints, the kind byte, three doubles.
    static let maxEventBytes = 4 * 10 + 1 + 3 * 8
}

/// Reads a journal block back: the inverse of `JournalBlockBuilder`.
public struct JournalBlockReader {
    let bytes: UnsafeRawBufferPointer
    let format: JournalFormat
    var i = 0
    var baseTs: Int64?
    /// After `next`: whether the event was evaluated when it arrived (v1: always true, it says nothing), and the
    /// receive clock at which it was taken (v1: nil).
    public private(set) var evaluated = true
    public private(set) var receivedAt: Timestamp?

    public init(_ bytes: UnsafeRawBufferPointer, format: JournalFormat = .v1) {
        self.bytes = bytes
        self.format = format
    }

    /// The next event with its device id, or nil at the end (or on a damaged block).
    public mutating func next(deviceName: (Int64) -> String) -> (deviceID: Int64, event: DeviceEvent)? {
        guard i < bytes.count, let dev = varint(), let seq = varint(), let zz = varint(), i < bytes.count else {
            return nil
        }
        let delta = Int64(bitPattern: zz >> 1) ^ -Int64(bitPattern: zz & 1)
        let ts: Int64
        if let b = baseTs { ts = b &+ delta } else { ts = delta; baseTs = delta }
        let kindByte = bytes[i]
        i += 1
        if format == .v2 {
            guard let r = varint() else { return nil }
            let received = receivedAt.map { $0.milliseconds &+ Int64(bitPattern: r) } ?? Int64(bitPattern: r)
            receivedAt = Timestamp(milliseconds: received)
            evaluated = kindByte & JournalBlockBuilder.notEvaluatedBit == 0
        }
        guard let kind = EventKind(rawValue: format == .v2 ? kindByte & ~JournalBlockBuilder.notEvaluatedBit : kindByte)
        else { return nil }
        let reading: Reading
        switch kind {
        case .position:
            guard let lat = double(), let lon = double(), let acc = double() else { return nil }
            reading = .position(lat: lat, lon: lon, acc: acc)
        case .presence: guard let b = byte() else { return nil }; reading = .presence(b == 1)
        case .strap: guard let b = byte(), let s = TamperState(rawValue: b) else { return nil }; reading = .strap(s)
        case .case: guard let b = byte(), let s = TamperState(rawValue: b) else { return nil }; reading = .case(s)
        case .battery:
            guard let l = double(), let c = byte() else { return nil }
            reading = .battery(level: l, charging: c == 1)
        case .gnss: guard let b = byte(), let s = GNSSState(rawValue: b) else { return nil }; reading = .gnss(s)
        case .power: guard let b = byte(), let s = PowerState(rawValue: b) else { return nil }; reading = .power(s)
        case .heartbeat: reading = .heartbeat
        }
        let id = Int64(bitPattern: dev)
        return (id, DeviceEvent(device: deviceName(id), seq: seq, ts: Timestamp(milliseconds: ts), reading: reading))
    }

    private mutating func byte() -> UInt8? {
        guard i < bytes.count else { return nil }
        defer { i += 1 }
        return bytes[i]
    }

    private mutating func varint() -> UInt64? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count, shift < 64 {
            let b = bytes[i]
            i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return nil
    }

    private mutating func double() -> Double? {
        guard i + 8 <= bytes.count else { return nil }
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
        i += 8
        return Double(bitPattern: bits)
    }
}

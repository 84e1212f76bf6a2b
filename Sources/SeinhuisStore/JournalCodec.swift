import SeinhuisCore

/// The journal's compact binary encoding of accepted events, one block per committed batch.
///
/// Per event: device id (varint), seq (varint), ts as a zig-zag varint (absolute for the block's first event, a
/// difference from it for the others), the
/// kind byte, then the reading (doubles as little-endian IEEE 754 bit patterns, so nothing is rounded).
public struct JournalBlockBuilder: Sendable {
    public private(set) var data: [UInt8] = []
    public private(set) var count = 0
    public private(set) var baseTs: Int64 = 0
    public private(set) var minTs: Int64 = .max
    public private(set) var maxTs: Int64 = .min

    public init(reserve: Int = 1 << 16) { data.reserveCapacity(reserve) }

    public var isEmpty: Bool { count == 0 }

    public mutating func reset() {
        data.removeAll(keepingCapacity: true)
        count = 0
        minTs = .max
        maxTs = .min
    }

    public mutating func append(deviceID: Int64, _ e: DeviceEvent) {
        let ts = e.ts.milliseconds
        if count == 0 { baseTs = ts }
        count += 1
        if ts < minTs { minTs = ts }
        if ts > maxTs { maxTs = ts }
        // The first event carries its absolute time, the others their difference from it.
        let d = count == 1 ? ts : ts &- baseTs
        // Encoded on the stack, then appended once: at most 3 varints of 10 bytes, the kind, 3 doubles.
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
            byte(e.kind.rawValue)
            switch e.reading {
            case .position(let lat, let lon, let acc):
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
    }

    /// The most bytes one event takes: three 10-byte varints, the kind byte, three doubles.
    static let maxEventBytes = 3 * 10 + 1 + 3 * 8
}

/// Reads a journal block back: the inverse of `JournalBlockBuilder`.
public struct JournalBlockReader {
    let bytes: UnsafeRawBufferPointer
    var i = 0
    var baseTs: Int64?

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The next event with its device id, or nil at the end (or on a damaged block).
    public mutating func next(deviceName: (Int64) -> String) -> (deviceID: Int64, event: DeviceEvent)? {
        guard i < bytes.count, let dev = varint(), let seq = varint(), let zz = varint(), i < bytes.count else {
            return nil
        }
        let delta = Int64(bitPattern: zz >> 1) ^ -Int64(bitPattern: zz & 1)
        let ts: Int64
        if let b = baseTs { ts = b &+ delta } else { ts = delta; baseTs = delta }
        guard let kind = EventKind(rawValue: bytes[i]) else { return nil }
        i += 1
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

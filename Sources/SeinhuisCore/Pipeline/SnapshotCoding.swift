/// The byte encoding of the pipeline's snapshots (docs/ARCHITECTURE.md, "Durable state"): varints, zig-zag
/// integers, IEEE 754 bit patterns, length-prefixed strings and byte runs. Nothing is rounded, so a restored state
/// is bit for bit the one written.
///
/// The format of each part is versioned by the snapshot's header (`PipelineSnapshot.format`); a reader never guesses
/// at an unknown version: it throws, and start-up falls back to an older snapshot or to the journal.
public struct SnapshotWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(reserve: Int = 1 << 16) { bytes.reserveCapacity(reserve) }

    @inline(__always) public mutating func byte(_ b: UInt8) { bytes.append(b) }

    @inline(__always) public mutating func varint(_ v0: UInt64) {
        var v = v0
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// A signed integer as a zig-zag varint (small magnitudes are short, `Int64.min` and `.max` take 10 bytes).
    @inline(__always) public mutating func int(_ v: Int64) {
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    public mutating func count(_ n: Int) { varint(UInt64(n)) }

    public mutating func bool(_ b: Bool) { bytes.append(b ? 1 : 0) }

    public mutating func double(_ x: Double) {
        var bits = x.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bits >>= 8
        }
    }

    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            count(u.count)
            bytes.append(contentsOf: u)
        }
    }

    public mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }

    public mutating func raw<C: Collection>(_ b: C) where C.Element == UInt8 {
        count(b.count)
        bytes.append(contentsOf: b)
    }

    /// Appends another writer's bytes as one length-prefixed section.
    public mutating func section(_ w: SnapshotWriter) { raw(w.bytes) }
}

/// Why a snapshot could not be read; start-up logs it and falls back (it never refuses to start).
public struct SnapshotError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }

    static let truncated = SnapshotError("the snapshot ends early (truncated)")
}

/// Reads what `SnapshotWriter` wrote; every read is bounds-checked and throws `SnapshotError` on damaged bytes.
public struct SnapshotReader {
    private let bytes: [UInt8]
    private var i: Int
    private let end: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        i = 0
        end = bytes.count
    }

    private init(_ bytes: [UInt8], from: Int, to: Int) {
        self.bytes = bytes
        i = from
        end = to
    }

    public var isAtEnd: Bool { i >= end }

    public mutating func byte() throws -> UInt8 {
        guard i < end else { throw SnapshotError.truncated }
        defer { i += 1 }
        return bytes[i]
    }

    public mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while i < end {
            let b = bytes[i]
            i += 1
            guard shift < 64 else { throw SnapshotError("a number in the snapshot is too long") }
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        throw SnapshotError.truncated
    }

    public mutating func int() throws -> Int64 {
        let zz = try varint()
        return Int64(bitPattern: zz >> 1) ^ -Int64(bitPattern: zz & 1)
    }

    /// A count, checked against what is left (each counted item takes at least `minBytes` bytes), so a damaged
    /// length cannot make the reader allocate without bound.
    public mutating func count(minBytes: Int = 1) throws -> Int {
        let n = try varint()
        guard n <= UInt64(end - i) / UInt64(max(1, minBytes)) else {
            throw SnapshotError("a count in the snapshot (\(n)) exceeds its remaining bytes")
        }
        return Int(n)
    }

    public mutating func int32() throws -> Int32 {
        let v = try int()
        guard let x = Int32(exactly: v) else { throw SnapshotError("a value in the snapshot is out of range") }
        return x
    }

    public mutating func uint8() throws -> UInt8 {
        let v = try varint()
        guard let x = UInt8(exactly: v) else { throw SnapshotError("a value in the snapshot is out of range") }
        return x
    }

    public mutating func uint16() throws -> UInt16 {
        let v = try varint()
        guard let x = UInt16(exactly: v) else { throw SnapshotError("a value in the snapshot is out of range") }
        return x
    }

    public mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw SnapshotError("a flag in the snapshot is neither 0 nor 1")
        }
    }

    public mutating func double() throws -> Double {
        guard end - i >= 8 else { throw SnapshotError.truncated }
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
        i += 8
        return Double(bitPattern: bits)
    }

    public mutating func string() throws -> String {
        let n = try count()
        defer { i += n }
        return String(decoding: bytes[i..<(i + n)], as: UTF8.self)
    }

    public mutating func optionalString() throws -> String? {
        try bool() ? try string() : nil
    }

    public mutating func raw() throws -> [UInt8] {
        let n = try count()
        defer { i += n }
        return Array(bytes[i..<(i + n)])
    }

    /// A section written by `SnapshotWriter.section`, as a reader of its own (no copy).
    public mutating func section() throws -> SnapshotReader {
        let n = try count()
        defer { i += n }
        return SnapshotReader(bytes, from: i, to: i + n)
    }
}

/// FNV-1a, 64 bits: the snapshot's checksum, so a damaged row (a bit flipped, bytes cut off by hand) is noticed
/// before it is decoded. Not a defence against deliberate change (the audit chain is; the database is the boundary).
public enum SnapshotChecksum {
    public static func of(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { p in
            for b in p {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01b3
            }
        }
        return h
    }
}

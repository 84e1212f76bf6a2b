import COpenSSL
import SeinhuisCore

/// The audit trail's hash chain (PROTOCOL 7, docs/AUDIT.md). Entry `n`'s `hash` is the lowercase hex SHA-256 of
///
///     prev(32 bytes) ‖ u64(id) ‖ u64(at) ‖ f(actor) ‖ f(role) ‖ f(queue) ‖ f(action) ‖ f(subject) ‖ f(dossier) ‖ f(detail)
///
/// where `prev` is the raw digest of entry `n-1` (32 zero bytes for the first entry), `u64` a big-endian 64-bit
/// integer (`at` in Unix milliseconds) and `f(x)` a field: its UTF-8 length as a big-endian 32-bit integer and its
/// bytes, or `FF FF FF FF` alone for NULL. Every field is length-prefixed, so no two contents hash alike by moving
/// bytes between fields. One hasher (one OpenSSL context and one buffer) serves every entry: verifying allocates
/// nothing per entry.
public final class AuditHasher {
    private let ctx: UnsafeMutablePointer<SHA256_CTX>
    private var buffer: [UInt8] = []
    /// The digest of the last `finish`, raw.
    public private(set) var digest = [UInt8](repeating: 0, count: 32)

    public static let genesis = [UInt8](repeating: 0, count: 32)

    public init() {
        ctx = .allocate(capacity: 1)
        buffer.reserveCapacity(1024)
    }

    deinit {
        ctx.deallocate()
    }

    /// Starts an entry: the previous entry's raw digest (32 bytes), the id and the time.
    @inline(__always) public func begin(prev: UnsafeRawBufferPointer, id: Int64, at: Int64) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: prev)
        append64(UInt64(bitPattern: id))
        append64(UInt64(bitPattern: at))
    }

    @inline(__always) private func append64(_ v: UInt64) {
        var x = v.bigEndian
        withUnsafeBytes(of: &x) { buffer.append(contentsOf: $0) }
    }

    @inline(__always) private func append32(_ v: UInt32) {
        var x = v.bigEndian
        withUnsafeBytes(of: &x) { buffer.append(contentsOf: $0) }
    }

    /// One field: its bytes, or nil for NULL.
    @inline(__always) public func field(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { return append32(0xFFFF_FFFF) }
        append32(UInt32(truncatingIfNeeded: bytes.count))
        buffer.append(contentsOf: bytes)
    }

    public func field(_ s: String?) {
        guard var s else { return field(nil as UnsafeRawBufferPointer?) }
        s.withUTF8 { field(UnsafeRawBufferPointer($0)) }
    }

    /// Hashes what `begin` and `field` collected into `digest`.
    @discardableResult public func finish() -> [UInt8] {
        finishInPlace()
        return digest
    }

    /// `finish` without handing out the digest (a copy kept by the caller would make the next one allocate).
    @inline(__always) func finishInPlace() {
        var ok: Int32 = 0
        digest.withUnsafeMutableBufferPointer { d in
            buffer.withUnsafeBufferPointer { b in
                ok = SHA256_Init(ctx)
                if ok == 1 { ok = SHA256_Update(ctx, b.baseAddress, b.count) }
                if ok == 1 { ok = SHA256_Final(d.baseAddress, ctx) }
            }
        }
        // Only a broken libcrypto fails on memory input; a wrong digest would show as a broken chain, never pass.
        precondition(ok == 1, "SHA-256 failed in libcrypto")
    }

    /// Copies the digest of the last `finish` into `out` (32 bytes).
    @inline(__always) func copyDigest(into out: inout [UInt8]) {
        out.withUnsafeMutableBytes { o in digest.withUnsafeBytes { o.copyMemory(from: $0) } }
    }

    /// The hash of one whole entry as stored: `prev` the previous entry's hash (hex; nil or empty: the first).
    public func hash(prev: String?, _ e: AuditRecord) -> String {
        let p = prev.flatMap(AuditHex.decode) ?? Self.genesis
        p.withUnsafeBytes { begin(prev: $0, id: e.id, at: e.at.milliseconds) }
        for f in [e.actor, e.role, e.queue, e.action, e.subject, e.dossier, e.detail] as [String?] { field(f) }
        return AuditHex.encode(finish())
    }
}

/// Lowercase hex of digests.
public enum AuditHex {
    static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the 64 hex digits of a 32-byte digest into `out` (64 bytes), without allocating.
    @inline(__always) static func encode(_ digest: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        for i in 0..<32 {
            let b = digest[i]
            out[2 * i] = digits[Int(b >> 4)]
            out[2 * i + 1] = digits[Int(b & 0x0f)]
        }
    }

    /// 32 bytes from 64 hex digits; nil for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count == 64 else { return nil }
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let hi = v(u[i]), let lo = v(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
        }
        return out
    }
}

/// One stored entry of the audit trail, as `audit list` shows it.
public struct AuditRecord: Sendable, Equatable {
    public var id: Int64
    public var at: Timestamp
    public var actor: String
    public var role: String?
    public var queue: String?
    public var action: String
    public var subject: String
    public var dossier: String?
    public var detail: String
    public var hash: String

    public init(
        id: Int64, at: Timestamp, actor: String, role: String? = nil, queue: String? = nil, action: String,
        subject: String, dossier: String? = nil, detail: String, hash: String = ""
    ) {
        (self.id, self.at, self.actor, self.role, self.queue) = (id, at, actor, role, queue)
        (self.action, self.subject, self.dossier, self.detail, self.hash) = (action, subject, dossier, detail, hash)
    }

    public var json: String {
        var o = JSONObjectWriter()
        o.int("id", id)
        o.string("at", at.rfc3339)
        o.string("actor", actor)
        o.string("role", role)
        o.string("queue", queue)
        o.string("action", action)
        o.string("subject", subject)
        o.string("dossier", dossier)
        o.string("detail", detail)
        o.string("hash", hash)
        return o.finish()
    }

    static let columns = "id, at, actor, role, queue, action, subject, dossier, detail, hash"

    init(_ r: Row) {
        self.init(
            id: r.int(0), at: Timestamp(milliseconds: r.int(1)), actor: r.text(2), role: r.optionalText(3),
            queue: r.optionalText(4), action: r.text(5), subject: r.text(6), dossier: r.optionalText(7),
            detail: r.text(8), hash: r.text(9))
    }
}

/// The last entry of the chain: recorded in meta `audit.head` with every append, and exported by `audit head` to be
/// kept elsewhere (a truncation of the tail is caught against it).
public struct AuditHead: Sendable, Equatable {
    public var id: Int64
    public var hash: String
    /// When the entry was made (the head's time).
    public var at: Timestamp

    public init(id: Int64, hash: String, at: Timestamp) {
        (self.id, self.hash, self.at) = (id, hash, at)
    }

    /// `id hash at-ms`, the meta value.
    var metaValue: String { "\(id) \(hash) \(at.milliseconds)" }

    init?(metaValue: String) {
        let p = metaValue.split(separator: " ")
        guard p.count == 3, let id = Int64(p[0]), let at = Int64(p[2]) else { return nil }
        self.init(id: id, hash: String(p[1]), at: Timestamp(milliseconds: at))
    }

    public var json: String {
        var o = JSONObjectWriter()
        o.int("id", id)
        o.string("hash", hash)
        o.string("at", at.rfc3339)
        return o.finish()
    }
}

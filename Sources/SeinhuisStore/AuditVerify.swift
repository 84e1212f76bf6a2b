import CSQLite
import SeinhuisCore

#if canImport(Glibc)
    import Glibc
#endif

/// What is wrong at one entry of the audit trail.
public struct AuditProblem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The entry's content no longer gives its hash (an UPDATE).
        case changed
        /// One or more entries are missing from the chain (a DELETE).
        case removed
        /// An entry that the chain does not lead to (an INSERT between two, or after the recorded head).
        case inserted
        /// The entry does not match its hash, and no simpler explanation fits.
        case broken
        /// Entries at the end are gone: a recorded or exported head names an entry past the table's last.
        case truncated
        /// A head (meta `audit.head` or an exported one) disagrees with the chain it names.
        case head
    }

    /// The entry concerned (for `removed` and `truncated`: the first one missing).
    public var id: Int64
    public var kind: Kind
    public var message: String

    public var json: String {
        var o = JSONObjectWriter()
        o.int("id", id)
        o.string("kind", kind.rawValue)
        o.string("message", message)
        return o.finish()
    }
}

/// The outcome of `Store.verifyAudit`.
public struct AuditVerification: Sendable {
    /// Entries whose hash was checked and found right (the intact prefix of the chain).
    public var verified: Int64
    /// The last entry of the intact prefix.
    public var last: AuditHead?
    /// The head recorded in meta, if any.
    public var recorded: AuditHead?
    /// The first problem of the chain walk, then those the heads show; empty when intact.
    public var problems: [AuditProblem]

    public var intact: Bool { problems.isEmpty }

    public var json: String {
        var o = JSONObjectWriter()
        o.bool("intact", intact)
        o.int("verified", verified)
        o.raw("last", last?.json ?? "null")
        o.raw("recorded_head", recorded?.json ?? "null")
        o.raw("problems", "[" + problems.map(\.json).joined(separator: ",") + "]")
        return o.finish()
    }
}

/// A head kept outside the database (`audit head --out FILE`), named by where it came from.
public struct ExportedHead: Sendable {
    public var name: String
    public var head: AuditHead
    public init(name: String, head: AuditHead) { (self.name, self.head) = (name, head) }
}

extension Store {
    /// Walks the whole chain in id order, recomputing every hash, then checks the recorded head and `exported` heads
    /// against it (docs/AUDIT.md says what each check catches). One prepared statement, one hasher, no per-entry
    /// allocation.
    public func verifyAudit(exported: [ExportedHead] = []) throws -> AuditVerification {
        let wanted = Set(exported.map(\.head.id))
        var seen: [Int64: String] = [:]
        let walk = try walkAudit(wanted: wanted, seen: &seen)
        var result = AuditVerification(
            verified: walk.verified, last: walk.last, recorded: try auditHead(), problems: [])
        if let broken = walk.brokenID {
            result.problems.append(try diagnose(brokenID: broken, walk: walk))
        }
        let chainOK = result.problems.isEmpty
        if let p = try recordedHeadProblem(walk: walk, chainOK: chainOK) { result.problems.append(p) }
        for e in exported {
            if let p = exportedHeadProblem(e, walk: walk, seen: seen, chainOK: chainOK) { result.problems.append(p) }
        }
        return result
    }

    struct AuditWalk {
        var verified: Int64 = 0
        var last: AuditHead?
        /// The entry before `last` (for the diagnosis of an entry inserted with a right hash).
        var beforeLast: AuditHead?
        var brokenID: Int64?
        var tableLastID: Int64 = 0
    }

    /// The hot loop: steps through the rows, hashing each from the column bytes SQLite hands out.
    private func walkAudit(wanted: Set<Int64>, seen: inout [Int64: String]) throws -> AuditWalk {
        var w = AuditWalk()
        w.tableLastID = try db.scalarInt("SELECT COALESCE(MAX(id), 0) FROM audit") ?? 0
        let s = try db.prepare("SELECT \(AuditRecord.columns) FROM audit ORDER BY id")
        let h = s.handle
        let hasher = AuditHasher()
        // Three fixed buffers, copied into: the previous digest, the one before it, and the hex of the current.
        var prev = AuditHasher.genesis
        var before = AuditHasher.genesis
        var hex = [UInt8](repeating: 0, count: 64)
        var (lastID, lastAt, beforeID, beforeAt): (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
        defer { sqlite3_reset(h) }
        while try s.step() {
            let id = sqlite3_column_int64(h, 0)
            let at = sqlite3_column_int64(h, 1)
            prev.withUnsafeBytes { hasher.begin(prev: $0, id: id, at: at) }
            for c: Int32 in 2...8 {
                if sqlite3_column_type(h, c) == SQLITE_NULL {
                    hasher.field(nil as UnsafeRawBufferPointer?)
                } else {
                    let p = sqlite3_column_text(h, c)
                    hasher.field(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, c))))
                }
            }
            hasher.finishInPlace()
            let matches = hex.withUnsafeMutableBytes { out in
                hasher.digest.withUnsafeBytes { AuditHex.encode($0, into: out) }
                guard sqlite3_column_bytes(h, 9) == 64, let stored = sqlite3_column_text(h, 9) else { return false }
                return memcmp(stored, out.baseAddress!, 64) == 0
            }
            guard matches else {
                w.brokenID = id
                break
            }
            if !wanted.isEmpty, wanted.contains(id) { seen[id] = AuditHex.encode(hasher.digest) }
            swap(&prev, &before)
            (beforeID, beforeAt) = (lastID, lastAt)
            hasher.copyDigest(into: &prev)
            (lastID, lastAt) = (id, at)
            w.verified += 1
        }
        if w.verified > 0 {
            w.last = AuditHead(id: lastID, hash: AuditHex.encode(prev), at: Timestamp(milliseconds: lastAt))
        }
        if w.verified > 1 {
            w.beforeLast = AuditHead(id: beforeID, hash: AuditHex.encode(before), at: Timestamp(milliseconds: beforeAt))
        }
        return w
    }

    /// Why the entry `brokenID` breaks the chain: the simplest explanation that the entries around it bear out.
    private func diagnose(brokenID x: Int64, walk w: AuditWalk) throws -> AuditProblem {
        let p1 = w.last
        let rows = try auditRecords(AuditQuery(limit: 2).after(p1?.id ?? 0))
        guard let bad = rows.first else {
            return AuditProblem(id: x, kind: .broken, message: "entry \(x) is unreadable")
        }
        let next = rows.count > 1 ? rows[1] : nil
        let hasher = AuditHasher()
        func fits(_ e: AuditRecord, after prev: String?, idShift: Int64 = 0) -> Bool {
            var e2 = e
            e2.id += idShift
            return hasher.hash(prev: prev, e2) == e.hash
        }
        let expected = (p1?.id ?? 0) + 1
        if bad.id > expected {
            let range = bad.id - 1 == expected ? "entry \(expected) is" : "entries \(expected)-\(bad.id - 1) are"
            let from = p1.map { "entry \($0.id)" } ?? "the start"
            return AuditProblem(
                id: expected, kind: .removed,
                message: "\(range) missing: the chain goes from \(from) to entry \(bad.id)")
        }
        // The entry before was inserted with a hash of its own making: this one links past it.
        if let p1, fits(bad, after: w.beforeLast?.hash) || fits(bad, after: w.beforeLast?.hash, idShift: -1) {
            return AuditProblem(
                id: p1.id, kind: .inserted,
                message: "entry \(p1.id) was inserted: entry \(bad.id) links to the entry before it")
        }
        if let next, fits(next, after: p1?.hash) || fits(next, after: p1?.hash, idShift: -1) {
            return AuditProblem(
                id: bad.id, kind: .inserted,
                message: "entry \(bad.id) was inserted: entry \(next.id) links to the entry before it")
        }
        let headNamesIt = try auditHead().map { $0.id == bad.id && $0.hash == bad.hash } ?? false
        if let next, fits(next, after: bad.hash) {
            return AuditProblem(
                id: bad.id, kind: .changed, message: "entry \(bad.id) was changed: its content no longer gives its hash"
            )
        } else if next == nil, headNamesIt {
            return AuditProblem(
                id: bad.id, kind: .changed,
                message: "entry \(bad.id) (the last) was changed: its content no longer gives its hash")
        }
        return AuditProblem(
            id: bad.id, kind: .broken,
            message: "entry \(bad.id) does not match its hash: changed, or entries inserted or removed around it")
    }

    /// The head in meta against the table: a removed tail, entries past the head, a head that names another hash.
    private func recordedHeadProblem(walk w: AuditWalk, chainOK: Bool) throws -> AuditProblem? {
        guard let head = try auditHead() else {
            if try hasAuditHeadKey() {
                return AuditProblem(
                    id: w.tableLastID, kind: .head, message: "the recorded head (meta audit.head) is unreadable")
            }
            guard w.tableLastID > 0 else { return nil }
            return AuditProblem(
                id: w.tableLastID, kind: .head,
                message: "no head is recorded (meta audit.head was removed); the table ends at entry \(w.tableLastID)")
        }
        if head.id > w.tableLastID {
            let first = w.tableLastID + 1
            return AuditProblem(
                id: first, kind: .truncated,
                message:
                    "entries \(first)-\(head.id) were removed from the end: the recorded head is entry \(head.id), the table ends at \(w.tableLastID)"
            )
        }
        guard chainOK else { return nil }
        if head.id < w.tableLastID {
            return AuditProblem(
                id: head.id + 1, kind: .inserted,
                message:
                    "entry \(head.id + 1) comes after the recorded head (entry \(head.id)): appended outside Seinhuis")
        }
        if head.hash != w.last?.hash {
            return AuditProblem(
                id: head.id, kind: .head, message: "the recorded head names another hash for entry \(head.id)")
        }
        return nil
    }

    /// An exported head: its entry must still be there with the same hash.
    private func exportedHeadProblem(
        _ e: ExportedHead, walk w: AuditWalk, seen: [Int64: String], chainOK: Bool
    ) -> AuditProblem? {
        let when = "the head exported at \(e.head.at.rfc3339) (\(e.name))"
        if e.head.id > w.tableLastID {
            let first = w.tableLastID + 1
            return AuditProblem(
                id: first, kind: .truncated,
                message: "entries \(first)-\(e.head.id) were removed from the end: \(when) names entry \(e.head.id)")
        }
        guard let hash = seen[e.head.id] else {
            // Past the broken entry the chain proves nothing; that problem is reported already.
            guard chainOK else { return nil }
            return AuditProblem(
                id: e.head.id, kind: .removed, message: "entry \(e.head.id), named by \(when), is missing")
        }
        guard hash == e.head.hash else {
            return AuditProblem(
                id: e.head.id, kind: .head,
                message: "entry \(e.head.id) does not match \(when): the chain was rewritten from there or before")
        }
        return nil
    }
}

extension AuditQuery {
    func after(_ id: Int64) -> AuditQuery {
        var q = self
        q.afterID = id
        return q
    }
}

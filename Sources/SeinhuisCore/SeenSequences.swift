/// Which (device, seq) pairs have been accepted: PROTOCOL 2.1's duplicate rule.
///
/// Devices number their events upwards, so each device keeps sorted, disjoint ranges of seen numbers; a device that
/// counts without gaps costs one range, whatever its history. Devices are small integer slots handed out by the
/// caller (the ingest's device directory), so the hot path does one array index, not a string hash.
public struct SeenSequences: Sendable {
    /// Per slot: sorted, disjoint, non-adjacent closed ranges.
    private var ranges: [[ClosedRange<UInt64>]] = []

    public init() {}

    public var deviceCount: Int { ranges.count }

    /// Records `seq` for `slot`; returns false if it was seen before (a duplicate).
    @inlinable public mutating func insert(slot: Int, seq: UInt64) -> Bool {
        insertImpl(slot: slot, seq: seq)
    }

    public func contains(slot: Int, seq: UInt64) -> Bool {
        guard slot < ranges.count else { return false }
        let r = ranges[slot]
        let k = Self.firstIndex(r, notBelow: seq)
        return k < r.count && r[k].contains(seq)
    }

    /// Forgets `seq` (a batch that could not be stored must be accepted when it is sent again).
    @discardableResult
    public mutating func remove(slot: Int, seq: UInt64) -> Bool {
        guard slot < ranges.count else { return false }
        var r = ranges[slot]
        let k = Self.firstIndex(r, notBelow: seq)
        guard k < r.count, r[k].contains(seq) else { return false }
        let range = r[k]
        r.remove(at: k)
        var insertAt = k
        if range.lowerBound < seq {
            r.insert(range.lowerBound...(seq - 1), at: insertAt)
            insertAt += 1
        }
        if seq < range.upperBound { r.insert((seq + 1)...range.upperBound, at: insertAt) }
        ranges[slot] = r
        return true
    }

    /// Number of stored ranges (for memory accounting and tests).
    public var rangeCount: Int { ranges.reduce(0) { $0 + $1.count } }

    @usableFromInline mutating func insertImpl(slot: Int, seq: UInt64) -> Bool {
        if slot >= ranges.count { ranges.append(contentsOf: repeatElement([], count: slot - ranges.count + 1)) }
        // Fast path: the next number of a counting device extends its last range.
        if let last = ranges[slot].last {
            if seq > last.upperBound {
                if seq == last.upperBound + 1 {
                    ranges[slot][ranges[slot].count - 1] = last.lowerBound...seq
                } else {
                    ranges[slot].append(seq...seq)
                }
                return true
            }
            if last.contains(seq) { return false }
        } else {
            ranges[slot].append(seq...seq)
            return true
        }
        // Slow path: an older number (reordering, resend): binary search.
        var r = ranges[slot]
        ranges[slot] = []  // keep the array uniquely referenced while editing
        defer { ranges[slot] = r }
        let k = Self.firstIndex(r, notBelow: seq)  // first range whose upperBound >= seq
        if k < r.count, r[k].contains(seq) { return false }
        let joinsPrev = k > 0 && r[k - 1].upperBound &+ 1 == seq
        let joinsNext = k < r.count && seq &+ 1 == r[k].lowerBound
        switch (joinsPrev, joinsNext) {
        case (true, true):
            r[k - 1] = r[k - 1].lowerBound...r[k].upperBound
            r.remove(at: k)
        case (true, false): r[k - 1] = r[k - 1].lowerBound...seq
        case (false, true): r[k] = seq...r[k].upperBound
        case (false, false): r.insert(seq...seq, at: k)
        }
        return true
    }

    private static func firstIndex(_ r: [ClosedRange<UInt64>], notBelow seq: UInt64) -> Int {
        var lo = 0, hi = r.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if r[mid].upperBound < seq { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

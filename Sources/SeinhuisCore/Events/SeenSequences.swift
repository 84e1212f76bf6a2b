/// Which (device, seq) pairs have been accepted: PROTOCOL 2.1's duplicate rule.
///
/// Devices number their events upwards, so each device keeps sorted, disjoint ranges of seen numbers; a device that
/// counts without gaps costs one range, whatever its history. Devices are small integer slots handed out by the
/// caller (the ingest's device directory), so the hot path does one array index, not a string hash.
public struct SeenSequences: Sendable {
    /// Per slot, the newest range (`low > high`: none yet), in flat arrays: a counting device touches only these.
    private var low: [UInt64] = []
    private var high: [UInt64] = []
    /// Per slot: the older ranges, sorted, disjoint and non-adjacent, all below the newest one.
    private var older: [[ClosedRange<UInt64>]] = []

    public init() {}

    public var deviceCount: Int { low.count }

    /// Records `seq` for `slot`; returns false if it was seen before (a duplicate).
    public mutating func insert(slot: Int, seq: UInt64) -> Bool {
        if slot >= low.count { grow(to: slot) }
        let lo = low[slot], hi = high[slot]
        if lo > hi {  // the device's first number
            low[slot] = seq
            high[slot] = seq
            return true
        }
        // Fast path: the next number of a counting device extends its newest range.
        if seq > hi {
            if seq == hi + 1 {
                high[slot] = seq
            } else {
                older[slot].append(lo...hi)
                low[slot] = seq
                high[slot] = seq
            }
            return true
        }
        if seq >= lo { return false }
        // Slow path: an older number (reordering, resend).
        var r = all(slot)
        guard Self.insert(seq, into: &r) else { return false }
        store(r, slot)
        return true
    }

    public func contains(slot: Int, seq: UInt64) -> Bool {
        guard slot < low.count else { return false }
        if low[slot] <= seq && seq <= high[slot] { return true }
        let r = older[slot]
        let k = Self.firstIndex(r, notBelow: seq)
        return k < r.count && r[k].contains(seq)
    }

    /// Forgets `seq` (a batch that could not be stored must be accepted when it is sent again).
    @discardableResult
    public mutating func remove(slot: Int, seq: UInt64) -> Bool {
        guard slot < low.count else { return false }
        var r = all(slot)
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
        store(r, slot)
        return true
    }

    /// Every range of numbers seen for `slot`, sorted (for the snapshot).
    public func ranges(slot: Int) -> [ClosedRange<UInt64>] { slot < low.count ? all(slot) : [] }

    /// Sets the numbers seen for `slot` (a restored snapshot); `ranges` must be sorted, disjoint and non-adjacent,
    /// as `ranges(slot:)` gives them (checked: false, and nothing set, otherwise).
    public mutating func restore(slot: Int, ranges r: [ClosedRange<UInt64>]) -> Bool {
        for k in r.indices.dropFirst() where r[k - 1].upperBound &+ 1 >= r[k].lowerBound || r[k - 1].upperBound == .max {
            return false
        }
        if slot >= low.count { grow(to: slot) }
        store(r, slot)
        return true
    }

    /// Number of stored ranges (for memory accounting and tests).
    public var rangeCount: Int {
        older.reduce(0) { $0 + $1.count } + zip(low, high).filter { $0.0 <= $0.1 }.count
    }

    private mutating func grow(to slot: Int) {
        let n = slot - low.count + 1
        low.append(contentsOf: repeatElement(1, count: n))
        high.append(contentsOf: repeatElement(0, count: n))
        older.append(contentsOf: repeatElement([], count: n))
    }

    /// Every range of a slot, the newest last.
    private func all(_ slot: Int) -> [ClosedRange<UInt64>] {
        var r = older[slot]
        if low[slot] <= high[slot] { r.append(low[slot]...high[slot]) }
        return r
    }

    private mutating func store(_ r: [ClosedRange<UInt64>], _ slot: Int) {
        var r = r
        if let last = r.popLast() {
            low[slot] = last.lowerBound
            high[slot] = last.upperBound
        } else {
            low[slot] = 1
            high[slot] = 0
        }
        older[slot] = r
    }

    /// Inserts `seq` into sorted, disjoint, non-adjacent ranges; false if it is already in one.
    private static func insert(_ seq: UInt64, into r: inout [ClosedRange<UInt64>]) -> Bool {
        let k = firstIndex(r, notBelow: seq)  // first range whose upperBound >= seq
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

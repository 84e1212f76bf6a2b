/// Names → small stable numbers (0, 1, 2... in the order they were added), each name stored once.
///
/// An open-addressing table of `Int32` indices into `names` (linear probing, at most half full): about 10 bytes
/// per name besides the name itself, where a `[String: Int]` takes about 63 at 100k names (keys and values in
/// buckets at most three quarters full). The rule engine's device index (looked up by name only when the dossiers
/// change: the ingest caches the index). A lookup is 10-20 ns slower than the dictionary's (benchmark
/// `Directory.*`), so the ingest's per-frame directory stays a `[String: Int]`.
public struct NameIndex: Sendable {
    /// Per index, its name.
    public private(set) var names: [String] = []
    /// A power-of-two number of slots, -1: empty.
    private var slots: [Int32] = []

    public init() {}

    public var count: Int { names.count }

    public subscript(index: Int) -> String { names[index] }

    public func index(of name: String) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var h = name.hashValue & mask
        while true {
            let s = slots[h]
            if s < 0 { return nil }
            if names[Int(s)] == name { return Int(s) }
            h = (h &+ 1) & mask
        }
    }

    /// The name's index; a new name gets the next one.
    public mutating func insert(_ name: String) -> (index: Int, inserted: Bool) {
        if let i = index(of: name) { return (i, false) }
        if (names.count + 1) * 2 > slots.count { rehash(slots: max(16, slots.count * 2)) }
        let i = names.count
        names.append(name)
        place(Int32(i), name)
        return (i, true)
    }

    /// Room for `n` more names without growing: exactly for the first names (array growth by doubling would leave up
    /// to half unused), by at least an eighth later; the slots to the next power of two.
    public mutating func reserve(_ n: Int) {
        if names.count + n > names.capacity {
            names.reserveCapacity(names.isEmpty ? n : max(names.count + n, names.capacity + names.capacity / 8))
        }
        var size = max(16, slots.count)
        while size < (names.count + n) * 2 { size *= 2 }
        if size > slots.count { rehash(slots: size) }
    }

    private mutating func rehash(slots size: Int) {
        slots = [Int32](repeating: -1, count: size)
        for (i, name) in names.enumerated() { place(Int32(i), name) }
    }

    private mutating func place(_ i: Int32, _ name: String) {
        let mask = slots.count - 1
        var h = name.hashValue & mask
        while slots[h] >= 0 { h = (h &+ 1) & mask }
        slots[h] = i
    }
}

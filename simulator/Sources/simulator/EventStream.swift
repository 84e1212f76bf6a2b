import Foundation

/// The event stream as it is written: each slice of stream time is formatted for every device into one arena, sorted
/// by each line's (possibly delayed) time, and copied to the output buffer; duplicates and late lines are mixed in.
struct EventStream: ~Copyable {
    /// What was written.
    struct Counts {
        var events = 0, duplicates = 0, delayed = 0
        var maxTs = Int64.min
    }

    let file: UnsafeMutablePointer<FILE>
    let reorderShare: Double
    let duplicateShare: Double
    private let idLength: Int
    private let ids: UnsafeMutablePointer<UInt8>
    private var arena = ByteBuffer(capacity: 8 << 20)
    private var outBuf = ByteBuffer(capacity: 8 << 20)
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    private var keys: [UInt64] = []
    private var devEvents: [Ev] = []
    private var fmt = LineFormatter()
    private var mix: Rng
    private(set) var counts = Counts()

    init(
        file: UnsafeMutablePointer<FILE>, deviceNames: [String], seed: UInt64, reorderShare: Double,
        duplicateShare: Double
    ) {
        self.file = file
        self.reorderShare = reorderShare
        self.duplicateShare = duplicateShare
        mix = Rng(seed: seed, stream: 0xF11E)
        idLength = deviceNames[0].utf8.count
        ids = UnsafeMutablePointer<UInt8>.allocate(capacity: idLength * deviceNames.count)
        for (k, n) in deviceNames.enumerated() {
            for (j, b) in n.utf8.enumerated() { ids[k * idLength + j] = b }
        }
    }

    deinit { ids.deallocate() }

    /// Formats every device's events in [sliceStart, limit) (the tags', then the protected persons'), sorts them and
    /// appends them to the output.
    mutating func slice(
        _ emitters: inout [DeviceEmitter], victims: inout [VictimEmitter], from sliceStart: Int64,
        before limit: Int64
    ) {
        arena.count = 0
        offsets.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        for dev in 0..<emitters.count {
            devEvents.removeAll(keepingCapacity: true)
            while let e = emitters[dev].next(before: limit) { devEvents.append(e) }
            add(device: dev, lastSeq: emitters[dev].seq, from: sliceStart)
        }
        for k in 0..<victims.count {
            devEvents.removeAll(keepingCapacity: true)
            while let e = victims[k].next(before: limit) { devEvents.append(e) }
            add(device: victims[k].device, lastSeq: victims[k].seq, from: sliceStart)
        }
        keys.sort()
        for k in keys {
            let r = Int(k & 0xFFFF_FFFF)
            let n = Int(lengths[r])
            if outBuf.count + n > outBuf.capacity {
                fwrite(outBuf.base, 1, outBuf.count, file)
                outBuf.count = 0
            }
            outBuf.append(arena.base + offsets[r], n)
        }
    }

    /// Formats `devEvents` of one device into the arena, with their keys (a few delayed, a few duplicated).
    private mutating func add(device dev: Int, lastSeq: UInt64, from sliceStart: Int64) {
        var seq = lastSeq - UInt64(devEvents.count)
        for k in 0..<devEvents.count {
            let e = devEvents[k]
            seq += 1
            counts.maxTs = max(counts.maxTs, e.ts)
            let off = arena.count
            fmt.write(e, device: ids + dev * idLength, deviceLength: idLength, seq: seq, into: &arena)
            var key = e.ts
            if k + 1 < devEvents.count && mix.chance(reorderShare) {
                key = min(e.ts + mix.int64(1000, 8000), devEvents[k + 1].ts - 1)
                if key > e.ts { counts.delayed += 1 }
            }
            offsets.append(off)
            lengths.append(Int32(arena.count - off))
            keys.append(UInt64(key - sliceStart) << 32 | UInt64(keys.count))
            if mix.chance(duplicateShare) {
                offsets.append(off)
                lengths.append(Int32(arena.count - off))
                keys.append(UInt64(key + mix.int64(1, 3000) - sliceStart) << 32 | UInt64(keys.count))
                counts.duplicates += 1
            }
        }
        counts.events += devEvents.count
    }

    /// Writes what the output buffer still holds.
    mutating func flush() {
        if outBuf.count > 0 { fwrite(outBuf.base, 1, outBuf.count, file) }
        outBuf.count = 0
    }
}

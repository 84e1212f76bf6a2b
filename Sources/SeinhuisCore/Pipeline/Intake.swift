/// A rejected frame as the quarantine keeps it (PROTOCOL 2.2): the reason, the frame's first bytes, where it came
/// from.
public struct RejectedFrame: Sendable {
    public var rejection: Rejection
    /// The frame's first `Intake.quarantineFrameBytes` bytes.
    public var bytes: [UInt8]
    /// Its full size.
    public var size: Int
    public var source: String

    public init(rejection: Rejection, bytes: [UInt8], size: Int, source: String) {
        self.rejection = rejection
        self.bytes = bytes
        self.size = size
        self.source = source
    }
}

/// The front of the pipeline, the same for `serve` and `replay`: decodes a frame, checks its device, drops
/// duplicates, and adds the event to the journal block of the current batch. Pure: the devices' journal ids are
/// given to it (`useDevices`), it writes nothing; the caller stores the batch (`block`, `rejections`) and then says
/// so (`batchStored`, or `batchFailed` to forget it).
///
/// Single-threaded by design: one thread owns it, so the hot path takes no lock. For the same reason its per-frame
/// state is `@exclusivity(unchecked)`: one thread, and no access to it overlaps another, so the runtime's dynamic
/// exclusivity checks (about 4 % of serve's ingest thread in a profile) are left out.
public final class Intake {
    @exclusivity(unchecked) public var decoder = EventDecoder()
    @exclusivity(unchecked) public private(set) var seen = SeenSequences()
    /// The device directory: each device id is hashed once per frame, to a slot; everything the hot path needs
    /// about the device then sits in one small record (`slots` and `devices` only grow).
    @exclusivity(unchecked) private var slots: [String: Int] = [:]
    @exclusivity(unchecked) private var names: [String] = []
    @exclusivity(unchecked) private var devices: [DeviceEntry] = []
    /// Bumped when the dossiers change: each slot's known-ness, journal id and rule index are looked up again.
    @exclusivity(unchecked) private var generation: UInt32 = 1
    @exclusivity(unchecked) public private(set) var block: JournalBlockBuilder
    @exclusivity(unchecked) public private(set) var rejections: [RejectedFrame] = []
    /// (slot, seq) of the events accepted into the current batch, to forget them if the batch cannot be stored.
    @exclusivity(unchecked) private var batchAccepted: [(Int, UInt64)] = []
    @exclusivity(unchecked) public var counts = IngestCounts()
    /// The devices named by dossiers, with their journal ids (an unknown device is rejected, PROTOCOL 2.1).
    private var journalIDs: [String: Int64] = [:]
    /// Frames are kept in the quarantine up to this size (the reason and the full size are always kept).
    public let quarantineFrameBytes: Int

    public init(format: JournalFormat, quarantineFrameBytes: Int = 4096) {
        block = JournalBlockBuilder(format: format)
        self.quarantineFrameBytes = quarantineFrameBytes
    }

    /// The devices dossiers name, with their journal ids (given by the store up front, in one transaction).
    /// Known-ness and rule indices are looked up again at each device's next frame.
    public func useDevices(_ ids: [String: Int64]) {
        journalIDs = ids
        generation &+= 1
    }

    public func isKnownDevice(_ device: String) -> Bool { journalIDs[device] != nil }

    private func slot(for device: String) -> Int {
        if let s = slots[device] { return s }
        let s = devices.count
        slots[device] = s
        names.append(device)
        devices.append(DeviceEntry())
        return s
    }

    /// Records an event of the journal as seen (start-up, reading the journal after the snapshot).
    public func markSeen(_ device: String, seq: UInt64) { _ = seen.insert(slot: slot(for: device), seq: seq) }

    /// Takes one frame. Returns the event if it is accepted (new, valid, of a known device), with the device's
    /// index in the rule engine as `ruleIndex` gave it (nil: the engine has no rules for it); rejections and
    /// duplicates are counted (and rejections kept for the quarantine). An accepted event is appended to the batch's
    /// journal block, taken at `receivedAt`.
    @inline(__always)
    public func take(
        _ frame: UnsafeRawBufferPointer, source: String, receivedAt: Timestamp, ruleIndex: (String) -> Int?
    ) -> (event: DeviceEvent, ruleIndex: Int?)? {
        counts.frames += 1
        let event: DeviceEvent
        switch decoder.decode(frame) {
        case .rejected(let r):
            reject(r, frame, source)
            return nil
        case .event(let e):
            event = e
        }
        let s: Int
        if let found = slots[event.device] {
            s = found
        } else {
            // A device no dossier names gets no slot: a stream of made-up ids must not grow the directory.
            guard isKnownDevice(event.device) else {
                rejectUnknown(event.device, frame, source)
                return nil
            }
            s = slot(for: event.device)
        }
        if devices[s].generation != generation {
            devices[s].journalID = journalIDs[event.device] ?? -1
            devices[s].ruleIndex = ruleIndex(event.device).map(Int32.init) ?? -1
            devices[s].generation = generation
        }
        let d = devices[s]
        guard d.journalID >= 0 else {
            rejectUnknown(event.device, frame, source)
            return nil
        }
        guard seen.insert(slot: s, seq: event.seq) else {
            counts.duplicates += 1
            return nil
        }
        block.append(deviceID: d.journalID, event, receivedAt: receivedAt)
        batchAccepted.append((s, event.seq))
        counts.accepted += 1
        return (event, d.ruleIndex >= 0 ? Int(d.ruleIndex) : nil)
    }

    /// The event taken last was stored but not evaluated (clock-skewed, late, outside its dossier's period): the
    /// journal says so, so that start-up does not evaluate it either (PROTOCOL 2.4).
    public func markLastNotEvaluated() { block.markLastNotEvaluated() }

    private func rejectUnknown(_ device: String, _ frame: UnsafeRawBufferPointer, _ source: String) {
        reject(Rejection(.unknownDevice, "no dossier names device \(device)"), frame, source)
    }

    /// How many devices the directory holds (those of dossiers, and of the journal at start).
    public var directoryCount: Int { devices.count }

    private func reject(_ r: Rejection, _ frame: UnsafeRawBufferPointer, _ source: String) {
        counts.reject(r.reason)
        rejections.append(
            RejectedFrame(
                rejection: r, bytes: Array(frame.prefix(quarantineFrameBytes)), size: frame.count, source: source))
    }

    /// Whether the current batch holds anything to write.
    public var hasPending: Bool { !block.isEmpty || !rejections.isEmpty }

    /// The batch (`block`, `rejections`) was stored: start the next one.
    public func batchStored() {
        block.reset()
        rejections.removeAll(keepingCapacity: true)
        batchAccepted.removeAll(keepingCapacity: true)
    }

    /// Takes the current batch out, for another thread to store (replay's reader thread decodes, its main thread
    /// commits). The batch is then done here (as after `batchStored`); `batchFailed` no longer reaches it.
    public func takeBatch() -> IngestBatch {
        let b = IngestBatch(block: block, rejections: rejections)
        batchStored()
        return b
    }

    /// Drops a batch that could not be stored: its events must not count as seen, so a resend is accepted.
    public func batchFailed() {
        for (s, seq) in batchAccepted { seen.remove(slot: s, seq: seq) }
        batchStored()
    }

    // MARK: - Snapshot

    /// The duplicate filter: every device's seen numbers, by name.
    public func snapshot(into w: inout SnapshotWriter) {
        var withRanges: [(String, [ClosedRange<UInt64>])] = []
        for (s, name) in names.enumerated() {
            let r = seen.ranges(slot: s)
            if !r.isEmpty { withRanges.append((name, r)) }
        }
        w.count(withRanges.count)
        for (name, ranges) in withRanges {
            w.string(name)
            w.count(ranges.count)
            var previous: UInt64 = 0
            for r in ranges {
                // Differences from the previous bound: ranges are sorted, so these are small.
                w.varint(r.lowerBound &- previous)
                w.varint(r.upperBound &- r.lowerBound)
                previous = r.upperBound
            }
        }
    }

    /// Restores the duplicate filter `snapshot` wrote (into an intake that has seen nothing yet).
    public func restore(from r: inout SnapshotReader) throws {
        let n = try r.count()
        for _ in 0..<n {
            let name = try r.string()
            let count = try r.count(minBytes: 2)
            var ranges: [ClosedRange<UInt64>] = []
            ranges.reserveCapacity(count)
            var previous: UInt64 = 0
            for _ in 0..<count {
                let (low, o1) = previous.addingReportingOverflow(try r.varint())
                let (high, o2) = low.addingReportingOverflow(try r.varint())
                guard !o1, !o2 else { throw SnapshotError("a sequence range of \(name) overflows") }
                ranges.append(low...high)
                previous = high
            }
            guard seen.restore(slot: slot(for: name), ranges: ranges) else {
                throw SnapshotError("the sequence ranges of \(name) are not sorted")
            }
        }
    }
}

/// A batch taken out of an `Intake` (`takeBatch()`), to store on another thread.
public struct IngestBatch: Sendable {
    public var block: JournalBlockBuilder
    public var rejections: [RejectedFrame]

    public init(block: JournalBlockBuilder, rejections: [RejectedFrame]) {
        self.block = block
        self.rejections = rejections
    }
}

/// What the ingest remembers about one device (one small record per device, for locality).
private struct DeviceEntry {
    var journalID: Int64 = -1
    var ruleIndex: Int32 = -1
    /// `generation` at which `journalID` and `ruleIndex` were looked up (0: never).
    var generation: UInt32 = 0
}

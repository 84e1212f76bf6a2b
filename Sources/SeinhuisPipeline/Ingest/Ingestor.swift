import SeinhuisCore
import SeinhuisStore

/// The front of the pipeline, the same for `serve` and `replay`: decodes a frame, checks its device, drops
/// duplicates, and adds the event to the journal block of the current batch. Single-threaded by design: one
/// ingest thread owns it, so the hot path takes no lock. For the same reason its per-frame state is
/// `@exclusivity(unchecked)`: one thread, and no access to it overlaps another, so the runtime's dynamic
/// exclusivity checks (about 4 % of serve's ingest thread in a profile) are left out.
final class Ingestor {
    let store: Store
    @exclusivity(unchecked) var decoder = EventDecoder()
    @exclusivity(unchecked) private(set) var seen = SeenSequences()
    /// The device directory: each device id is hashed once per frame, to a slot; everything the hot path needs
    /// about the device then sits in one small record (`slots` and `devices` only grow).
    @exclusivity(unchecked) private var slots: [String: Int] = [:]
    @exclusivity(unchecked) private var devices: [DeviceEntry] = []
    /// Bumped when the dossiers change: each slot's known-ness and rule index are looked up again.
    @exclusivity(unchecked) private var generation: UInt32 = 1
    @exclusivity(unchecked) private(set) var block = JournalBlockBuilder()
    @exclusivity(unchecked) private var pendingRejections: [(Rejection, [UInt8], String)] = []
    /// (slot, seq) of the events accepted into the current batch, to forget them if the batch cannot be stored.
    @exclusivity(unchecked) private var batchAccepted: [(Int, UInt64)] = []
    @exclusivity(unchecked) var counts = IngestCounts()
    /// Whether a dossier names the device (an unknown device is rejected, PROTOCOL 2.1).
    var isKnownDevice: (String) -> Bool

    init(store: Store, isKnownDevice: @escaping (String) -> Bool) {
        self.store = store
        self.isKnownDevice = isKnownDevice
    }

    /// Rebuilds the duplicate filter from the journal (PROTOCOL 2.3 allows the filter to live in memory).
    /// Calls `body` with every journaled event, so the caller can rebuild other state in the same pass.
    func rebuild(_ body: (DeviceEvent) -> Void = { _ in }) throws -> Int {
        var n = 0
        try store.forEachJournalEvent { _, e in
            _ = seen.insert(slot: slot(for: e.device).slot, seq: e.seq)
            body(e)
            n += 1
        }
        return n
    }

    private func slot(for device: String) -> (slot: Int, isNew: Bool) {
        if let s = slots[device] { return (s, false) }
        let s = devices.count
        slots[device] = s
        devices.append(DeviceEntry())
        return (s, true)
    }

    /// Gives the dossiers' devices their journal ids up front, in one transaction: created one by one on first use,
    /// each was a commit of its own outside the batch, and 10k new devices stalled serve for 0.4 s.
    func register(_ names: Set<String>) throws {
        try store.transaction { for name in names.sorted() { _ = try store.deviceID(name) } }
    }

    /// The dossiers changed: known devices and rule indices are looked up again at each device's next frame.
    func devicesChanged() { generation &+= 1 }

    /// Takes one frame. Returns the event if it is accepted (new, valid, of a known device), with the device's
    /// index in the rule engine as `ruleIndex` gave it (nil: the engine has no rules for it); rejections and
    /// duplicates are counted (and rejections kept for the quarantine).
    func take(_ frame: UnsafeRawBufferPointer, source: String, ruleIndex: (String) -> Int? = { _ in nil }) throws
        -> (event: DeviceEvent, ruleIndex: Int?)?
    {
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
            s = slot(for: event.device).slot
        }
        if devices[s].generation != generation {
            devices[s].known = isKnownDevice(event.device)
            devices[s].ruleIndex = ruleIndex(event.device).map(Int32.init) ?? -1
            devices[s].generation = generation
        }
        let d = devices[s]
        guard d.known else {
            rejectUnknown(event.device, frame, source)
            return nil
        }
        guard seen.insert(slot: s, seq: event.seq) else {
            counts.duplicates += 1
            return nil
        }
        var journalID = d.journalID
        if journalID < 0 {
            journalID = try store.deviceID(event.device)
            devices[s].journalID = journalID
        }
        block.append(deviceID: journalID, event)
        batchAccepted.append((s, event.seq))
        counts.accepted += 1
        return (event, d.ruleIndex >= 0 ? Int(d.ruleIndex) : nil)
    }

    private func rejectUnknown(_ device: String, _ frame: UnsafeRawBufferPointer, _ source: String) {
        reject(Rejection(.unknownDevice, "no dossier names device \(device)"), frame, source)
    }

    /// How many devices the directory holds (those of dossiers, and of the journal at start).
    var directoryCount: Int { devices.count }

    private func reject(_ r: Rejection, _ frame: UnsafeRawBufferPointer, _ source: String) {
        counts.reject(r.reason)
        pendingRejections.append((r, Array(frame.prefix(store.quarantineFrameBytes)), source))
    }

    /// Whether the current batch holds anything to write.
    var hasPending: Bool { !block.isEmpty || !pendingRejections.isEmpty }

    /// Writes the batch's journal block and quarantined frames (call inside the batch's transaction).
    func writeBatch(receivedAt: Timestamp) throws {
        try store.appendJournal(block, receivedAt: receivedAt)
        for (r, bytes, source) in pendingRejections {
            try bytes.withUnsafeBytes { try store.quarantine(r, frame: $0, source: source, at: receivedAt) }
        }
        block.reset()
        pendingRejections.removeAll(keepingCapacity: true)
        batchAccepted.removeAll(keepingCapacity: true)
    }

    /// Takes the current batch out (journal block and quarantined frames) for another thread to write with
    /// `IngestBatch.write(to:receivedAt:)`: replay's reader thread decodes, the main thread commits. The batch is
    /// then done here (as after `writeBatch`); `discardBatch` no longer reaches it.
    func takeBatch() -> IngestBatch {
        let b = IngestBatch(block: block, rejections: pendingRejections)
        block.reset()
        pendingRejections.removeAll(keepingCapacity: true)
        batchAccepted.removeAll(keepingCapacity: true)
        return b
    }

    /// Drops a batch that could not be written: its events must not count as seen, so a resend is accepted.
    func discardBatch() {
        for (s, seq) in batchAccepted { seen.remove(slot: s, seq: seq) }
        block.reset()
        pendingRejections.removeAll(keepingCapacity: true)
        batchAccepted.removeAll(keepingCapacity: true)
    }
}

/// A batch taken out of an `Ingestor` (`takeBatch()`), to write in another thread's transaction.
struct IngestBatch: Sendable {
    var block: JournalBlockBuilder
    var rejections: [(Rejection, [UInt8], String)]

    /// Writes the journal block and quarantined frames, as `Ingestor.writeBatch` does (inside a transaction).
    func write(to store: Store, receivedAt: Timestamp) throws {
        try store.appendJournal(block, receivedAt: receivedAt)
        for (r, bytes, source) in rejections {
            try bytes.withUnsafeBytes { try store.quarantine(r, frame: $0, source: source, at: receivedAt) }
        }
    }
}

/// What the ingest remembers about one device (one small record per device, for locality).
private struct DeviceEntry {
    var journalID: Int64 = -1
    var ruleIndex: Int32 = -1
    /// `generation` at which `known` and `ruleIndex` were looked up (0: never).
    var generation: UInt32 = 0
    var known = false
}

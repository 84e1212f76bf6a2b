import Collections

/// The breach rules of PROTOCOL 4.1 over a stream of device events, in event time.
///
/// Pure and deterministic: no I/O, no clock. The caller passes time in: events carry their `ts`, and
/// `advance(to:)` moves the pipeline clock (the receive clock in `serve`, the replay watermark in `replay`), which
/// fires period boundaries and timers. Every change of a breach is appended to an `inout [BreachChange]`, with its
/// time in event time.
///
/// Each device of a dossier has its own state and its own timeline: its boundaries (curfew and zone-schedule
/// periods, the dossier's end) and timers (`communication_loss`, `gnss_loss`) are applied in time order with its
/// events, at one instant boundaries first, then events, then timers. A device's next deadline sits in a lazy
/// min-heap (pushed when it has none earlier pending; re-pushed when popped too early), so the heap holds about one
/// entry per device, whatever the event rate. With `RuleConfig.timersFollowDeviceLag` (`serve`), a device's
/// deadlines fall due on the pipeline clock less the device's reporting lag, so a store-and-forward backlog is judged
/// in its own event time.
///
/// The code is split by responsibility: this file holds the state and dossier loading, `RuleEngine+Events` the
/// judging of an event, `RuleEngine+Time` the clock, boundaries, timers and the heap, `RuleEngine+Breaches` the
/// raising and clearing, and `TagState` the per-device state.
///
/// Per event the work is integer comparisons on cached flags; local-time periods are computed ahead by
/// `PeriodTable` and consulted only when a device crosses a boundary.
public struct RuleEngine: Sendable {
    public let config: RuleConfig

    var dossiers: [DossierRules?] = []
    /// Per dossier index: its tags, one per device.
    var dossierTags: [[Int32]] = []
    var dossierIndex: [String: Int] = [:]
    /// Period tables, shared by the dossiers and zones with the same windows in the same time zone.
    var tables: [PeriodTable] = []
    var tableIndex: [TableKey: Int] = [:]
    var tags: [TagState] = []
    /// Device name → its index in `bindings` (stable for the engine's life).
    var deviceIndex: [String: Int] = [:]
    /// Per device index: its tags (one per dossier naming it), in the order of the dossiers' starts, when two or
    /// more dossiers name it; empty otherwise (see `soleTag`, `tags(ofDevice:)`).
    var bindings: [[Int32]] = []
    /// Per device index: its only tag when exactly one dossier names it, else -1 (the hot path's shortcut, and no
    /// array allocated per device).
    var soleTag: [Int32] = []
    var heap = Heap<Deadline>()
    /// The highest time `advance(to:)` was given.
    public internal(set) var now: Timestamp = .distantPast

    public init(config: RuleConfig = .init()) {
        self.config = config
    }

    // MARK: - Queries

    /// The id of the dossier that names `device` and is active at `at` (nil: none).
    public func dossierID(forDevice device: String, at: Timestamp) -> String? {
        guard let d = deviceIndex[device] else { return nil }
        for tag in tags(ofDevice: d) {
            let r = dossiers[Int(tags[Int(tag)].dossier)]!
            if r.activeStart <= at.milliseconds && at.milliseconds < r.activeEnd { return r.id }
        }
        return nil
    }

    /// Whether any loaded dossier names the device (whatever its period): events of other devices are rejected.
    public func isKnownDevice(_ device: String) -> Bool {
        guard let d = deviceIndex[device] else { return false }
        return soleTag[d] >= 0 || !bindings[d].isEmpty
    }

    /// A small stable number for a device named by some dossier, for callers that keep per-device arrays
    /// (`ReplaySequencer`) and for `process(_:deviceIndex:into:)`, which then skips the lookup by name.
    public func deviceIndex(of device: String) -> Int? {
        guard let d = deviceIndex[device], soleTag[d] >= 0 || !bindings[d].isEmpty else { return nil }
        return d
    }

    /// How many device indices exist (an upper bound of `deviceIndex(of:)`).
    public var deviceCount: Int { bindings.count }

    /// The next pipeline-clock time at which `advance(to:)` has something to do (it may find nothing, never misses
    /// anything).
    public var nextDeadline: Timestamp? {
        guard let k = heap.min?.key else { return nil }
        return Timestamp(milliseconds: (k + 1) >> 1)
    }

    /// The open breaches of the dossiers' devices, in a stable order (for tests and the console).
    public var openBreaches: [BreachKey] {
        var out: [BreachKey] = []
        for tag in tags where tag.dossier >= 0 {
            let r = dossiers[Int(tag.dossier)]!
            for kind in BreachKind.allCases where !kind.isZoneBreach && tag.open & kind.bit != 0 {
                out.append(BreachKey(dossier: r.id, device: tag.device, kind: kind))
            }
            for (z, zone) in r.zones.enumerated() where tag.zoneFlags[z] & ZoneFlag.open != 0 {
                out.append(BreachKey(dossier: r.id, device: tag.device, kind: zone.breach, zone: zone.id))
            }
        }
        return out
    }

    // MARK: - Dossiers

    /// Loads the complete set of dossiers in force, at `at` (PROTOCOL 3).
    ///
    /// The first load is done at `Timestamp.distantPast`. A later load is a re-import: unchanged dossiers keep
    /// everything; a changed dossier applies from `at`, its devices keep their state and open breaches, which are
    /// judged against the new conditions at each device's next event or boundary. Breaches of a zone that no longer
    /// exists (or changed kind), of a device no longer named, or of a dossier removed or no longer active at `at`
    /// are cleared at `at`.
    public mutating func load(_ list: [Dossier], at: Timestamp, into changes: inout [BreachChange]) {
        let t = at.milliseconds
        let incoming = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        // Removed dossiers.
        for (id, i) in dossierIndex where incoming[id] == nil {
            for tag in dossierTags[i] { retire(Int(tag), at: t, into: &changes) }
            dossiers[i] = nil
            dossierTags[i] = []
            dossierIndex[id] = nil
        }
        for d in list {
            if let i = dossierIndex[d.id] {
                guard dossiers[i]!.dossier != d else { continue }
                replace(i, with: d, at: t, into: &changes)
            } else {
                let i = dossiers.count
                let r = rules(for: d)
                dossiers.append(r)
                dossierTags.append(d.devices.map { addTag(device: $0, dossier: i, rules: r) })
                dossierIndex[d.id] = i
            }
        }
        rebuildBindings()
    }

    /// The engine's view of a dossier, with its period tables registered (shared when equal).
    private mutating func rules(for d: Dossier) -> DossierRules {
        let clock = LocalClock(identifier: d.timezone) ?? LocalClock(identifier: Dossier.defaultTimeZone)!
        func table(_ windows: [TimeWindow]) -> Int32? {
            guard !windows.isEmpty else { return nil }
            let key = TableKey(timezone: d.timezone, windows: windows)
            if let i = tableIndex[key] { return Int32(i) }
            tables.append(PeriodTable(windows: windows, clock: clock))
            tableIndex[key] = tables.count - 1
            return Int32(tables.count - 1)
        }
        let zones = d.zones.map { z in
            DossierRules.ZoneRules(id: z.id, kind: z.kind, shape: z.shape, schedule: table(z.schedule))
        }
        return DossierRules(d, clock: clock, config: config, curfew: table(d.curfew), zones: zones)
    }

    private mutating func addTag(device: String, dossier: Int, rules r: DossierRules) -> Int32 {
        tags.append(
            TagState(
                device: device, dossier: Int32(dossier), zones: r.zones.count, activeStart: r.activeStart,
                activeEnd: r.activeEnd, commsTimeout: r.commsTimeout))
        return Int32(tags.count - 1)
    }

    /// Ends a tag: its open breaches are cleared at `t`.
    private mutating func retire(_ tag: Int, at t: Int64, into changes: inout [BreachChange]) {
        tags[tag].dossierActive = false
        sync(tag, at: t, into: &changes)
        tags[tag].dossier = -1
        tags[tag].zoneFlags = []
    }

    private mutating func replace(_ i: Int, with d: Dossier, at t: Int64, into changes: inout [BreachChange]) {
        let old = dossiers[i]!
        let oldTags = dossierTags[i]
        let r = rules(for: d)
        var newTags: [Int32] = []
        let wanted = Set(d.devices)
        for tag in oldTags where !wanted.contains(tags[Int(tag)].device) {
            retire(Int(tag), at: t, into: &changes)
        }
        for device in d.devices {
            guard let tag = oldTags.first(where: { tags[Int($0)].device == device }).map(Int.init) else {
                newTags.append(addTag(device: device, dossier: i, rules: r))
                continue
            }
            newTags.append(Int32(tag))
            // Zones that are gone (or changed kind): clear their breaches now.
            var flags = [UInt8](repeating: 0, count: r.zones.count)
            for (z, zone) in old.zones.enumerated() {
                let f = tags[tag].zoneFlags[z]
                if let nz = r.zones.firstIndex(where: { $0.id == zone.id && $0.kind == zone.kind }) {
                    flags[nz] = f & ~ZoneFlag.active
                } else if f & ZoneFlag.open != 0 {
                    emit(
                        .cleared(
                            BreachKey(dossier: d.id, device: device, kind: zone.breach, zone: zone.id),
                            at: Timestamp(milliseconds: t)),
                        tag: tag, into: &changes)
                }
            }
            tags[tag].zoneFlags = flags
        }
        dossierTags[i] = newTags
        dossiers[i] = r
        for tag in newTags.map(Int.init) {
            tags[tag].activeStart = r.activeStart
            tags[tag].activeEnd = r.activeEnd
            tags[tag].commsTimeout = r.commsTimeout
        }
        for tag in newTags.map(Int.init) where tags[tag].flagsValid {
            // The new conditions apply from `t`; open breaches are judged at the next event or boundary, unless the
            // dossier is no longer active at all.
            refresh(tag, at: max(t, tags[tag].flagsFrom))
            if !tags[tag].dossierActive {
                tags[tag].lastContact = TagState.none
                sync(tag, at: t, into: &changes)
            }
            reschedule(tag)
        }
    }

    private mutating func rebuildBindings() {
        for d in bindings.indices { bindings[d].removeAll(keepingCapacity: true) }
        let order = dossiers.indices.compactMap { i in dossiers[i].map { (i, $0.activeStart) } }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        for (i, _) in order {
            for tag in dossierTags[i] {
                let name = tags[Int(tag)].device
                let d: Int
                if let known = deviceIndex[name] {
                    d = known
                } else {
                    d = bindings.count
                    deviceIndex[name] = d
                    bindings.append([])
                }
                bindings[d].append(tag)
            }
        }
        soleTag = bindings.map { $0.count == 1 ? $0[0] : -1 }
        for d in bindings.indices where soleTag[d] >= 0 { bindings[d] = [] }
    }

    /// A device's tags, in the order of the dossiers' starts.
    func tags(ofDevice d: Int) -> [Int32] { soleTag[d] >= 0 ? [soleTag[d]] : bindings[d] }
}

/// A dossier as the engine judges it: its geometry, limits and active period (immutable, shared by reference so
/// the hot path copies no arrays), and the indices of its period tables in the engine.
final class DossierRules: Sendable {
    struct ZoneRules: Sendable {
        let id: String
        let kind: ZoneKind
        let shape: ZoneShape
        /// Index of the schedule's period table; nil: always active.
        let schedule: Int32?
        var breach: BreachKind { kind == .exclusion ? .exclusion_zone_entry : .inclusion_zone_exit }
    }

    let dossier: Dossier
    let id: String
    let home: GeoCircle
    let zones: [ZoneRules]
    /// Index of the curfew's period table; nil: no curfew.
    let curfew: Int32?
    let activeStart: Int64
    let activeEnd: Int64
    let commsTimeout: Int64
    let maxAccuracy: Double
    let consecutiveFixes: Int

    init(_ d: Dossier, clock: LocalClock, config: RuleConfig, curfew: Int32?, zones: [ZoneRules]) {
        dossier = d
        id = d.id
        home = d.home
        self.zones = zones
        self.curfew = curfew
        activeStart = clock.instant(day: d.start.daysSinceEpoch, minutes: 0)
        activeEnd = d.end.map { clock.instant(day: $0.daysSinceEpoch + 1, minutes: 0) } ?? PeriodTable.never
        commsTimeout = Int64(d.commsTimeoutSeconds) * 1000
        maxAccuracy = d.rules?.maxAccuracyMetres ?? config.maxAccuracyMetres
        consecutiveFixes = max(1, min(63, d.rules?.consecutiveFixes ?? config.consecutiveFixes))
    }
}

/// Identifies a shareable period table.
struct TableKey: Hashable, Sendable {
    var timezone: String
    var windows: [TimeWindow]
}

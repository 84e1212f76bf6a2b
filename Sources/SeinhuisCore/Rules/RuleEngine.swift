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
    /// Period tables, shared by the dossiers and zones with the same windows in the same time zone.
    var tables: [PeriodTable] = []
    var tableIndex: [TableKey: Int] = [:]
    var tags: [TagState] = []
    /// Every dossier's zones, flat (see `ZoneTable`), and every tag's per-zone flags (`TagState.zoneFlagBase`).
    var zoneTable = ZoneTable()
    var zoneFlags: [UInt8] = []
    /// Device name → its device index (stable for the engine's life); the names are stored here once, tags and
    /// breach keys refer to them by index.
    var devices = NameIndex()
    /// Per device index: its tags (one per dossier naming it), in the order of the dossiers' starts, when two or
    /// more dossiers name it; empty otherwise (see `soleTag`, `tags(ofDevice:)`).
    var bindings: [[Int32]] = []
    /// Per device index: its only tag when exactly one dossier names it, else -1 (the hot path's shortcut, and no
    /// array allocated per device).
    var soleTag: [Int32] = []
    var heap = Heap<Deadline>()
    /// (1.1) Protected persons' devices, per dossier (`RuleEngine+Proximity`); heap entries of a guard have the tag
    /// index `-1 - guard`.
    var guards: [GuardState] = []
    var guardsOfDevice: [Int32: [Int32]] = [:]
    var guardsOfDossier: [Int32: [Int32]] = [:]
    /// The tags of each dossier that has protected persons.
    var guardedTags: [Int32: [Int32]] = [:]
    var proximity: [ProximityKey: Proximity] = [:]
    /// The highest time `advance(to:)` was given.
    public internal(set) var now: Timestamp = .distantPast

    public init(config: RuleConfig = .init()) {
        self.config = config
    }

    // MARK: - Queries

    /// The id of the dossier that names `device` and is active at `at` (nil: none).
    public func dossierID(forDevice device: String, at: Timestamp) -> String? {
        guard let d = devices.index(of: device) else { return nil }
        for tag in tags(ofDevice: d) {
            let r = dossiers[Int(tags[Int(tag)].dossier)]!
            if r.activeStart <= at.milliseconds && at.milliseconds < r.activeEnd { return r.id }
        }
        return nil
    }

    /// Whether any loaded dossier names the device (whatever its period): events of other devices are rejected.
    public func isKnownDevice(_ device: String) -> Bool {
        guard let d = devices.index(of: device) else { return false }
        return soleTag[d] >= 0 || !bindings[d].isEmpty || guardsOfDevice[Int32(d)] != nil
    }

    /// A small stable number for a device named by some dossier, for callers that keep per-device arrays
    /// (`ReplaySequencer`) and for `process(_:deviceIndex:into:)`, which then skips the lookup by name.
    public func deviceIndex(of device: String) -> Int? {
        guard let d = devices.index(of: device),
            soleTag[d] >= 0 || !bindings[d].isEmpty || guardsOfDevice[Int32(d)] != nil
        else { return nil }
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
            let device = devices[Int(tag.device)]
            for kind in BreachKind.allCases where !kind.isZoneBreach && tag.open & kind.bit != 0 {
                out.append(BreachKey(dossier: r.id, device: device, kind: kind))
            }
            for z in 0..<Int(tag.zoneCount) where zoneFlags[Int(tag.zoneFlagBase) + z] & ZoneFlag.open != 0 {
                let zone = r.dossier.zones[z]
                out.append(BreachKey(dossier: r.id, device: device, kind: zone.breach, zone: zone.id))
            }
        }
        for (k, p) in proximity.sorted(by: { $0.key < $1.key }) where p.open {
            out.append(proximityKey(k))
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
        // Per dossier index: its tags, and its index by id (built here: loads are rare, the memory is per device).
        var dossierTags = [[Int32]](repeating: [], count: dossiers.count)
        for (k, tag) in tags.enumerated() where tag.dossier >= 0 { dossierTags[Int(tag.dossier)].append(Int32(k)) }
        var dossierIndex: [String: Int] = [:]
        for (i, r) in dossiers.enumerated() { if let r { dossierIndex[r.id] = i } }
        // Removed dossiers.
        for (id, i) in dossierIndex where incoming[id] == nil {
            for tag in dossierTags[i] { retire(Int(tag), at: t, into: &changes) }
            dossiers[i] = nil
            dossierTags[i] = []
        }
        reserve(for: list.filter { dossierIndex[$0.id] == nil })
        for d in list {
            if let i = dossierIndex[d.id] {
                guard dossiers[i]!.dossier != d else { continue }
                dossierTags[i] = replace(i, tags: dossierTags[i], with: d, at: t, into: &changes)
            } else {
                let i = dossiers.count
                let r = rules(for: d)
                dossiers.append(r)
                dossierTags.append(d.devices.map { addTag(device: $0, dossier: i, rules: r) })
                dossierIndex[d.id] = i
            }
        }
        compactZones()
        rebuildBindings(dossierTags)
        rebuildGuards(at: t, into: &changes)
    }

    /// Room for the new dossiers' tags, zones and flags: exactly on the first load (array growth by doubling would
    /// leave up to half of each unused), by at least an eighth later.
    mutating func reserve(for new: [Dossier]) {
        func grow<T>(_ a: inout [T], by n: Int) {
            guard a.count + n > a.capacity else { return }
            a.reserveCapacity(a.isEmpty ? n : max(a.count + n, a.capacity + a.capacity / 8))
        }
        let devices = new.reduce(0) { $0 + $1.devices.count }
        let zones = new.reduce(0) { $0 + $1.zones.count }
        let flags = new.reduce(0) { $0 + $1.devices.count * $1.zones.count }
        let vertices = new.reduce(0) { n, d in
            d.zones.reduce(n) { n, z in if case .polygon(let g) = z.shape { n + g.vertices.count } else { n } }
        }
        grow(&dossiers, by: new.count)
        grow(&tags, by: devices)
        grow(&zoneFlags, by: flags)
        self.devices.reserve(devices)
        grow(&bindings, by: devices)
        grow(&soleTag, by: devices)
        if zoneTable.records.isEmpty { zoneTable.reserve(zones: zones, vertices: vertices) }
    }

    /// Rebuilds the zone table from the dossiers in force once re-imports left more unused records than used ones.
    private mutating func compactZones() {
        let live = dossiers.reduce(0) { $0 + ($1?.dossier.zones.count ?? 0) }
        guard zoneTable.records.count > 2 * live + 64 else { return }
        let old = zoneTable
        zoneTable = ZoneTable()
        for i in dossiers.indices {
            guard let r = dossiers[i] else { continue }
            let schedules = r.dossier.zones.indices.map { old.records[Int(r.zoneBase) + $0].schedule }
            dossiers[i] = DossierRules(r, zoneBase: zoneTable.append(r.dossier.zones, schedules: schedules))
        }
        for k in tags.indices where tags[k].dossier >= 0 { tags[k].zoneBase = dossiers[Int(tags[k].dossier)]!.zoneBase }
    }

    /// The engine's view of a dossier, with its period tables registered (shared when equal) and its zones added
    /// to the zone table.
    mutating func rules(for d: Dossier) -> DossierRules {
        let clock = LocalClock(identifier: d.timezone) ?? LocalClock(identifier: Dossier.defaultTimeZone)!
        func table(_ windows: [TimeWindow]) -> Int32? {
            guard !windows.isEmpty else { return nil }
            let key = TableKey(timezone: d.timezone, windows: windows)
            if let i = tableIndex[key] { return Int32(i) }
            tables.append(PeriodTable(windows: windows, clock: clock))
            tableIndex[key] = tables.count - 1
            return Int32(tables.count - 1)
        }
        let base = zoneTable.append(d.zones, schedules: d.zones.map { table($0.schedule) ?? -1 })
        return DossierRules(d, clock: clock, config: config, curfew: table(d.curfew), zoneBase: base)
    }

    mutating func addTag(device name: String, dossier: Int, rules r: DossierRules) -> Int32 {
        let (device, inserted) = devices.insert(name)
        if inserted {
            bindings.append([])
            soleTag.append(-1)
        }
        var tag = TagState(
            device: Int32(device), dossier: Int32(dossier), activeStart: r.activeStart, activeEnd: r.activeEnd,
            commsTimeout: r.commsTimeout)
        tag.zoneBase = r.zoneBase
        tag.zoneCount = UInt16(r.dossier.zones.count)
        tag.zoneFlagBase = Int32(zoneFlags.count)
        zoneFlags.append(contentsOf: repeatElement(0, count: r.dossier.zones.count))
        tags.append(tag)
        return Int32(tags.count - 1)
    }

    /// Ends a tag: its open breaches are cleared at `t`.
    private mutating func retire(_ tag: Int, at t: Int64, into changes: inout [BreachChange]) {
        tags[tag].dossierActive = false
        sync(tag, at: t, into: &changes)
        tags[tag].dossier = -1
        tags[tag].zoneCount = 0
    }

    /// Replaces dossier `i` (whose tags are `oldTags`) by a changed version; returns its tags.
    private mutating func replace(
        _ i: Int, tags oldTags: [Int32], with d: Dossier, at t: Int64, into changes: inout [BreachChange]
    ) -> [Int32] {
        let old = dossiers[i]!
        let r = rules(for: d)
        var newTags: [Int32] = []
        let wanted = Set(d.devices)
        for tag in oldTags where !wanted.contains(devices[Int(tags[Int(tag)].device)]) {
            retire(Int(tag), at: t, into: &changes)
        }
        for device in d.devices {
            guard let tag = oldTags.first(where: { devices[Int(tags[Int($0)].device)] == device }).map(Int.init)
            else {
                newTags.append(addTag(device: device, dossier: i, rules: r))
                continue
            }
            newTags.append(Int32(tag))
            // Zones that are gone (or changed kind): clear their breaches now.
            var flags = [UInt8](repeating: 0, count: d.zones.count)
            let oldBase = Int(tags[tag].zoneFlagBase)
            for (z, zone) in old.dossier.zones.enumerated() {
                let f = zoneFlags[oldBase + z]
                if let nz = d.zones.firstIndex(where: { $0.id == zone.id && $0.kind == zone.kind }) {
                    flags[nz] = f & ~ZoneFlag.active
                } else if f & ZoneFlag.open != 0 {
                    emit(
                        .cleared(
                            BreachKey(dossier: d.id, device: device, kind: zone.breach, zone: zone.id),
                            at: Timestamp(milliseconds: t)),
                        tag: tag, into: &changes)
                }
            }
            // The flags in place when they fit, else at the end (the old bytes stay unused).
            if flags.count > old.dossier.zones.count {
                tags[tag].zoneFlagBase = Int32(zoneFlags.count)
                zoneFlags.append(contentsOf: flags)
            } else {
                for z in flags.indices { zoneFlags[oldBase + z] = flags[z] }
            }
            tags[tag].zoneCount = UInt16(flags.count)
        }
        dossiers[i] = r
        for tag in newTags.map(Int.init) {
            tags[tag].activeStart = r.activeStart
            tags[tag].activeEnd = r.activeEnd
            tags[tag].commsTimeout = r.commsTimeout
            tags[tag].zoneBase = r.zoneBase
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
        return newTags
    }

    mutating func rebuildBindings(_ dossierTags: [[Int32]]) {
        for d in bindings.indices { bindings[d].removeAll(keepingCapacity: true) }
        let order = dossiers.indices.compactMap { i in dossiers[i].map { (i, $0.activeStart) } }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        for (i, _) in order {
            for tag in dossierTags[i] { bindings[Int(tags[Int(tag)].device)].append(tag) }
        }
        for d in bindings.indices {
            soleTag[d] = bindings[d].count == 1 ? bindings[d][0] : -1
            if soleTag[d] >= 0 { bindings[d] = [] }
        }
    }

    /// A device's tags, in the order of the dossiers' starts.
    func tags(ofDevice d: Int) -> [Int32] { soleTag[d] >= 0 ? [soleTag[d]] : bindings[d] }
}

/// A dossier as the engine judges it: its limits and active period (immutable, shared by reference), the indices of
/// its period tables in the engine and where its zones start in the zone table. The hot path does not read it: what
/// a position needs is copied into the tag (`TagState`) or sits in the zone table.
final class DossierRules: Sendable {
    let dossier: Dossier
    var id: String { dossier.id }
    var home: GeoCircle { dossier.home }
    /// Index of the curfew's period table; nil: no curfew.
    let curfew: Int32?
    /// Where the dossier's zones start in the engine's zone table (`dossier.zones.count` records).
    let zoneBase: Int32
    let activeStart: Int64
    let activeEnd: Int64
    let commsTimeout: Int64
    let maxAccuracy: Double
    let consecutiveFixes: Int
    /// (1.1) The dossier names protected persons.
    var hasProtected: Bool { !dossier.protected.isEmpty }
    /// (1.1) Some zone has `"crossing": true`.
    var hasCrossingZones: Bool { dossier.zones.contains { $0.crossing } }

    init(_ d: Dossier, clock: LocalClock, config: RuleConfig, curfew: Int32?, zoneBase: Int32) {
        dossier = d
        self.curfew = curfew
        self.zoneBase = zoneBase
        activeStart = clock.instant(day: d.start.daysSinceEpoch, minutes: 0)
        activeEnd = d.end.map { clock.instant(day: $0.daysSinceEpoch + 1, minutes: 0) } ?? PeriodTable.never
        commsTimeout = Int64(d.commsTimeoutSeconds) * 1000
        maxAccuracy = d.rules?.maxAccuracyMetres ?? config.maxAccuracyMetres
        consecutiveFixes = max(1, min(63, d.rules?.consecutiveFixes ?? config.consecutiveFixes))
    }

    /// The same rules with the zones at `zoneBase` (the zone table was rebuilt).
    init(_ r: DossierRules, zoneBase: Int32) {
        dossier = r.dossier
        curfew = r.curfew
        self.zoneBase = zoneBase
        activeStart = r.activeStart
        activeEnd = r.activeEnd
        commsTimeout = r.commsTimeout
        maxAccuracy = r.maxAccuracy
        consecutiveFixes = r.consecutiveFixes
    }
}

/// Identifies a shareable period table.
struct TableKey: Hashable, Sendable {
    var timezone: String
    var windows: [TimeWindow]
}

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
/// entry per device, whatever the event rate.
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
    /// Per device index: its tags (one per dossier naming it), in the order of the dossiers' starts.
    var bindings: [[Int32]] = []
    var heap = Heap<Deadline>()
    /// The highest time `advance(to:)` was given.
    public private(set) var now: Timestamp = .distantPast

    public init(config: RuleConfig = .init()) {
        self.config = config
    }

    // MARK: - Queries

    /// The id of the dossier that names `device` and is active at `at` (nil: none).
    public func dossierID(forDevice device: String, at: Timestamp) -> String? {
        guard let d = deviceIndex[device] else { return nil }
        for tag in bindings[d] {
            let r = dossiers[Int(tags[Int(tag)].dossier)]!
            if r.activeStart <= at.milliseconds && at.milliseconds < r.activeEnd { return r.id }
        }
        return nil
    }

    /// Whether any loaded dossier names the device (whatever its period): events of other devices are rejected.
    public func isKnownDevice(_ device: String) -> Bool {
        guard let d = deviceIndex[device] else { return false }
        return !bindings[d].isEmpty
    }

    /// A small stable number for a device named by some dossier, for callers that keep per-device arrays
    /// (`ReplaySequencer`) and for `process(_:deviceIndex:into:)`, which then skips the lookup by name.
    public func deviceIndex(of device: String) -> Int? {
        guard let d = deviceIndex[device], !bindings[d].isEmpty else { return nil }
        return d
    }

    /// How many device indices exist (an upper bound of `deviceIndex(of:)`).
    public var deviceCount: Int { bindings.count }

    /// The next time at which `advance(to:)` has something to do (it may find nothing, never misses anything).
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
    }

    // MARK: - Events

    /// Judges one accepted event (not a duplicate, valid, of a known device) at its `ts`.
    ///
    /// Applies the device's own boundaries at or before `ts` and timers before it first. Call `advance(to:)` with
    /// the pipeline clock before, so that other devices' deadlines come out in time order too.
    @discardableResult
    public mutating func process(_ event: DeviceEvent, into changes: inout [BreachChange]) -> EventDisposition {
        guard let d = deviceIndex[event.device] else { return .noDossier }
        return process(event, deviceIndex: d, into: &changes)
    }

    /// `process(_:into:)` for a device index from `deviceIndex(of:)`.
    @discardableResult
    public mutating func process(_ event: DeviceEvent, deviceIndex d: Int, into changes: inout [BreachChange])
        -> EventDisposition
    {
        let bound = bindings[d]
        guard !bound.isEmpty else { return .noDossier }
        let t = event.ts.milliseconds
        var found = -1
        for tag in bound where tags[Int(tag)].activeStart <= t && t < tags[Int(tag)].activeEnd {
            found = Int(tag)
            break
        }
        guard found >= 0 else { return .outsidePeriod }
        let tag = found
        guard t >= tags[tag].lastEvaluated else { return .late }

        // Boundaries at or before t and timers before t.
        let resumeKey = max(tags[tag].throughKey, 2 &* now.milliseconds)
        if tags[tag].flagsValid { advanceTag(tag, throughKey: 2 &* t, into: &changes) }
        // The device was carried past t by the pipeline clock (its events come late, stored and forwarded):
        // judge this event with the conditions at t, then walk its boundaries and timers again up to where it was.
        let rewind = !tags[tag].flagsValid || t < tags[tag].flagsFrom
        if rewind { refresh(tag, at: t) }

        apply(event.reading, tag: tag, at: t, dossier: Int(tags[tag].dossier))
        tags[tag].lastEvaluated = t
        sync(tag, at: t, into: &changes)
        if rewind, resumeKey > 2 &* t { advanceTag(tag, throughKey: resumeKey, into: &changes) }
        tags[tag].throughKey = max(tags[tag].throughKey, 2 &* t)
        reschedule(tag)
        return .evaluated
    }

    /// Applies a reading to a device's state (not yet to its breaches: `sync` does that).
    @inline(__always)
    private mutating func apply(_ reading: Reading, tag: Int, at t: Int64, dossier: Int) {
        tags[tag].lastContact = t
        tags[tag].commsLost = false
        switch reading {
        case .position(let lat, let lon, let acc):
            let r = dossiers[dossier]!
            guard acc <= r.maxAccuracy else { return }  // not qualifying: neither counts nor resets
            let p = GeoPoint(lat: lat, lon: lon)
            let n = UInt8(r.consecutiveFixes)
            if r.home.contains(p) {
                tags[tag].away = false
                tags[tag].homeRun = 0
            } else {
                tags[tag].homeRun = min(tags[tag].homeRun + 1, n)
                if tags[tag].homeRun >= n { tags[tag].away = true }
            }
            for z in r.zones.indices {
                let wrongSide = r.zones[z].shape.contains(p) == (r.zones[z].kind == .exclusion)
                var f = tags[tag].zoneFlags[z]
                let run = f & ZoneFlag.run
                f = (f & ~ZoneFlag.run) | (wrongSide ? min(run + 1, n) : 0)
                tags[tag].zoneFlags[z] = f
            }
        case .presence(let present):
            tags[tag].away = !present
        case .strap(let s):
            tags[tag].strap = s.rawValue
        case .case(let s):
            tags[tag].case = s.rawValue
        case .battery(let level, let charging):
            if charging || level > config.batteryRecoveredLevel {
                tags[tag].batteryLow = false
                tags[tag].batteryDepleted = false
            } else {
                if level <= config.batteryLowLevel { tags[tag].batteryLow = true }
                if level <= config.batteryDepletedLevel { tags[tag].batteryDepleted = true }
            }
        case .gnss(let s):
            if s == .lost {
                if tags[tag].gnss != GNSSState.lost.rawValue { tags[tag].gnssLostSince = t }
            } else {
                tags[tag].gnssLossOpen = false
                tags[tag].gnssLostSince = TagState.none
            }
            tags[tag].gnss = s.rawValue
        case .power(let s):
            tags[tag].power = s.rawValue
        case .heartbeat:
            break
        }
    }

    // MARK: - Time

    /// Moves the pipeline clock to `now`: applies every device's period boundaries at or before it and fires its
    /// timers due before it (a timer due exactly at `now` waits: an event at that instant comes first).
    public mutating func advance(to now: Timestamp, into changes: inout [BreachChange]) {
        if now > self.now { self.now = now }
        let limit = 2 &* now.milliseconds
        while let top = heap.min, top.key <= limit {
            heap.removeMin()
            let tag = Int(top.tag)
            guard tags[tag].dossier >= 0, tags[tag].queuedKey == top.key else { continue }  // superseded
            tags[tag].queuedKey = TagState.none
            advanceTag(tag, throughKey: top.key, into: &changes)
            reschedule(tag)
        }
    }

    /// Applies a device's boundaries and timers with keys up to `limit` (key: 2t for a boundary at t, 2t+1 for a
    /// timer due at t, so that at one instant boundaries come first and a timer fires only once time is past it).
    private mutating func advanceTag(_ tag: Int, throughKey limit: Int64, into changes: inout [BreachChange]) {
        while true {
            let b = tags[tag].nextBoundary < PeriodTable.never ? 2 &* tags[tag].nextBoundary : TagState.none
            let c = commsKey(tag)
            let g = gnssKey(tag)
            let k = min(b, c, g)
            guard k <= limit, k < TagState.none else { break }
            if k == b {
                let at = tags[tag].nextBoundary
                refresh(tag, at: at)
                if !tags[tag].dossierActive {
                    // The dossier's period is over: no more timers.
                    tags[tag].lastContact = TagState.none
                    tags[tag].commsLost = false
                    tags[tag].gnssLossOpen = false
                }
                sync(tag, at: at, into: &changes)
            } else {
                if k == c { tags[tag].commsLost = true }
                if k == g { tags[tag].gnssLossOpen = true }
                sync(tag, at: k >> 1, into: &changes)
            }
        }
        tags[tag].throughKey = max(tags[tag].throughKey, limit)
    }

    @inline(__always) private func commsKey(_ tag: Int) -> Int64 {
        let last = tags[tag].lastContact
        guard last != TagState.none, !tags[tag].commsLost, tags[tag].dossierActive else { return TagState.none }
        return 2 &* (last &+ tags[tag].commsTimeout) &+ 1
    }

    @inline(__always) private func gnssKey(_ tag: Int) -> Int64 {
        let since = tags[tag].gnssLostSince
        guard since != TagState.none, !tags[tag].gnssLossOpen, tags[tag].dossierActive else { return TagState.none }
        return 2 &* (since &+ Int64(config.gnssLossSeconds) * 1000) &+ 1
    }

    /// Recomputes which periods are open for a device at `t`, and its next boundary.
    private mutating func refresh(_ tag: Int, at t: Int64) {
        let r = dossiers[Int(tags[tag].dossier)]!
        let start = r.activeStart
        let end = r.activeEnd
        tags[tag].activeStart = start
        tags[tag].activeEnd = end
        tags[tag].commsTimeout = r.commsTimeout
        let active = start <= t && t < end
        var next = active ? end : (t < start ? start : PeriodTable.never)
        var curfew = false
        if let c = r.curfew {
            let (a, n) = tables[Int(c)].lookup(t)
            curfew = a
            next = min(next, n)
        }
        for z in r.zones.indices {
            var on = true
            if let table = r.zones[z].schedule {
                let (a, n) = tables[Int(table)].lookup(t)
                on = a
                next = min(next, n)
            }
            let f = tags[tag].zoneFlags[z]
            tags[tag].zoneFlags[z] = on ? f | ZoneFlag.active : f & ~ZoneFlag.active
        }
        tags[tag].dossierActive = active
        tags[tag].curfewActive = curfew
        tags[tag].flagsFrom = t
        tags[tag].nextBoundary = next
        tags[tag].flagsValid = true
    }

    /// Makes the device's open breaches what its state and open periods say, raising and clearing at `t`.
    private mutating func sync(_ tag: Int, at t: Int64, into changes: inout [BreachChange]) {
        let di = Int(tags[tag].dossier)
        let active = tags[tag].dossierActive
        var want: UInt16 = 0
        if active {
            let s = TagFlags(tags[tag])
            if s.strap == TamperState.opened.rawValue { want |= BreachKind.strap_tamper.bit }
            if s.case == TamperState.opened.rawValue { want |= BreachKind.case_tamper.bit }
            if s.batteryLow { want |= BreachKind.battery_low.bit }
            if s.batteryDepleted { want |= BreachKind.battery_depleted.bit }
            if s.commsLost { want |= BreachKind.communication_loss.bit }
            if s.gnssLossOpen { want |= BreachKind.gnss_loss.bit }
            if s.gnss == GNSSState.jammed.rawValue { want |= BreachKind.gnss_jamming.bit }
            if s.power == PowerState.lost.rawValue { want |= BreachKind.home_power_loss.bit }
            if s.curfewActive && s.away { want |= BreachKind.curfew_absence.bit }
        }
        let wasOpen = tags[tag].open
        if want != wasOpen {
            let diff = want ^ wasOpen
            let r = dossiers[di]!
            for kind in BreachKind.allCases where diff & kind.bit != 0 {
                let key = BreachKey(dossier: r.id, device: tags[tag].device, kind: kind)
                emit(
                    want & kind.bit != 0
                        ? .raised(key, at: Timestamp(milliseconds: t)) : .cleared(key, at: Timestamp(milliseconds: t)),
                    tag: tag, into: &changes)
            }
            tags[tag].open = want
        }
        let zoneCount = tags[tag].zoneFlags.count
        guard zoneCount > 0 else { return }
        let r = dossiers[di]!
        let n = UInt8(r.consecutiveFixes)
        for z in 0..<zoneCount {
            let f = tags[tag].zoneFlags[z]
            let wantOpen = active && f & ZoneFlag.active != 0 && f & ZoneFlag.run >= n
            let isOpen = f & ZoneFlag.open != 0
            guard wantOpen != isOpen else { continue }
            let zone = r.zones[z]
            let key = BreachKey(dossier: r.id, device: tags[tag].device, kind: zone.breach, zone: zone.id)
            emit(
                wantOpen ? .raised(key, at: Timestamp(milliseconds: t)) : .cleared(key, at: Timestamp(milliseconds: t)),
                tag: tag, into: &changes)
            tags[tag].zoneFlags[z] = wantOpen ? f | ZoneFlag.open : f & ~ZoneFlag.open
        }
    }

    /// Appends a change. A clearing never precedes the device's latest change: when a device's stored events arrive
    /// after the pipeline clock has already judged a boundary or timer of it, the clearing is dated no earlier than
    /// what was raised.
    private mutating func emit(_ change: BreachChange, tag: Int, into changes: inout [BreachChange]) {
        var c = change
        let last = tags[tag].lastChangeAt
        if case .cleared(let key, let at) = change, at.milliseconds < last {
            c = .cleared(key, at: Timestamp(milliseconds: last))
        }
        tags[tag].lastChangeAt = max(last, c.at.milliseconds)
        changes.append(c)
    }

    /// Makes sure the heap holds an entry no later than the device's next deadline.
    private mutating func reschedule(_ tag: Int) {
        guard tags[tag].flagsValid, tags[tag].dossier >= 0 else { return }
        let b = tags[tag].nextBoundary < PeriodTable.never ? 2 &* tags[tag].nextBoundary : TagState.none
        let k = min(b, commsKey(tag), gnssKey(tag))
        guard k < TagState.none, k < tags[tag].queuedKey else { return }
        tags[tag].queuedKey = k
        heap.insert(Deadline(key: k, tag: Int32(tag)))
    }
}

/// A device's next deadline in the engine's heap.
struct Deadline: Comparable, Sendable {
    var key: Int64
    var tag: Int32
    static func < (a: Deadline, b: Deadline) -> Bool { (a.key, a.tag) < (b.key, b.tag) }
}

/// Bits of a device's per-zone byte.
enum ZoneFlag {
    static let open: UInt8 = 0x80
    static let active: UInt8 = 0x40
    /// Consecutive qualifying fixes on the wrong side, capped at the dossier's `consecutive_fixes`.
    static let run: UInt8 = 0x3F
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

/// The state fields `sync` reads, copied out of a `TagState` without its references.
struct TagFlags {
    var strap, `case`, gnss, power: UInt8
    var batteryLow, batteryDepleted, commsLost, gnssLossOpen, curfewActive, away: Bool
    @inline(__always) init(_ t: borrowing TagState) {
        strap = t.strap
        self.case = t.case
        gnss = t.gnss
        power = t.power
        batteryLow = t.batteryLow
        batteryDepleted = t.batteryDepleted
        commsLost = t.commsLost
        gnssLossOpen = t.gnssLossOpen
        curfewActive = t.curfewActive
        away = t.away
    }
}

/// One device of one dossier: everything the rules remember about it (about 120 bytes plus a byte per zone).
struct TagState: Sendable {
    static let none = Int64.max

    let device: String
    /// Index of the dossier; -1 once the device or dossier is no longer loaded.
    var dossier: Int32
    /// Copies of the dossier's active period and timeout (so the hot path does not look at the dossier).
    var activeStart: Int64
    var activeEnd: Int64
    var commsTimeout: Int64
    /// Latest evaluated event.
    var lastEvaluated: Int64 = .min
    /// Latest accepted event in the active period (contact), `none` before the first.
    var lastContact: Int64 = TagState.none
    /// Start of the current run of `gnss lost` reports.
    var gnssLostSince: Int64 = TagState.none
    /// The flags below hold for [flagsFrom, nextBoundary).
    var flagsFrom: Int64 = .min
    var nextBoundary: Int64 = PeriodTable.never
    /// Deadline keys up to this have been applied.
    var throughKey: Int64 = .min
    /// The key of this device's live entry in the heap (`none`: no entry).
    var queuedKey: Int64 = TagState.none
    /// Time of the latest change emitted.
    var lastChangeAt: Int64 = .min
    /// Open non-zone breaches (`BreachKind.bit`).
    var open: UInt16 = 0
    var strap: UInt8 = 0
    var `case`: UInt8 = 0
    var gnss: UInt8 = 0
    var power: UInt8 = 0
    var homeRun: UInt8 = 0
    var flagsValid = false
    var dossierActive = false
    var curfewActive = false
    /// The latest curfew evidence says away.
    var away = false
    var batteryLow = false
    var batteryDepleted = false
    var commsLost = false
    var gnssLossOpen = false
    /// Per zone of the dossier: `ZoneFlag` bits.
    var zoneFlags: [UInt8]

    init(device: String, dossier: Int32, zones: Int, activeStart: Int64, activeEnd: Int64, commsTimeout: Int64) {
        self.device = device
        self.dossier = dossier
        self.activeStart = activeStart
        self.activeEnd = activeEnd
        self.commsTimeout = commsTimeout
        zoneFlags = [UInt8](repeating: 0, count: zones)
    }
}

/// One device of one dossier: everything the rules remember about it (200 bytes plus a byte per zone).
struct TagState: Sendable {
    static let none = Int64.max

    /// The device's index in the engine (`devices`, `soleTag`, `bindings`).
    let device: Int32
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
    /// The key of this device's live entry in the heap, on the pipeline clock (`none`: no entry).
    var queuedKey: Int64 = TagState.none
    /// Time of the latest change emitted.
    var lastChangeAt: Int64 = .min
    /// `RuleConfig.timersFollowDeviceLag`: the pipeline clock less `ts` at the latest evaluated event (>= 0; always 0
    /// with the setting off). The device's own clock is the pipeline clock less this.
    var lag: Int64 = 0
    /// Per zone of the dossier, `ZoneFlag` bits: the engine's `zoneFlags[zoneFlagBase ..< zoneFlagBase + zoneCount]`.
    var zoneFlagBase: Int32 = 0
    /// The dossier's zones: the engine's `zoneTable` records `zoneBase ..< zoneBase + zoneCount` (one hop from here).
    var zoneBase: Int32 = 0
    /// 0 once the tag is retired.
    var zoneCount: UInt16 = 0
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
    /// (1.1) The latest qualifying fix (`fixAt` `none` before the first): one end of a zone crossing.
    var fixLat = 0.0
    var fixLon = 0.0
    var fixAt: Int64 = TagState.none
    /// (1.1) The dossier has a `crossing` zone (set by `refresh`): only then are crossings looked for.
    var crossings = false
    /// (1.1) The dossier has protected persons (set by `refresh`): only then is proximity judged.
    var guarded = false
    /// Copies of the dossier's position rules (set by `refresh`), so a position reads no dossier.
    var consecutiveFixes: UInt8 = 1
    var home = GeoCircle(center: GeoPoint(lat: 0, lon: 0), radiusMetres: 0)
    var maxAccuracy = 0.0

    init(device: Int32, dossier: Int32, activeStart: Int64, activeEnd: Int64, commsTimeout: Int64) {
        self.device = device
        self.dossier = dossier
        self.activeStart = activeStart
        self.activeEnd = activeEnd
        self.commsTimeout = commsTimeout
    }
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

/// Bits of a device's per-zone byte.
enum ZoneFlag {
    static let open: UInt8 = 0x80
    static let active: UInt8 = 0x40
    /// Consecutive qualifying fixes on the wrong side, capped at the dossier's `consecutive_fixes`.
    static let run: UInt8 = 0x3F
}

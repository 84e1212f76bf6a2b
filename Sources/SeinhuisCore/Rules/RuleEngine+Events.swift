extension RuleEngine {
    // MARK: - Events

    /// Judges one accepted event (not a duplicate, valid, of a known device) at its `ts`.
    ///
    /// Applies the device's own boundaries at or before `ts` and timers before it first. Call `advance(to:)` with
    /// the pipeline clock before, so that other devices' deadlines come out in time order too.
    ///
    /// With `RuleConfig.timersFollowDeviceLag`, the device's clock is then its event's `ts`, and its later boundaries
    /// and timers wait until the pipeline clock less its lag passes them (docs/RULES.md).
    @discardableResult
    public mutating func process(_ event: DeviceEvent, into changes: inout [BreachChange]) -> EventDisposition {
        guard let d = devices.index(of: event.device) else { return .noDossier }
        return process(event, deviceIndex: d, into: &changes)
    }

    /// `process(_:into:)` for a device index from `deviceIndex(of:)`.
    @discardableResult
    public mutating func process(_ event: DeviceEvent, deviceIndex d: Int, into changes: inout [BreachChange])
        -> EventDisposition
    {
        let t = event.ts.milliseconds
        var found = -1
        let sole = Int(soleTag[d])
        if sole >= 0 {
            // The common case, one dossier names the device: no walk over a list (one memory access less).
            if tags[sole].activeStart <= t && t < tags[sole].activeEnd { found = sole }
        } else {
            let bound = bindings[d]
            guard !bound.isEmpty else {
                if let g = guardsOfDevice[Int32(d)] { return processGuarded(event, guards: g, into: &changes) }
                return .noDossier
            }
            for tag in bound where tags[Int(tag)].activeStart <= t && t < tags[Int(tag)].activeEnd {
                found = Int(tag)
                break
            }
        }
        guard found >= 0 else { return .outsidePeriod }
        let tag = found
        guard t >= tags[tag].lastEvaluated else { return .late }

        // Boundaries at or before t and timers before t.
        let resumeKey = max(tags[tag].throughKey, 2 &* now.milliseconds)
        if tags[tag].flagsValid { advanceTag(tag, throughKey: 2 &* t, into: &changes) }
        // The device was carried past t by the pipeline clock (its events come late, stored and forwarded):
        // judge this event with the conditions at t, then (timers on the pipeline clock) walk its boundaries and
        // timers again up to where it was.
        let rewind = !tags[tag].flagsValid || t < tags[tag].flagsFrom
        if rewind { refresh(tag, at: t) }

        let previousFix = (tags[tag].fixLat, tags[tag].fixLon, tags[tag].fixAt)
        apply(event.reading, tag: tag, at: t)
        tags[tag].lastEvaluated = t
        sync(tag, at: t, into: &changes)
        if tags[tag].crossings, case .position = event.reading, tags[tag].fixAt == t, previousFix.2 != TagState.none, tags[tag].dossierActive {
            judgeCrossings(
                tag, from: GeoPoint(lat: previousFix.0, lon: previousFix.1), at: previousFix.2, into: &changes)
        }
        if tags[tag].guarded, case .position = event.reading, tags[tag].fixAt == t, tags[tag].dossierActive {
            judgeProximity(ofTag: tag, at: t, into: &changes)
        }
        var catchingUp = false
        if config.timersFollowDeviceLag {
            // The device's clock is now t: what lies after it waits until the pipeline clock less the lag passes it.
            let lag = max(0, now.milliseconds &- t)
            catchingUp = lag < tags[tag].lag
            tags[tag].lag = lag
            if rewind { tags[tag].throughKey = 2 &* t }
        } else if rewind, resumeKey > 2 &* t {
            advanceTag(tag, throughKey: resumeKey, into: &changes)
        }
        tags[tag].throughKey = max(tags[tag].throughKey, 2 &* t)
        reschedule(tag, catchingUp: catchingUp)
        return .evaluated
    }

    /// Applies a reading to a device's state (not yet to its breaches: `sync` does that).
    @inline(__always)
    mutating func apply(_ reading: Reading, tag: Int, at t: Int64) {
        tags[tag].lastContact = t
        tags[tag].commsLost = false
        switch reading {
        case .position(let lat, let lon, let acc):
            guard acc <= tags[tag].maxAccuracy else { return }  // not qualifying: neither counts nor resets
            let p = GeoPoint(lat: lat, lon: lon)
            tags[tag].fixLat = lat
            tags[tag].fixLon = lon
            tags[tag].fixAt = t
            let n = tags[tag].consecutiveFixes
            if tags[tag].home.contains(p) {
                tags[tag].away = false
                tags[tag].homeRun = 0
            } else {
                tags[tag].homeRun = min(tags[tag].homeRun + 1, n)
                if tags[tag].homeRun >= n { tags[tag].away = true }
            }
            // The zones: flat records and flags reached from the tag, no dossier object (no retain, fewer misses).
            let count = Int(tags[tag].zoneCount)
            guard count > 0 else { return }
            let zoneBase = Int(tags[tag].zoneBase)
            let flagBase = Int(tags[tag].zoneFlagBase)
            for z in 0..<count {
                let wrongSide = zoneTable.wrongSide(zoneBase + z, p)
                var f = zoneFlags[flagBase + z]
                let run = f & ZoneFlag.run
                f = (f & ~ZoneFlag.run) | (wrongSide ? min(run + 1, n) : 0)
                zoneFlags[flagBase + z] = f
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

}

import Collections

extension RuleEngine {
    // MARK: - Time

    /// Moves the pipeline clock to `now`: applies every device's period boundaries at or before it and fires its
    /// timers due before it (a timer due exactly at `now` waits: an event at that instant comes first). With
    /// `RuleConfig.timersFollowDeviceLag`, "it" is the device's own clock: `now` less the device's lag.
    public mutating func advance(to now: Timestamp, into changes: inout [BreachChange]) {
        if now > self.now { self.now = now }
        let limit = 2 &* now.milliseconds
        while let top = heap.min, top.key <= limit {
            heap.removeMin()
            if top.tag < 0 {
                fireGuard(Int(-1 - top.tag), key: top.key, into: &changes)
                continue
            }
            let tag = Int(top.tag)
            guard tags[tag].dossier >= 0, tags[tag].queuedKey == top.key else { continue }  // superseded
            tags[tag].queuedKey = TagState.none
            // Heap keys are on the pipeline clock, the device's keys on its own: less its lag. If the lag grew since
            // the entry was pushed this applies nothing, and `reschedule` pushes the entry again, later.
            advanceTag(tag, throughKey: top.key &- 2 &* tags[tag].lag, into: &changes)
            reschedule(tag)
        }
    }

    /// Applies a device's boundaries and timers with keys up to `limit` (key: 2t for a boundary at t, 2t+1 for a
    /// timer due at t, so that at one instant boundaries come first and a timer fires only once time is past it).
    mutating func advanceTag(_ tag: Int, throughKey limit: Int64, into changes: inout [BreachChange]) {
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

    @inline(__always) func commsKey(_ tag: Int) -> Int64 {
        let last = tags[tag].lastContact
        guard last != TagState.none, !tags[tag].commsLost, tags[tag].dossierActive else { return TagState.none }
        return 2 &* (last &+ tags[tag].commsTimeout) &+ 1
    }

    @inline(__always) func gnssKey(_ tag: Int) -> Int64 {
        let since = tags[tag].gnssLostSince
        guard since != TagState.none, !tags[tag].gnssLossOpen, tags[tag].dossierActive else { return TagState.none }
        return 2 &* (since &+ Int64(config.gnssLossSeconds) * 1000) &+ 1
    }

    /// Recomputes which periods are open for a device at `t`, and its next boundary.
    mutating func refresh(_ tag: Int, at t: Int64) {
        let r = dossiers[Int(tags[tag].dossier)]!
        let start = r.activeStart
        let end = r.activeEnd
        tags[tag].activeStart = start
        tags[tag].activeEnd = end
        tags[tag].commsTimeout = r.commsTimeout
        tags[tag].home = r.home
        tags[tag].maxAccuracy = r.maxAccuracy
        tags[tag].consecutiveFixes = UInt8(r.consecutiveFixes)
        tags[tag].crossings = r.hasCrossingZones
        tags[tag].guarded = r.hasProtected
        let active = start <= t && t < end
        var next = active ? end : (t < start ? start : PeriodTable.never)
        var curfew = false
        if let c = r.curfew {
            let (a, n) = tables[Int(c)].lookup(t)
            curfew = a
            next = min(next, n)
        }
        let zoneBase = Int(tags[tag].zoneBase)
        let flagBase = Int(tags[tag].zoneFlagBase)
        for z in 0..<Int(tags[tag].zoneCount) {
            var on = true
            if let table = zoneTable.schedule(zoneBase + z) {
                let (a, n) = tables[Int(table)].lookup(t)
                on = a
                next = min(next, n)
            }
            let f = zoneFlags[flagBase + z]
            zoneFlags[flagBase + z] = on ? f | ZoneFlag.active : f & ~ZoneFlag.active
        }
        tags[tag].dossierActive = active
        tags[tag].curfewActive = curfew
        tags[tag].flagsFrom = t
        tags[tag].nextBoundary = next
        tags[tag].flagsValid = true
    }

    /// Makes sure the heap holds an entry no later than the device's next deadline, on the pipeline clock: the
    /// device's key plus twice its lag (0 unless `RuleConfig.timersFollowDeviceLag`). An entry left earlier than
    /// that (the deadline moved later, or the lag grew) is popped too early and pushed again.
    ///
    /// `catchingUp`: the event just processed shrank the device's lag (a backlog being uploaded), which moves its
    /// deadline earlier with every event. Rather than an entry per event, it gets one just after the pipeline clock
    /// (nothing of it is due before: its event applied everything up to its `ts`); the next `advance(to:)` pops it
    /// and pushes the exact one. So a backlog costs a push per batch, not per event.
    mutating func reschedule(_ tag: Int, catchingUp: Bool = false) {
        guard tags[tag].flagsValid, tags[tag].dossier >= 0 else { return }
        let b = tags[tag].nextBoundary < PeriodTable.never ? 2 &* tags[tag].nextBoundary : TagState.none
        let k = min(b, commsKey(tag), gnssKey(tag))
        guard k < TagState.none else { return }
        var due = k &+ 2 &* tags[tag].lag
        guard due < tags[tag].queuedKey else { return }
        if catchingUp { due = min(due, 2 &* now.milliseconds &+ 1) }
        tags[tag].queuedKey = due
        heap.insert(Deadline(key: due, tag: Int32(tag)))
    }
}

/// A device's next deadline in the engine's heap.
struct Deadline: Comparable, Sendable {
    var key: Int64
    var tag: Int32
    static func < (a: Deadline, b: Deadline) -> Bool { (a.key, a.tag) < (b.key, b.tag) }
}

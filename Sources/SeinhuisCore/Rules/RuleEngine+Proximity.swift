extension RuleEngine {
    // MARK: - Victim proximity (1.1)

    /// A protected person's fix is fresh for a tag's fix at most this many ms older or newer (PROTOCOL 4.1).
    static let proximityFreshness: Int64 = 120_000

    /// The breach of a tag and a guard.
    func proximityKey(_ k: ProximityKey) -> BreachKey {
        let g = guards[Int(k.guardIndex)]
        return BreachKey(
            dossier: g.dossierID, device: devices[Int(tags[Int(k.tag)].device)], kind: .victim_proximity,
            protected: g.person)
    }

    /// Makes the guards what the dossiers in force name (after a load): a person kept (same id and device) keeps
    /// their latest fix; one no longer named is retired, and the proximity breaches of retired guards and tags are
    /// cleared at `t`.
    mutating func rebuildGuards(at t: Int64, into changes: inout [BreachChange]) {
        var old: [String: Int32] = [:]
        for (g, s) in guards.enumerated() where s.dossier >= 0 {
            old[s.dossierID + "\u{1F}" + s.person + "\u{1F}" + devices[Int(s.device)]] = Int32(g)
        }
        var live = Set<Int32>()
        for (i, r) in dossiers.enumerated() {
            guard let r else { continue }
            for p in r.dossier.protected {
                let name = r.id + "\u{1F}" + p.id + "\u{1F}" + p.device
                if let g = old[name] {
                    guards[Int(g)].dossier = Int32(i)
                    guards[Int(g)].radius = p.radiusMetres
                    guards[Int(g)].maxAccuracy = r.maxAccuracy
                    guards[Int(g)].activeStart = r.activeStart
                    guards[Int(g)].activeEnd = r.activeEnd
                    live.insert(g)
                } else {
                    live.insert(addGuard(p, dossier: i, rules: r))
                }
            }
        }
        for g in guards.indices where guards[g].dossier >= 0 && !live.contains(Int32(g)) { guards[g].dossier = -1 }
        for (k, p) in proximity.sorted(by: { $0.key < $1.key }) {
            guard guards[Int(k.guardIndex)].dossier < 0 || tags[Int(k.tag)].dossier < 0 else { continue }
            if p.open { emit(.cleared(proximityKey(k), at: Timestamp(milliseconds: t)), tag: Int(k.tag), into: &changes) }
            proximity[k] = nil
        }
        rebuildGuardIndex()
    }

    mutating func addGuard(_ p: ProtectedPerson, dossier i: Int, rules r: DossierRules) -> Int32 {
        let (device, inserted) = devices.insert(p.device)
        if inserted {
            bindings.append([])
            soleTag.append(-1)
        }
        guards.append(GuardState(device: Int32(device), dossier: Int32(i), dossierID: r.id, person: p, rules: r))
        return Int32(guards.count - 1)
    }

    /// The maps from devices and dossiers to guards, and from guarded dossiers to their tags.
    mutating func rebuildGuardIndex() {
        guardsOfDevice = [:]
        guardsOfDossier = [:]
        guardedTags = [:]
        for (g, s) in guards.enumerated() where s.dossier >= 0 {
            guardsOfDevice[s.device, default: []].append(Int32(g))
            guardsOfDossier[s.dossier, default: []].append(Int32(g))
        }
        for (k, tag) in tags.enumerated() where tag.dossier >= 0 && guardsOfDossier[tag.dossier] != nil {
            guardedTags[tag.dossier, default: []].append(Int32(k))
        }
    }

    /// An event of a protected person's device: stored and counted as evaluated in its dossier's period; only a
    /// qualifying position changes anything (it is the person's latest fix, judged against each tag's).
    mutating func processGuarded(_ event: DeviceEvent, guards list: [Int32], into changes: inout [BreachChange])
        -> EventDisposition
    {
        let t = event.ts.milliseconds
        guard let gi = list.first(where: { guards[Int($0)].activeStart <= t && t < guards[Int($0)].activeEnd })
        else { return .outsidePeriod }
        let g = Int(gi)
        guard t >= guards[g].lastEvaluated else { return .late }
        guards[g].lastEvaluated = t
        if config.timersFollowDeviceLag { guards[g].lag = max(0, now.milliseconds &- t) }
        guard case .position(let lat, let lon, let acc) = event.reading, acc <= guards[g].maxAccuracy else {
            return .evaluated
        }
        // The previous fix went stale before this one: that clearing comes first, at its own time.
        if guards[g].staleKey < 2 &* t { expireGuard(g, into: &changes) }
        guards[g].fixLat = lat
        guards[g].fixLon = lon
        guards[g].fixAt = t
        guards[g].stale = false
        for tag in guardedTags[guards[g].dossier] ?? [] where tags[Int(tag)].dossierActive {
            judge(tag: Int(tag), guard: g, tagFix: false, at: t, into: &changes)
        }
        rescheduleGuard(g)
        return .evaluated
    }

    /// A qualifying fix of a guarded tag at `t`: judged against each protected person of its dossier.
    mutating func judgeProximity(ofTag tag: Int, at t: Int64, into changes: inout [BreachChange]) {
        for g in guardsOfDossier[tags[tag].dossier] ?? [] {
            judge(tag: tag, guard: Int(g), tagFix: true, at: t, into: &changes)
        }
    }

    /// Judges the tag's latest qualifying fix against the person's latest (`tagFix`: the tag's fix is new, and the
    /// one before joins the run); raises when the run of near fixes reaches the dossier's count, clears on a far
    /// verdict (a fresh fix of the person beyond the radius). With no fresh fix of the person the tag's fix is not
    /// near, and the run restarts (docs/RULES.md).
    mutating func judge(tag: Int, guard g: Int, tagFix: Bool, at t: Int64, into changes: inout [BreachChange]) {
        let tagFixAt = tags[tag].fixAt
        guard tagFixAt != TagState.none else { return }
        let k = ProximityKey(tag: Int32(tag), guardIndex: Int32(g))
        var p = proximity[k] ?? Proximity()
        if tagFix { p.runBefore = p.lastNear ? min(p.runBefore &+ 1, 63) : 0 }
        var near: Bool?
        let s = guards[g]
        if s.fixAt != TagState.none, abs(tagFixAt - s.fixAt) <= Self.proximityFreshness {
            let d = Geo.distance(
                GeoPoint(lat: tags[tag].fixLat, lon: tags[tag].fixLon), GeoPoint(lat: s.fixLat, lon: s.fixLon))
            near = d <= s.radius
        }
        p.lastNear = near == true
        let reached = Int(p.runBefore) + (p.lastNear ? 1 : 0) >= Int(tags[tag].consecutiveFixes)
        if !p.open, reached {
            p.open = true
            emit(.raised(proximityKey(k), at: Timestamp(milliseconds: t)), tag: tag, into: &changes)
        } else if p.open, near == false {
            p.open = false
            emit(.cleared(proximityKey(k), at: Timestamp(milliseconds: t)), tag: tag, into: &changes)
        }
        proximity[k] = p == Proximity() ? nil : p
    }

    /// The person's latest fix is more than 120 s old: the open proximity breaches of their dossier's tags clear at
    /// that moment, and every tag's run restarts.
    mutating func expireGuard(_ g: Int, into changes: inout [BreachChange]) {
        let at = guards[g].fixAt &+ Self.proximityFreshness
        guards[g].stale = true
        for tag in guardedTags[guards[g].dossier] ?? [] {
            let k = ProximityKey(tag: tag, guardIndex: Int32(g))
            guard let p = proximity[k] else { continue }
            if p.open { emit(.cleared(proximityKey(k), at: Timestamp(milliseconds: at)), tag: Int(tag), into: &changes) }
            proximity[k] = nil
        }
    }

    /// The tag's dossier is no longer active (its period ended, or it was retired): its proximity breaches clear.
    mutating func endProximity(ofTag tag: Int, at t: Int64, into changes: inout [BreachChange]) {
        for g in guardsOfDossier[tags[tag].dossier] ?? [] {
            let k = ProximityKey(tag: Int32(tag), guardIndex: g)
            guard let p = proximity[k] else { continue }
            if p.open { emit(.cleared(proximityKey(k), at: Timestamp(milliseconds: t)), tag: tag, into: &changes) }
            proximity[k] = nil
        }
    }

    /// A guard's heap entry came due (`advance(to:)`).
    mutating func fireGuard(_ g: Int, key: Int64, into changes: inout [BreachChange]) {
        guard guards[g].dossier >= 0, guards[g].queuedKey == key else { return }  // superseded
        guards[g].queuedKey = TagState.none
        let due = guards[g].staleKey
        if due < TagState.none, due &+ 2 &* guards[g].lag <= key { expireGuard(g, into: &changes) }
        rescheduleGuard(g)
    }

    /// As `reschedule` for a tag: an entry no later than the staleness timer, on the pipeline clock.
    mutating func rescheduleGuard(_ g: Int) {
        let k = guards[g].staleKey
        guard guards[g].dossier >= 0, k < TagState.none else { return }
        let due = k &+ 2 &* guards[g].lag
        guard due < guards[g].queuedKey else { return }
        guards[g].queuedKey = due
        heap.insert(Deadline(key: due, tag: -1 - Int32(g)))
    }
}

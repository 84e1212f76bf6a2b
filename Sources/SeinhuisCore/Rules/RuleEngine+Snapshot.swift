extension RuleEngine {
    // MARK: - Snapshot

    /// The ids of the dossiers in force, in the engine's order (what `restore` must be given back, by id).
    public var dossierIDs: [String] { dossiers.compactMap { $0?.id } }

    /// Writes the engine's whole state: the pipeline clock, the dossiers in force (by id, in the engine's order),
    /// and every device of every dossier in force with all it remembers and its place in the deadline heap.
    ///
    /// What is derived from the dossiers (period tables, the zone table, bindings) is not written: `restore` derives
    /// it again from the same dossiers. Retired tags (a device or dossier no longer in force) are left out. Order is
    /// kept (dossiers, then tags, each in the engine's order), so the restored engine breaks ties between devices
    /// exactly as this one does.
    public func snapshot(into w: inout SnapshotWriter) {
        w.int(now.milliseconds)
        var compact = [Int](repeating: -1, count: dossiers.count)
        var n = 0
        for (i, r) in dossiers.enumerated() {
            guard r != nil else { continue }
            compact[i] = n
            n += 1
        }
        w.count(n)
        for r in dossiers { if let r { w.string(r.id) } }
        let live = tags.filter { $0.dossier >= 0 }
        w.count(live.count)
        for tag in live {
            w.varint(UInt64(compact[Int(tag.dossier)]))
            w.string(devices[Int(tag.device)])
            tag.write(to: &w)
            let base = Int(tag.zoneFlagBase)
            w.raw(zoneFlags[base..<(base + Int(tag.zoneCount))])
        }
        writeGuards(into: &w, compactDossiers: compact)
    }

    /// (1.1) The live guards in order (dossier, person, device and what they remember), then every tag and guard's
    /// proximity state, by their places among the live tags and guards.
    private func writeGuards(into w: inout SnapshotWriter, compactDossiers compact: [Int]) {
        var compactTag = [Int](repeating: -1, count: tags.count)
        var n = 0
        for (k, tag) in tags.enumerated() where tag.dossier >= 0 {
            compactTag[k] = n
            n += 1
        }
        var compactGuard = [Int](repeating: -1, count: guards.count)
        let live = guards.indices.filter { guards[$0].dossier >= 0 }
        for (n, g) in live.enumerated() { compactGuard[g] = n }
        w.count(live.count)
        for g in live {
            let s = guards[g]
            w.varint(UInt64(compact[Int(s.dossier)]))
            w.string(s.person)
            w.string(devices[Int(s.device)])
            for v in [s.fixAt, s.lastEvaluated, s.lag, s.queuedKey] { w.int(v) }
            w.double(s.fixLat)
            w.double(s.fixLon)
            w.bool(s.stale)
        }
        let entries = proximity.filter { compactTag[Int($0.key.tag)] >= 0 && compactGuard[Int($0.key.guardIndex)] >= 0 }
            .sorted { $0.key < $1.key }
        w.count(entries.count)
        for (k, p) in entries {
            w.varint(UInt64(compactTag[Int(k.tag)]))
            w.varint(UInt64(compactGuard[Int(k.guardIndex)]))
            w.byte(p.runBefore)
            w.bool(p.lastNear)
            w.bool(p.open)
        }
    }

    /// Reads what `writeGuards` wrote into a restored engine whose tags and dossiers are in place.
    private mutating func readGuards(from r: inout SnapshotReader, dossiers list: [Dossier]) throws {
        let count = try r.count()
        for _ in 0..<count {
            let index = try r.varint()
            guard index < UInt64(list.count) else { throw SnapshotError("a protected device names no dossier") }
            let di = Int(index)
            let person = try r.string()
            let device = try r.string()
            guard let p = list[di].protected.first(where: { $0.id == person && $0.device == device }) else {
                throw SnapshotError("dossier \(list[di].id) does not name protected person \(person) of the snapshot")
            }
            let g = Int(addGuard(p, dossier: di, rules: dossiers[di]!))
            guards[g].fixAt = try r.int()
            guards[g].lastEvaluated = try r.int()
            guards[g].lag = try r.int()
            guards[g].queuedKey = try r.int()
            guards[g].fixLat = try r.double()
            guards[g].fixLon = try r.double()
            guards[g].stale = try r.bool()
        }
        let entries = try r.count()
        for _ in 0..<entries {
            let tag = try r.varint()
            let g = try r.varint()
            guard tag < UInt64(tags.count), g < UInt64(guards.count) else {
                throw SnapshotError("a proximity of the snapshot names no device")
            }
            var p = Proximity()
            p.runBefore = try r.byte()
            p.lastNear = try r.bool()
            p.open = try r.bool()
            proximity[ProximityKey(tag: Int32(tag), guardIndex: Int32(g))] = p
        }
        rebuildGuardIndex()
        for (g, s) in guards.enumerated() where s.queuedKey != TagState.none {
            heap.insert(Deadline(key: s.queuedKey, tag: -1 - Int32(g)))
        }
    }

    /// The engine `snapshot` wrote, judging by `dossiers` (by id: each must be the version that was in force when
    /// the snapshot was taken). Throws `SnapshotError` if the bytes are damaged or do not fit the dossiers (a device
    /// the dossier does not name, a different number of zones).
    public static func restore(
        from r: inout SnapshotReader, dossiers byID: [String: Dossier], config: RuleConfig
    ) throws -> RuleEngine {
        var e = RuleEngine(config: config)
        e.now = Timestamp(milliseconds: try r.int())
        let count = try r.count()
        var list: [Dossier] = []
        list.reserveCapacity(count)
        for _ in 0..<count {
            let id = try r.string()
            guard let d = byID[id] else { throw SnapshotError("the snapshot's dossier \(id) was not given back") }
            list.append(d)
        }
        e.reserve(for: list)
        for d in list { e.dossiers.append(e.rules(for: d)) }
        var dossierTags = [[Int32]](repeating: [], count: list.count)
        let tagCount = try r.count()
        for _ in 0..<tagCount {
            // An index, not a count: bounded by the dossiers, not by the bytes left.
            let index = try r.varint()
            guard index < UInt64(list.count) else { throw SnapshotError("a device of the snapshot names no dossier") }
            let di = Int(index)
            let device = try r.string()
            guard list[di].devices.contains(device) else {
                throw SnapshotError("dossier \(list[di].id) does not name device \(device) of the snapshot")
            }
            let k = Int(e.addTag(device: device, dossier: di, rules: e.dossiers[di]!))
            try e.tags[k].read(from: &r)
            let flags = try r.raw()
            guard flags.count == Int(e.tags[k].zoneCount), flags.count == list[di].zones.count else {
                throw SnapshotError("device \(device) of dossier \(list[di].id) has other zones than its dossier")
            }
            let base = Int(e.tags[k].zoneFlagBase)
            for z in flags.indices { e.zoneFlags[base + z] = flags[z] }
            dossierTags[di].append(Int32(k))
        }
        e.rebuildBindings(dossierTags)
        for (k, tag) in e.tags.enumerated() where tag.queuedKey != TagState.none {
            e.heap.insert(Deadline(key: tag.queuedKey, tag: Int32(k)))
        }
        try e.readGuards(from: &r, dossiers: list)
        return e
    }
}

extension TagState {
    /// Every field but the indices `restore` derives (device, dossier, zone bases, zone count).
    fileprivate func write(to w: inout SnapshotWriter) {
        for v in [
            activeStart, activeEnd, commsTimeout, lastEvaluated, lastContact, gnssLostSince, flagsFrom, nextBoundary,
            throughKey, queuedKey, lastChangeAt, lag, fixAt,
        ] { w.int(v) }
        w.varint(UInt64(open))
        for b in [strap, `case`, gnss, power, homeRun, consecutiveFixes] { w.byte(b) }
        for b in [
            flagsValid, dossierActive, curfewActive, away, batteryLow, batteryDepleted, commsLost, gnssLossOpen,
            crossings, guarded,
        ] { w.bool(b) }
        w.double(home.center.lat)
        w.double(home.center.lon)
        w.double(home.radiusMetres)
        w.double(maxAccuracy)
        w.double(fixLat)
        w.double(fixLon)
    }

    fileprivate mutating func read(from r: inout SnapshotReader) throws {
        activeStart = try r.int()
        activeEnd = try r.int()
        commsTimeout = try r.int()
        lastEvaluated = try r.int()
        lastContact = try r.int()
        gnssLostSince = try r.int()
        flagsFrom = try r.int()
        nextBoundary = try r.int()
        throughKey = try r.int()
        queuedKey = try r.int()
        lastChangeAt = try r.int()
        lag = try r.int()
        fixAt = try r.int()
        open = try r.uint16()
        strap = try r.byte()
        `case` = try r.byte()
        gnss = try r.byte()
        power = try r.byte()
        homeRun = try r.byte()
        consecutiveFixes = try r.byte()
        flagsValid = try r.bool()
        dossierActive = try r.bool()
        curfewActive = try r.bool()
        away = try r.bool()
        batteryLow = try r.bool()
        batteryDepleted = try r.bool()
        commsLost = try r.bool()
        gnssLossOpen = try r.bool()
        crossings = try r.bool()
        guarded = try r.bool()
        let lat = try r.double(), lon = try r.double(), radius = try r.double()
        home = GeoCircle(center: GeoPoint(lat: lat, lon: lon), radiusMetres: radius)
        maxAccuracy = try r.double()
        fixLat = try r.double()
        fixLon = try r.double()
    }
}

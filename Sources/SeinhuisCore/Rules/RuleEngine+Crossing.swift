extension RuleEngine {
    // MARK: - Zone crossing (1.1)

    /// `exclusion_zone_crossed`: the device's latest qualifying fix (at `t`, now in its state) and the one before
    /// (`a` at `ta`), both outside a `crossing` zone that is active at `t`, with the path between them through the
    /// zone at an implied speed of at most `RuleConfig.maxCrossingSpeedKmh`: raised and cleared at `t` (PROTOCOL 4.1,
    /// docs/RULES.md). An end inside the zone is the entry rule's business, not a crossing.
    mutating func judgeCrossings(_ tag: Int, from a: GeoPoint, at ta: Int64, into changes: inout [BreachChange]) {
        let t = tags[tag].fixAt
        let b = GeoPoint(lat: tags[tag].fixLat, lon: tags[tag].fixLon)
        // d / dt <= v: d metres over dt ms at most v km/h is d * 3600 <= v * dt (no division: dt may be 0).
        guard Geo.distance(a, b) * 3600 <= config.maxCrossingSpeedKmh * Double(t - ta) else { return }
        let zoneBase = Int(tags[tag].zoneBase)
        let flagBase = Int(tags[tag].zoneFlagBase)
        for z in 0..<Int(tags[tag].zoneCount) where zoneTable.isCrossing(zoneBase + z) {
            guard zoneFlags[flagBase + z] & ZoneFlag.active != 0 else { continue }
            // Both ends outside: not on the wrong side of this exclusion zone.
            guard !zoneTable.wrongSide(zoneBase + z, a), !zoneTable.wrongSide(zoneBase + z, b) else { continue }
            guard zoneTable.meetsSegment(zoneBase + z, a, b) else { continue }
            let r = dossiers[Int(tags[tag].dossier)]!
            let key = BreachKey(
                dossier: r.id, device: devices[Int(tags[tag].device)], kind: .exclusion_zone_crossed,
                zone: r.dossier.zones[z].id)
            emit(.raised(key, at: Timestamp(milliseconds: t)), tag: tag, into: &changes)
            emit(.cleared(key, at: Timestamp(milliseconds: t)), tag: tag, into: &changes)
        }
    }
}

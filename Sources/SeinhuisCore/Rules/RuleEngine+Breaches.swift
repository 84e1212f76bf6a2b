extension RuleEngine {
    // MARK: - Breaches

    /// Makes the device's open breaches what its state and open periods say, raising and clearing at `t`.
    mutating func sync(_ tag: Int, at t: Int64, into changes: inout [BreachChange]) {
        let di = Int(tags[tag].dossier)
        let active = tags[tag].dossierActive
        if tags[tag].guarded, !active { endProximity(ofTag: tag, at: t, into: &changes) }
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
                let key = BreachKey(dossier: r.id, device: devices[Int(tags[tag].device)], kind: kind)
                emit(
                    want & kind.bit != 0
                        ? .raised(key, at: Timestamp(milliseconds: t)) : .cleared(key, at: Timestamp(milliseconds: t)),
                    tag: tag, into: &changes)
            }
            tags[tag].open = want
        }
        let zoneCount = Int(tags[tag].zoneCount)
        guard zoneCount > 0 else { return }
        let n = tags[tag].consecutiveFixes
        let flagBase = Int(tags[tag].zoneFlagBase)
        for z in 0..<zoneCount {
            let f = zoneFlags[flagBase + z]
            let wantOpen = active && f & ZoneFlag.active != 0 && f & ZoneFlag.run >= n
            let isOpen = f & ZoneFlag.open != 0
            guard wantOpen != isOpen else { continue }
            let r = dossiers[di]!
            let zone = r.dossier.zones[z]
            let key = BreachKey(
                dossier: r.id, device: devices[Int(tags[tag].device)], kind: zone.breach, zone: zone.id)
            emit(
                wantOpen ? .raised(key, at: Timestamp(milliseconds: t)) : .cleared(key, at: Timestamp(milliseconds: t)),
                tag: tag, into: &changes)
            zoneFlags[flagBase + z] = wantOpen ? f | ZoneFlag.open : f & ~ZoneFlag.open
        }
    }

    /// Appends a change. A clearing never precedes the device's latest change: when a device's stored events arrive
    /// after the pipeline clock has already judged a boundary or timer of it, the clearing is dated no earlier than
    /// what was raised.
    mutating func emit(_ change: BreachChange, tag: Int, into changes: inout [BreachChange]) {
        var c = change
        let last = tags[tag].lastChangeAt
        if case .cleared(let key, let at) = change, at.milliseconds < last {
            c = .cleared(key, at: Timestamp(milliseconds: last))
        }
        tags[tag].lastChangeAt = max(last, c.at.milliseconds)
        changes.append(c)
    }
}

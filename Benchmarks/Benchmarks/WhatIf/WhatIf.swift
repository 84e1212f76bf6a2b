import Benchmark
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

// `seinhuis whatif` on a year of breaches of 2,000 tags (about 900k alerts; issue 18: under 5 s), and its stages
// one by one, so the time can be placed (docs/PERFORMANCE.md, "What if"). Names are identifiers (see Ingest.swift).

/// 2026, as the fixture's year: 900,000 breaches, one every 35 s.
let yearStart = Timestamp(milliseconds: 1_767_225_600_000)
let breachCount = 900_000
let kinds: [BreachKind] = [
    .curfew_absence, .communication_loss, .battery_low, .exclusion_zone_entry, .gnss_loss, .inclusion_zone_exit,
    .strap_tamper, .home_power_loss, .curfew_absence, .battery_depleted,
]

/// The proposed policy: v1 with 10 minutes instead of 30 for the non-radex high/medium/low route.
let proposed: RoutingPolicy = {
    var p = RoutingPolicy.v1
    p.version = "v2"
    p.rules[3].route = Route(queues: [.vcet], escalateAfterSeconds: 600, escalateTo: [.vcet, .police])
    return p
}()

/// A deterministic delay for breach `k` and queue number `q`: 1 to 40 minutes, one in ten never answered.
func recordedDelay(_ k: Int, _ q: Int) -> Int64? {
    let h = (UInt64(k) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(q) &* 0xD1B5_4A32_D192_ED03) >> 20
    if h % 10 == 0 { return nil }
    return Int64(h % 2400 + 60) * 1000
}

/// A database file with `breachCount` breach alerts of 2,000 tags over 2026, routed by v1, with each queue's
/// recorded first measure (one in ten never) and the escalations that followed; written once, row by row in one
/// transaction as `Store.save` stores them. Kept in the temporary directory (each benchmark runs in a process of its
/// own): a later process opens it if it was written to the end.
func whatIfDatabase() -> Store {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-bench-whatif-1.sqlite").path
    if let store = try? Store(path: path), (try? store.meta("bench.complete")) == "\(breachCount)" { return store }
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    let store = try! Store(path: path)
    let step = Int64(365 * 86_400_000 / breachCount)
    try! store.transaction {
        let insert = try store.db.cached(
            """
            INSERT INTO alert(number, id, dossier, device, breach, severity, radex, queues, event_ts, detected_at,
                state, escalation, policy, updated_at, queues_at_once, rev, handling, responded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'v1', ?, ?, ?, ?, ?)
            """)
        for k in 0..<breachCount {
            let tag = k % 2000
            let radex = tag % 10 == 0
            let kind = kinds[(k / 2000 + tag) % kinds.count]
            let detected = yearStart + Int64(k) * step
            let route = RoutingPolicy.v1.route(radex: radex, severity: kind.severity)
            var handling = Handling(reached: route.queues)
            for (i, q) in route.queues.enumerated() {
                guard let d = recordedDelay(k, i) else { continue }
                handling[q] = QueueHandling(
                    state: .responded, acknowledgedAt: detected + d, firstMeasureAt: detected + d, measure: .phone_call)
            }
            let first = handling.firstMeasure
            let waited = (first ?? detected + 86_400_000) - detected
            let escalation = min(RoutingPolicy.v1.maxEscalations, Int(waited / (route.escalateAfterSeconds * 1000)))
            var queues = Set(route.queues)
            if escalation > 0 { queues.formUnion(route.escalateTo) }
            handling.reach(Array(queues))
            let atOnce = route.queues.sorted().map(\.rawValue).joined(separator: ",")
            try insert.run([
                .integer(Int64(k + 1)), .text(Alert.id(forNumber: Int64(k + 1))), .text("D-\(tag)"),
                .text("TAG-\(String(format: "%05d", tag))"), .text(kind.rawValue), .text(kind.severity.rawValue),
                .integer(radex ? 1 : 0), .text(queues.sorted().map(\.rawValue).joined(separator: ",")),
                .integer(detected.milliseconds - 1), .integer(detected.milliseconds), .text(handling.summary.rawValue),
                .integer(Int64(escalation)), .integer(detected.milliseconds), .text(atOnce), .integer(Int64(k + 1)),
                .text(handling.stored), SQLValue(first?.milliseconds),
            ])
        }
        try store.setMeta("bench.complete", "\(breachCount)")
    }
    return store
}

nonisolated(unsafe) let whatIfStore = whatIfDatabase()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(60),
        maxIterations: 5)

    // The whole run as `seinhuis whatif --format json` does it: load, model under both policies, report.
    Benchmark("WhatIf.year900kBreaches") { benchmark in
        let store = whatIfStore
        benchmark.startMeasurement()
        let run = try! WhatIfRun(store: store, current: .v1, proposed: proposed, from: nil, to: nil, seed: 1)
        let json = run.json
        benchmark.stopMeasurement()
        precondition(run.breaches == breachCount, "the fixture's breaches must all be read")
        blackHole(json)
    }

    // Stage 1: reading the breaches from the store.
    Benchmark("WhatIf.load900kBreaches") { benchmark in
        let store = whatIfStore
        benchmark.startMeasurement()
        let stored = try! store.storedBreaches(from: .distantPast, to: .distantFuture)
        benchmark.stopMeasurement()
        blackHole(stored)
    }

    // Stage 2: the recorded responses and the model under one policy (the whole run does it twice).
    Benchmark("WhatIf.model900kBreaches") { benchmark in
        let stored = try! whatIfStore.storedBreaches(from: .distantPast, to: .distantFuture)
        benchmark.startMeasurement()
        let samples = ResponseSamples(stored, policies: ["v1": .v1])
        let modelled = WhatIfModel.run(stored, under: proposed, samples: samples, seed: 1)
        benchmark.stopMeasurement()
        blackHole(modelled)
    }

    // Stage 3: the rows of one policy from its modelled alerts.
    Benchmark("WhatIf.rows900kBreaches") { benchmark in
        let stored = try! whatIfStore.storedBreaches(from: .distantPast, to: .distantFuture)
        let samples = ResponseSamples(stored, policies: ["v1": .v1])
        let modelled = WhatIfModel.run(stored, under: proposed, samples: samples, seed: 1)
        benchmark.startMeasurement()
        let rows = WhatIfReport.rows(modelled, days: 365)
        benchmark.stopMeasurement()
        blackHole(rows)
    }
}

import Benchmark
import Fixtures
import Foundation
import SeinhuisCore

// Names are identifiers (see Ingest.swift). Replay's pieces that are not the ingest's: the reordering hold driving the
// rule engine, and parsing the stored dossiers (the catalog a replay loads first). docs/PERFORMANCE.md, "Benchmarks".

/// `n` dossiers like the simulator's, as the store keeps them (canonical JSON, one per row); device `TAG-0000k`.
func storedDossiers(_ n: Int) -> [String] {
    (1...n).map { k in try! Dossier.parse(dossierJSON(k))[0].canonicalJSON }
}

/// A sequencer over 10k devices kept across the benchmark's runs and warmed up (30 s of stream), so each run
/// measures the steady state: about 100k events held.
final class HoldFixture: @unchecked Sendable {
    // @unchecked: used by the benchmark's runs, one at a time.
    var sequencer: ReplaySequencer
    let names = (1...10_000).map { "TAG-" + String(format: "%05d", $0) }
    let index: [Int]
    var seq = [UInt64](repeating: 0, count: 10_000)
    var i = 0
    var changes: [TimedBreachChange] = []

    init(_ dossiers: [Dossier]) {
        var engine = RuleEngine()
        var boot: [BreachChange] = []
        engine.load(dossiers, at: .distantPast, into: &boot)
        index = names.map { engine.deviceIndex(of: $0)! }
        sequencer = ReplaySequencer(engine: engine)
        run(300_000)
    }

    func run(_ n: Int) {
        for _ in 0..<n {
            let d = i % 10_000
            seq[d] += 1
            var ts = start + Int64(i / 10)
            if i % 100 == 7 { ts -= 1000 + Int64(i % 7000) }
            let e = DeviceEvent(device: names[d], seq: seq[d], ts: Timestamp(milliseconds: ts), reading: .heartbeat)
            sequencer.push(e, deviceIndex: index[d], into: &changes)
            changes.removeAll(keepingCapacity: true)
            i += 1
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(2),
        thresholds: defaultThresholds)

    // The 10 s hold over 10k devices, one event per device per second (10 per millisecond), 1 % of them written 1-8 s
    // late (the simulator's share): about 100k events held. Heartbeats, so the hold, not the rules, is measured.
    let texts = storedDossiers(10_000)
    let hold = HoldFixture(texts.map { try! Dossier.parse($0)[0] })
    Benchmark("Hold.10kDevices") { benchmark in
        hold.run(benchmark.scaledIterations.count)
    }

    // The catalog: 1000 stored dossiers parsed one by one, as `Store.dossierSet` does.
    let thousand = Array(texts.prefix(1000))
    Benchmark(
        "Catalog.dossiers1000",
        configuration: .init(
            metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(2),
            thresholds: [.wallClock: .init(relative: [.p90: 150]), .throughput: .init(relative: [.p90: 60])])
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            for t in thousand { blackHole(try! Dossier.parse(t)) }
        }
    }
}

import Benchmark
import Fixtures
import SeinhuisCore

// The pipeline type as serve drives it (docs/PERFORMANCE.md, "Benchmarks"): one frame through intake, rules and
// alert book, round-robin over 10k devices; and its snapshot of 10k tracked devices, written and restored (what a
// commit carries now and then, and what start-up reads before the journal after it).

/// Positions of `n` devices, each a second after its previous one, as frames in the contract's layout.
func positionFrames(devices n: Int, rounds: Int) -> [[UInt8]] {
    var out: [[UInt8]] = []
    out.reserveCapacity(n * rounds)
    for r in 0..<rounds {
        for d in 1...n {
            let ts = Timestamp(milliseconds: start + Int64(r) * 1000).rfc3339
            let lat = 50.8 + Double(r % 7) * 0.0001
            let f = #"{"v":1,"device":"\#(device(d))","seq":\#(r + 1),"ts":"\#(ts)","kind":"position","lat":\#(lat),"lon":4.3,"acc":8}"#
            out.append(Array(f.utf8))
        }
    }
    return out
}

/// A live pipeline over `list` that has taken one round of `frames` (every device tracked).
func warmPipeline(_ list: [Dossier], _ frames: [[UInt8]]) -> LivePipeline {
    let set = DossierSet(list)
    var ids: [String: Int64] = [:]
    for (k, d) in set.devices.sorted().enumerated() { ids[d] = Int64(k + 1) }
    let p = LivePipeline(settings: PipelineSettings(), dossiers: set, journalIDs: ids, nextAlertNumber: 1)
    let at = Timestamp(milliseconds: start + 3_600_000)
    p.advance(to: at)
    for f in frames { f.withUnsafeBytes { p.take($0, source: "pull", receivedAt: at) } }
    _ = p.stored()
    return p
}

func pipelineBenchmarks() {
    let list = dossiers(10_000)
    let frames = positionFrames(devices: 10_000, rounds: 2)
    Benchmark("Pipeline.takePosition10kDevices") { benchmark in
        let p = warmPipeline(list, Array(frames.prefix(10_000)))
        let at = Timestamp(milliseconds: start + 3_600_000)
        let rest = Array(frames.suffix(10_000))
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            rest[i % 10_000].withUnsafeBytes { p.take($0, source: "pull", receivedAt: at) }
            if i % 4096 == 4095 { _ = p.stored() }
        }
    }
    Benchmark(
        "Snapshot.write10kDevices",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))
    ) { benchmark in
        let p = warmPipeline(list, Array(frames.prefix(10_000)))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(p.snapshot().bytes) }
    }
    Benchmark(
        "Snapshot.restore10kDevices",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(3))
    ) { benchmark in
        let p = warmPipeline(list, Array(frames.prefix(10_000)))
        let bytes = p.snapshot().bytes
        let set = DossierSet(list)
        var ids: [String: Int64] = [:]
        for (k, d) in set.devices.sorted().enumerated() { ids[d] = Int64(k + 1) }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let snapshot = try! PipelineSnapshot(bytes: bytes)
            blackHole(
                try! LivePipeline.restore(
                    snapshot, settings: PipelineSettings(), dossiers: set, journalIDs: ids, nextAlertNumber: 1))
        }
    }
}

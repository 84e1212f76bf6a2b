import Benchmark
import SeinhuisCore
import SeinhuisStore

let frames: [[UInt8]] = [
    #"{"v":1,"device":"TAG-0001","seq":1201,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51.0543,"lon":3.7174,"acc":8.5}"#,
    #"{"v":1,"device":"TAG-0001","seq":1202,"ts":"2026-11-22T09:00:30.000Z","kind":"heartbeat"}"#,
    #"{"v":1,"device":"TAG-0001","seq":1203,"ts":"2026-11-22T09:01:00.000Z","kind":"battery","level":0.42,"charging":false}"#,
    #"{"v":1,"device":"TAG-0001","seq":1204,"ts":"2026-11-22T09:01:30.000Z","kind":"strap","state":"opened"}"#,
].map { Array($0.utf8) }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(2))

    for (name, frame) in zip(["position", "heartbeat", "battery", "strap"], frames) {
        Benchmark("decode \(name)") { benchmark in
            let decoder = EventDecoder()
            for _ in benchmark.scaledIterations {
                blackHole(frame.withUnsafeBytes { decoder.decode($0) })
            }
        }
    }

    Benchmark("duplicate filter, counting devices") { benchmark in
        var seen = SeenSequences()
        var seq: UInt64 = 0
        for _ in benchmark.scaledIterations {
            seq += 1
            blackHole(seen.insert(slot: Int(seq % 10_000), seq: seq / 10_000))
        }
    }

    Benchmark("journal block encode, position") { benchmark in
        var block = JournalBlockBuilder()
        let e = DeviceEvent(
            device: "TAG-0001", seq: 1, ts: Timestamp(milliseconds: 1_790_000_000_000),
            reading: .position(lat: 51.0543, lon: 3.7174, acc: 8.5))
        for i in benchmark.scaledIterations {
            if i % 8192 == 0 { block.reset() }
            block.append(deviceID: 42, e)
        }
        blackHole(block.count)
    }
}

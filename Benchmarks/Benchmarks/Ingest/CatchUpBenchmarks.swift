import Benchmark
import Fixtures
import Foundation
import SeinhuisCore
import SeinhuisStore

// The change feed (PROTOCOL 4.3, 1.1; docs/PERFORMANCE.md, "Catch-up"): a consumer that was away pages through
// 100,000 alerts of its queue by rev, 500 a page (the default), each page read from SQLite and written as the JSON
// the HTTP route answers. The target: the whole catch-up in under 2 s.

/// A database file with `n` alerts, a third of them Radex (reaching police at once), the rest escalated to police;
/// each with a rev.
func catchUpDatabase(alerts n: Int) -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-bench-feed-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let store = try! Store(path: dir.appendingPathComponent("feed.sqlite").path)
    try! store.transaction {
        for k in 1...n {
            let radex = k % 3 == 0
            var a = Alert(
                id: Alert.id(forNumber: Int64(k)), dossier: "D-\(k % 2000)", device: "TAG-\(k % 2000)",
                kind: .breach(.strap_tamper), severity: .critical, radex: radex,
                queues: radex ? [.vcet, .coordinator, .cic, .police] : [.vcet, .police], zone: nil,
                eventTs: Timestamp(milliseconds: start + Int64(k) * 1000),
                detectedAt: Timestamp(milliseconds: start + Int64(k) * 1000 + 4), policy: "v1")
            try store.save(&a, at: a.detectedAt)
        }
    }
    return store
}

func catchUpBenchmarks() {
    Benchmark(
        "Feed.catchUp100kAlerts",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one, maxIterations: 5)
    ) { benchmark in
        let store = catchUpDatabase(alerts: 100_000)
        benchmark.startMeasurement()
        var after: Int64 = 0
        var bytes = 0
        while true {
            let page = try! store.alerts(reached: .police, afterRev: after, limit: 500)
            var o = JSONObjectWriter()
            o.raw("alerts", "[" + page.map(\.json).joined(separator: ",") + "]")
            o.int("next_after_rev", page.last?.rev ?? after)
            bytes += o.finish().utf8.count
            after = page.last?.rev ?? after
            if page.count < 500 { break }
        }
        benchmark.stopMeasurement()
        blackHole(bytes)
    }
}

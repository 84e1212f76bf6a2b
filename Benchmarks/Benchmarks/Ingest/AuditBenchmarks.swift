import Benchmark
import Fixtures
import Foundation
import SeinhuisCore
import SeinhuisStore

// The audit trail's verification (PROTOCOL 7, docs/AUDIT.md; docs/PERFORMANCE.md, "Audit verify"): an intact chain
// of 1,000,000 entries walked and every hash recomputed. The issue's target: under 2 s.

/// A database file with `n` chained entries like a busy centre's (logins, actions on alerts, views), built once.
func auditDatabase(entries n: Int) -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-bench-audit-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let store = try! Store(path: dir.appendingPathComponent("audit.sqlite").path)
    let hasher = AuditHasher()
    let actions = ["session.login", "alert.acknowledge", "alert.respond", "alert.close", "dossier.view"]
    var prev: String?
    var last = ""
    try! store.transaction {
        let insert = try store.db.cached(
            """
            INSERT INTO audit(id, at, actor, role, queue, action, subject, dossier, detail, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for k in 1...n {
            let action = actions[k % actions.count]
            var e = AuditRecord(
                id: Int64(k), at: Timestamp(milliseconds: start + Int64(k) * 1000), actor: "op-\(k % 40)",
                role: "operator", queue: action.hasPrefix("alert") ? "vcet" : nil, action: action,
                subject: "A-\(String(format: "%09d", k / 3))", dossier: "D-2026-\(k % 5000)",
                detail: action == "alert.respond" ? "queue vcet; measure phone_call" : "queue vcet")
            e.hash = hasher.hash(prev: prev, e)
            try insert.run([
                .integer(e.id), .integer(e.at.milliseconds), .text(e.actor), SQLValue(e.role), SQLValue(e.queue),
                .text(e.action), .text(e.subject), SQLValue(e.dossier), .text(e.detail), .text(e.hash),
            ])
            prev = e.hash
            last = "\(k) \(e.hash) \(e.at.milliseconds)"
        }
        try store.setMeta("audit.head", last)
    }
    return store
}

nonisolated(unsafe) let auditBenchStore = auditDatabase(entries: 1_000_000)

func auditBenchmarks() {
    Benchmark(
        "Audit.verify1MEntries",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(60),
            maxIterations: 5)
    ) { benchmark in
        let store = auditBenchStore
        benchmark.startMeasurement()
        let v = try! store.verifyAudit()
        benchmark.stopMeasurement()
        precondition(v.intact && v.verified == 1_000_000, "the benchmark's chain must verify")
        blackHole(v)
    }
}

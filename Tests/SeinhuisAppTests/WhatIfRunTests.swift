import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Testing

/// `WhatIfModel.run` walks each route's escalations once per route (docs/PERFORMANCE.md, "What if"); it must give
/// exactly what a book of its own per breach gives (`simulate`), under any policy.
@Suite("whatif: the run equals the book per breach")
struct WhatIfRunTests {
    /// 300 breaches of every kind, Radex or not, answered by some queues after varied delays, in a real SQLite file.
    static func mixedHistory() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-whatif-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir.appendingPathComponent("whatif.sqlite").path)
        let kinds = BreachKind.allCases
        for i in 0..<300 {
            let detected = WhatIfModelTests.start + Int64(i) * 300_000
            let kind = kinds[i % kinds.count]
            let radex = i % 3 == 0
            let route = RoutingPolicy.v1.route(radex: radex, severity: kind.severity)
            var a = Alert(
                id: Alert.id(forNumber: Int64(i + 1)), dossier: "D-\(i % 7)", device: "TAG-\(i % 7)",
                kind: .breach(kind), severity: kind.severity, radex: radex, queues: route.queues.sorted(), zone: nil,
                eventTs: detected - 1, detectedAt: detected, policy: "v1")
            try store.transaction { try store.save(&a, at: detected) }
            for (n, q) in route.queues.enumerated() where (i + n) % 4 != 0 {
                let delay = Int64((i * 53 + n * 17) % 40 + 1) * 30_000
                _ = try store.act(
                    .respond(.phone_call, note: nil), on: a.id, as: ActingUser(name: "op", role: "admin", queue: q),
                    at: detected + delay)
            }
        }
        return store
    }

    static var policies: [RoutingPolicy] {
        var stops = RoutingPolicy.v1
        stops.version = "v3"
        stops.maxEscalations = 5
        stops.rules[0].route = Route(
            queues: [.vcet, .coordinator], escalateAfterSeconds: 120, escalateTo: [.cic, .police], stopsOn: [.police])
        return [.v1, WhatIfModelTests.faster(300), stops]
    }

    @Test(arguments: [1, 9] as [UInt64])
    func theRunGivesWhatABookPerBreachGives(_ seed: UInt64) throws {
        let breaches = try Self.mixedHistory().storedBreaches(from: .distantPast, to: .distantFuture)
        #expect(breaches.count == 300)
        let samples = ResponseSamples(breaches, policies: ["v1": .v1])
        for p in Self.policies {
            let run = WhatIfModel.run(breaches, under: p, samples: samples, seed: seed)
            let one = breaches.enumerated().compactMap { i, b in
                WhatIfModel.simulate(b, index: i, under: p, samples: samples, seed: seed)
            }
            #expect(run == one, "policy \(p.version)")
            #expect(run.contains { $0.escalation > 0 } && run.contains { $0.escalation == 0 })
        }
    }
}

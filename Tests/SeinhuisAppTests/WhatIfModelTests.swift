import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Testing

/// The what-if model (docs/WHATIF.md) over a small history in a real SQLite file.
@Suite("whatif: the model")
struct WhatIfModelTests {
    static let start = Timestamp(milliseconds: 1_790_000_000_000)

    /// `count` non-radex `curfew_absence` breaches (high: vcet, 30 min to escalate under v1), one every 10 minutes,
    /// vcet answering after 1 to 20 minutes (a fixed cycle), every seventh never.
    static func history(count: Int = 200) throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-whatif-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir.appendingPathComponent("whatif.sqlite").path)
        for i in 0..<count {
            let detected = start + Int64(i) * 600_000
            var a = Alert(
                id: Alert.id(forNumber: Int64(i + 1)), dossier: "D-\(i % 5)", device: "TAG-\(i % 5)",
                kind: .breach(.curfew_absence), severity: .high, radex: false, queues: [.vcet], zone: nil,
                eventTs: detected - 1, detectedAt: detected, policy: "v1")
            try store.transaction { try store.save(&a, at: detected) }
            guard i % 7 != 6 else { continue }
            let delay = Int64((i * 37) % 20 + 1) * 60_000
            _ = try store.act(.respond(.phone_call, note: nil), on: a.id, by: "op", at: detected + delay)
        }
        return store
    }

    /// v1 with `seconds` to escalate the non-radex high/medium/low route.
    static func faster(_ seconds: Int64) -> RoutingPolicy {
        var p = RoutingPolicy.v1
        p.version = "v2"
        p.rules[3].route = Route(queues: [.vcet], escalateAfterSeconds: seconds, escalateTo: [.vcet, .police])
        return p
    }

    @Test func theSameSeedGivesTheSameFigures() throws {
        let breaches = try Self.history().storedBreaches(from: .distantPast, to: .distantFuture)
        let samples = ResponseSamples(breaches, policies: ["v1": .v1])
        let a = WhatIfModel.run(breaches, under: .v1, samples: samples, seed: 7)
        let b = WhatIfModel.run(breaches, under: .v1, samples: samples, seed: 7)
        let c = WhatIfModel.run(breaches, under: .v1, samples: samples, seed: 8)
        #expect(a.count == 200)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func shorterEscalationTimesEscalateMore() throws {
        let breaches = try Self.history().storedBreaches(from: .distantPast, to: .distantFuture)
        let samples = ResponseSamples(breaches, policies: ["v1": .v1])
        func escalations(_ p: RoutingPolicy) -> Int {
            WhatIfReport.rows(WhatIfModel.run(breaches, under: p, samples: samples, seed: 1), days: 1)[0].escalations
        }
        let v1 = escalations(.v1)
        let fast = escalations(Self.faster(300))
        #expect(fast > v1)
        // Never more than the policy's maximum per alert; the escalation reaches the police under v2.
        #expect(fast <= 200 * RoutingPolicy.v1.maxEscalations)
        let rows = WhatIfReport.rows(
            WhatIfModel.run(breaches, under: Self.faster(300), samples: samples, seed: 1), days: 1)
        #expect(rows.contains { $0.group == "police" })
    }

    @Test func theCurrentPolicyReproducesTheRecordedPercentiles() throws {
        let breaches = try Self.history().storedBreaches(from: .distantPast, to: .distantFuture)
        let samples = ResponseSamples(breaches, policies: ["v1": .v1])
        #expect(samples.source(.vcet, .high) == "recorded")
        let modelled = WhatIfReport.rows(WhatIfModel.run(breaches, under: .v1, samples: samples, seed: 1), days: 1)[0]
        let honesty = WhatIfHonesty(recorded: WhatIfReport.recorded(breaches), modelled: modelled.response)
        #expect(honesty.recorded.count == 200 - 200 / 7)
        #expect(honesty.withinTolerance, "p50 off \(honesty.p50OffMs) ms, p90 off \(honesty.p90OffMs) ms")
    }

    @Test func aQueueWithNoRecordedResponsesDrawsFromTheDefault() {
        let samples = ResponseSamples([], policies: [:])
        #expect(samples.source(.police, .critical) == "default")
        var rng = SplitMix64(seed: 3)
        let seconds = Set(ResponseSamples.defaultDelaysSeconds.map { $0 * 1000 })
        for _ in 0..<50 { #expect(samples.draw(.police, .critical, &rng).map(seconds.contains) == true) }
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}

@Suite("whatif: the policy in force")
struct WhatIfPolicyInForceTests {
    @Test func theFingerprintIsTheOneServeRecords() throws {
        let store = try WhatIfModelTests.history(count: 1)
        #expect(try store.policyInForce() == nil)
        let v2 = WhatIfModelTests.faster(300)
        try store.recordPolicyInForce(
            version: v2.version, canonicalJSON: v2.canonicalJSON, builtIn: false, at: WhatIfModelTests.start,
            authorize: { ("admin", "admin") })
        #expect(try store.policyInForce() == Store.policyFingerprint(v2))
        #expect(Store.policyFingerprint(v2) != Store.policyFingerprint(.v1))
    }
}

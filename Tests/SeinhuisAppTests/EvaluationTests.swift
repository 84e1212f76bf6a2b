import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Testing

/// A small database with two policy versions, built here, and the evaluation's figures against a hand computation.
///
/// Before (v1, November 2026): four alerts of a non-Radex dossier to `vcet`, answered after 60, 120, 300 and 900 s
/// (mean 345 s, median 210 s; v1's target for a non-Radex critical alert is 600 s: 3 of 4 within); two Radex alerts
/// to `coordinator`, escalated 2 and 0 times, one answered after 200 s (target 300 s: 1 of 2 within).
/// After (v2, December 2026): three `vcet` alerts answered after 30, 60 and 90 s (mean 60 s, median 60 s, all
/// within); one Radex alert to `coordinator`, escalated once, answered after 100 s.
/// Outside the period (October, v1): one `vcet` alert answered after 10,000 s, which must count nowhere.
enum EvaluationFixture {
    static let nov = Timestamp(rfc3339: "2026-11-10T10:00:00Z")!
    static let dec = Timestamp(rfc3339: "2026-12-10T10:00:00Z")!
    static let oct = Timestamp(rfc3339: "2026-10-10T10:00:00Z")!
    static let from = Timestamp(rfc3339: "2026-11-01T00:00:00Z")!
    static let to = Timestamp(rfc3339: "2027-01-01T00:00:00Z")!

    static var v2: RoutingPolicy {
        var p = RoutingPolicy.v1
        p.version = "v2"
        return p
    }

    static func database() throws -> (Store, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-ev-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("e.sqlite").path
        let store = try Store(path: path)
        var n = 0
        func alert(_ at: Timestamp, _ policy: String, radex: Bool, answeredAfter s: Int64?, escalation: Int = 0) throws
        {
            n += 1
            let queue: Queue = radex ? .coordinator : .vcet
            let detected = Timestamp(milliseconds: at.milliseconds + Int64(n) * 3_600_000)
            var handling = QueueHandling.open
            if let s {
                let m = Timestamp(milliseconds: detected.milliseconds + s * 1000)
                handling = QueueHandling(state: .responded, acknowledgedAt: m, firstMeasureAt: m, measure: .phone_call)
            }
            let a = Alert(
                id: String(format: "A-%09d", n), dossier: radex ? "D-R" : "D-O", device: radex ? "TAG-R" : "TAG-O",
                kind: .breach(.exclusion_zone_entry), severity: .critical, radex: radex, queues: [queue], zone: "Z",
                eventTs: detected, detectedAt: detected, handling: Handling([queue: handling]), escalation: escalation,
                policy: policy)
            try store.transaction { try store.save(a, at: detected) }
        }
        try alert(oct, "v1", radex: false, answeredAfter: 10_000)
        for s in [60, 120, 300, 900] as [Int64] { try alert(nov, "v1", radex: false, answeredAfter: s) }
        try alert(nov, "v1", radex: true, answeredAfter: 200, escalation: 2)
        try alert(nov, "v1", radex: true, answeredAfter: nil)
        for s in [30, 60, 90] as [Int64] { try alert(dec, "v2", radex: false, answeredAfter: s) }
        try alert(dec, "v2", radex: true, answeredAfter: 100, escalation: 1)
        return (store, path)
    }

    static func evaluation(_ store: Store, before: String = "v1", after: String = "v2") throws -> Evaluation {
        try Evaluation.make(
            store, before: before, after: after, from: from, to: to, query: LatencyQuery(policy: v2), whatIf: nil,
            at: dec)
    }
}

@Suite("the evaluation report's figures")
struct EvaluationTests {
    @Test func meansMediansDifferenceSharesAndMonthsMatchTheHandComputation() throws {
        let (store, _) = try EvaluationFixture.database()
        let e = try EvaluationFixture.evaluation(store)
        #expect(e.queues.map(\.queue) == [.vcet, .coordinator])
        let vcet = e.queues[0]
        #expect(vcet.before?.alerts == 4 && vcet.after?.alerts == 3)
        #expect(vcet.meanBeforeMs == 345_000 && vcet.medianBeforeMs == 210_000)
        #expect(vcet.meanAfterMs == 60_000 && vcet.medianAfterMs == 60_000)
        #expect(vcet.differenceMs == -285_000)
        #expect(vcet.before?.withinTarget == 0.75 && vcet.after?.withinTarget == 1)
        // The interval holds the difference, lies within what resampling can give (30 − 900 s to 90 − 60 s), and is
        // a real interval (the before side varies).
        let interval = try #require(vcet.interval)
        #expect(interval.contains(-285_000))
        #expect(interval.lowerBound >= -870_000 && interval.upperBound <= 30_000)
        #expect(interval.lowerBound < interval.upperBound)
        // The same database gives the same interval (fixed seed).
        #expect(try EvaluationFixture.evaluation(store).queues[0].interval == interval)

        let coordinator = e.queues[1]
        #expect(coordinator.before?.alerts == 2 && coordinator.beforeMs == [200_000])
        #expect(coordinator.before?.withinTarget == 0.5 && coordinator.after?.withinTarget == 1)
        #expect(coordinator.differenceMs == -100_000)
        // One answered alert a side: every resample is the same, so the interval is the difference itself.
        #expect(coordinator.interval == -100_000 ... -100_000)

        #expect(e.months.map(\.group) == ["2026-11", "2026-12"])
        #expect(e.months.map(\.alerts) == [2, 1])
        #expect(e.months.map(\.escalations) == [2, 1])
        #expect(e.unknownTargets.isEmpty)
        #expect(e.queues.allSatisfy { $0.resamples == Evaluation.resamples })
    }

    @Test func theBootstrapOfConstantSidesIsTheirDifferenceAndTheSeedRepeats() {
        #expect(
            Evaluation.bootstrap([60_000, 60_000, 60_000], [30_000, 30_000], resamples: 500, seed: 9)
                == -30_000 ... -30_000)
        let a: [Int64] = [10, 20, 30, 40, 50, 60, 70, 80]
        let b: [Int64] = [15, 25, 35, 45]
        #expect(
            Evaluation.bootstrap(a, b, resamples: 300, seed: 4) == Evaluation.bootstrap(a, b, resamples: 300, seed: 4))
        #expect(Evaluation.bootstrap([], b, resamples: 300, seed: 4) == nil)
        // Large queues get fewer resamples, so a year of alerts stays seconds: at most 100 million draws.
        #expect(Evaluation.resamples(answered: 50_000) == 2000)
        #expect(Evaluation.resamples(answered: 100_000) == 1000)
        #expect(Evaluation.resamples(answered: 1_000_000) == 200)
    }

    @Test func theCSVCarriesTheSameFigures() throws {
        let (store, _) = try EvaluationFixture.database()
        let csv = EvaluationCSV.render(try EvaluationFixture.evaluation(store))
        let rows = Set(csv.split(separator: "\n").map(String.init))
        for line in [
            "latency,vcet,mean_before_s,345.000", "latency,vcet,median_before_s,210.000",
            "latency,vcet,mean_after_s,60.000", "latency,vcet,difference_s,-285.000",
            "latency,vcet,within_target_before,0.7500", "latency,coordinator,ci95_low_s,-100.000",
            "radex_month,2026-11,incidents,2", "radex_month,2026-12,escalations,1",
        ] {
            #expect(rows.contains(line), "\(line)")
        }
    }

    @Test func theHTMLIsPrintableWithInlinePlotsInTheLanguage() throws {
        let (store, _) = try EvaluationFixture.database()
        let e = try EvaluationFixture.evaluation(store)
        let nl = EvaluationHTML.render(e, .nl)
        #expect(nl.contains("<html lang=\"nl\"") && nl.contains("@media print"))
        #expect(nl.components(separatedBy: "<svg").count - 1 == 2)  // one plot per queue
        #expect(nl.contains("−4 min 45 s"))  // the difference of vcet's means
        #expect(nl.contains("75,0"))  // the share within target, in the Dutch form
        // No script and nothing fetched: no src, no link to another server (the SVG namespace is a name, not a fetch).
        #expect(!nl.contains("<script") && !nl.contains("src=") && !nl.contains("href=\"http"))
        let fr = EvaluationHTML.render(e, .fr)
        #expect(fr.contains("Médiane") && fr.contains("Intervalle à 95 %"))
        let md = EvaluationMarkdown.render(e, .en)
        #expect(md.contains("| vcet | after (v2) | 3 | 3 | 1 min 00 s | 1 min 00 s |"))
    }

    @Test func aBadVersionOrPeriodIsAClearError() throws {
        let (store, _) = try EvaluationFixture.database()
        #expect(throws: EvaluationError.self) { try EvaluationFixture.evaluation(store, after: "v9") }
        do {
            _ = try EvaluationFixture.evaluation(store, after: "v9")
        } catch let e as EvaluationError {
            #expect(e.description.contains("v9") && e.description.contains("v1, v2"))
        }
        #expect(throws: EvaluationError.self) { try EvaluationFixture.evaluation(store, before: "v2", after: "v2") }
        #expect(throws: EvaluationError.self) {
            try Evaluation.make(
                store, before: "v1", after: "v2", from: EvaluationFixture.to, to: EvaluationFixture.from,
                query: LatencyQuery(policy: EvaluationFixture.v2), whatIf: nil, at: EvaluationFixture.dec)
        }
    }
}

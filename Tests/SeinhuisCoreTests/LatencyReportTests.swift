import Testing

@testable import SeinhuisCore

@Suite("Latency report (PROTOCOL 4.4)")
struct LatencyReportTests {
    let t0 = Timestamp(milliseconds: 1_790_000_000_000)

    func record(
        _ id: Int, response: Int64?, ack: Int64? = nil, queues: [Queue] = [.vcet], policy: String = "v1",
        radex: Bool = false, at offset: Int64 = 0, target: Int64? = 600
    ) -> LatencyRecord {
        let detected = t0 + offset
        return LatencyRecord(
            alertID: "A-\(id)", kind: .breach(.strap_tamper), severity: .critical, radex: radex, queues: queues,
            policy: policy, escalation: response == nil ? 3 : 0, detectedAt: detected,
            acknowledgedAt: ack.map { detected + $0 }, respondedAt: response.map { detected + $0 },
            targetSeconds: target)
    }

    @Test func percentilesMeanMaxAndShareWithinTarget() {
        // Responses after 1..100 s; one alert never answered.
        let rs = (1...100).map { record($0, response: Int64($0) * 1000, ack: 500) } + [record(101, response: nil)]
        let row = LatencyReport.rows(rs, by: .all)[0]
        #expect(row.alerts == 101)
        #expect(row.escalations == 3)
        #expect(row.response.count == 100)
        #expect(row.response.meanMs == 50_500)
        #expect(abs(row.response.p50Ms - 50_000) <= 50)  // HdrHistogram, 3 significant digits
        #expect(abs(row.response.p90Ms - 90_000) <= 90)
        #expect(row.response.maxMs == 100_000)
        #expect(row.acknowledge.count == 100 && row.acknowledge.p50Ms == 500)
        #expect(row.withinTarget == 100.0 / 101.0)  // the unanswered one is outside
    }

    @Test func anAlertCountsInEveryQueueItReached() {
        let rows = LatencyReport.rows(
            [record(1, response: 1000, queues: [.vcet, .police]), record(2, response: 2000, queues: [.vcet])],
            by: .queue)
        #expect(rows.map(\.group) == ["vcet", "police"])
        #expect(rows.map(\.alerts) == [2, 1])
    }

    @Test func beforeAndAfterByPolicyAndByPeriod() {
        let rs = [
            record(1, response: 600_000, policy: "v1"), record(2, response: 400_000, policy: "v1"),
            record(3, response: 60_000, policy: "v2", at: 86_400_000),
            record(4, response: 120_000, policy: "v2", at: 86_400_000),
        ]
        let byPolicy = LatencyReport.rows(rs, by: .policy)
        #expect(byPolicy.map(\.group) == ["v1", "v2"])
        #expect(byPolicy.map(\.response.meanMs) == [500_000, 90_000])
        let byPeriod = LatencyReport.rows(rs, by: .period, splitAt: t0 + 3_600_000)
        #expect(byPeriod.map(\.alerts) == [2, 2])
        #expect(byPeriod.first { $0.group.hasPrefix("before") }?.response.meanMs == 500_000)
    }

    @Test func incidentsAndEscalationsPerMonth() {
        let rows = LatencyReport.rows(
            [record(1, response: nil), record(2, response: 1000), record(3, response: nil, at: 40 * 86_400_000)],
            by: .month)
        #expect(rows.map(\.group) == [String(t0.rfc3339.prefix(7)), String((t0 + 40 * 86_400_000).rfc3339.prefix(7))])
        #expect(rows.map(\.alerts) == [2, 1])
        #expect(rows.map(\.escalations) == [3, 3])
    }

    @Test func unknownTargetsAreLeftOutOfTheShare() {
        let row = LatencyReport.rows([record(1, response: 1000, target: nil)], by: .all)[0]
        #expect(row.withinTarget == nil)
        #expect(LatencySummary([]).count == 0)
    }
}

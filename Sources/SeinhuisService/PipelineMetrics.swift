import Prometheus
import SeinhuisCore

/// The pipeline's Prometheus metrics: counts only, no personal data (PROTOCOL 6).
///
/// The ingest thread adds a whole batch's counts at once, so the hot path touches no shared counter per event.
public final class PipelineMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let accepted: [String: Counter]
    let duplicates: Counter
    let rejected: [RejectReason: Counter]
    let notEvaluated: Counter
    let late: Counter
    let clockSkewed: Counter
    let alertsRaised: Counter
    let alertsPublished: Counter
    let batchEvents: ValueHistogram
    let commitSeconds: DurationHistogram
    let detectionSeconds: DurationHistogram

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        accepted = Dictionary(
            uniqueKeysWithValues: ["pull", "reliable"].map {
                (
                    $0,
                    registry.makeCounter(
                        name: "seinhuis_events_accepted_total", labels: [("source", $0)],
                        help: "Events accepted and journaled")
                )
            })
        duplicates = registry.makeCounter(
            name: "seinhuis_events_duplicate_total", help: "Events ignored as a repeated (device, seq)")
        rejected = Dictionary(
            uniqueKeysWithValues: RejectReason.allCases.map {
                (
                    $0,
                    registry.makeCounter(
                        name: "seinhuis_frames_rejected_total", labels: [("reason", $0.rawValue)],
                        help: "Frames rejected, by reason")
                )
            })
        notEvaluated = registry.makeCounter(
            name: "seinhuis_events_not_evaluated_total", help: "Events stored outside their dossier's active period")
        late = registry.makeCounter(
            name: "seinhuis_events_late_total", help: "Events older than their device's latest evaluated event")
        clockSkewed = registry.makeCounter(
            name: "seinhuis_events_clock_skewed_total", help: "Events more than 5 minutes ahead of the receive clock")
        alertsRaised = registry.makeCounter(name: "seinhuis_alerts_raised_total", help: "Alerts raised")
        alertsPublished = registry.makeCounter(
            name: "seinhuis_alert_publications_total", help: "Alert messages published (one per queue)")
        batchEvents = registry.makeValueHistogram(
            name: "seinhuis_journal_batch_events", buckets: [1, 10, 100, 1000, 4096, 16384, 65536],
            help: "Events per journal commit")
        commitSeconds = registry.makeDurationHistogram(
            name: "seinhuis_journal_commit_seconds",
            buckets: [
                .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(20),
                .milliseconds(100), .seconds(1),
            ],
            help: "Time to commit one batch (journal, quarantine, alerts)")
        detectionSeconds = registry.makeDurationHistogram(
            name: "seinhuis_detection_latency_seconds",
            buckets: [
                .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(5),
                .milliseconds(20), .milliseconds(100), .seconds(1),
            ],
            help: "Frame arrival to alert published")
    }

    func record(_ c: IngestCounts, source: String) {
        if c.accepted > 0 { accepted[source]?.increment(by: Int64(c.accepted)) }
        if c.duplicates > 0 { duplicates.increment(by: Int64(c.duplicates)) }
        for (r, n) in c.rejectedByReason where n > 0 { rejected[r]?.increment(by: Int64(n)) }
        if c.notEvaluated > 0 { notEvaluated.increment(by: Int64(c.notEvaluated)) }
        if c.late > 0 { late.increment(by: Int64(c.late)) }
        if c.clockSkewed > 0 { clockSkewed.increment(by: Int64(c.clockSkewed)) }
    }

    public func text() -> String { registry.emitToString() }
}

import Prometheus
import SeinhuisCore

/// The pipeline's Prometheus metrics: counts only, no personal data (PROTOCOL 6).
///
/// The ingest thread adds a whole batch's counts at once, so the hot path touches no shared counter per event.
public final class PipelineMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Whether the pipeline is ready (`/readyz`).
    public let status = PipelineStatus()
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
        /// `seinhuis_<name>_<unit>`, with help text.
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "seinhuis", metricName: metric, unitName: unit, helpText: help)
        }
        let acceptedName = name("events_accepted", "total", "Events accepted and journaled")
        accepted = Dictionary(
            uniqueKeysWithValues: ["pull", "reliable"].map {
                ($0, registry.makeCounter(descriptor: acceptedName, labels: [("source", $0)]))
            })
        duplicates = registry.makeCounter(
            descriptor: name("events_duplicate", "total", "Events ignored as a repeated (device, seq)"))
        let rejectedName = name("frames_rejected", "total", "Frames rejected, by reason")
        rejected = Dictionary(
            uniqueKeysWithValues: RejectReason.allCases.map {
                ($0, registry.makeCounter(descriptor: rejectedName, labels: [("reason", $0.rawValue)]))
            })
        notEvaluated = registry.makeCounter(
            descriptor: name("events_not_evaluated", "total", "Events stored outside their dossier's active period"))
        late = registry.makeCounter(
            descriptor: name("events_late", "total", "Events older than their device's latest evaluated event"))
        clockSkewed = registry.makeCounter(
            descriptor: name("events_clock_skewed", "total", "Events more than 5 minutes ahead of the receive clock"))
        alertsRaised = registry.makeCounter(descriptor: name("alerts_raised", "total", "Alerts raised"))
        alertsPublished = registry.makeCounter(
            descriptor: name("alert_publications", "total", "Alert messages published (one per queue)"))
        batchEvents = registry.makeValueHistogram(
            descriptor: name("journal_batch", "events", "Events per journal commit"),
            buckets: [1, 10, 100, 1000, 4096, 16384, 65536])
        commitSeconds = registry.makeDurationHistogram(
            descriptor: name("journal_commit", "seconds", "Time to commit one batch (journal, quarantine, alerts)"),
            buckets: [
                .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(20),
                .milliseconds(100), .seconds(1),
            ])
        detectionSeconds = registry.makeDurationHistogram(
            descriptor: name("detection_latency", "seconds", "Frame arrival to alert published"),
            buckets: [
                .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(5),
                .milliseconds(20), .milliseconds(100), .seconds(1),
            ])
    }

    func record(_ c: IngestCounts, source: String) {
        if c.accepted > 0 { accepted[source]?.increment(by: Int64(c.accepted)) }
        recordNotAccepted(c)
    }

    /// A turn's counts, its accepted events by endpoint.
    func record(_ c: IngestCounts, accepted byEndpoint: (pull: Int, reliable: Int)) {
        if byEndpoint.pull > 0 { accepted["pull"]?.increment(by: Int64(byEndpoint.pull)) }
        if byEndpoint.reliable > 0 { accepted["reliable"]?.increment(by: Int64(byEndpoint.reliable)) }
        recordNotAccepted(c)
    }

    private func recordNotAccepted(_ c: IngestCounts) {
        if c.duplicates > 0 { duplicates.increment(by: Int64(c.duplicates)) }
        for (r, n) in c.rejectedByReason where n > 0 { rejected[r]?.increment(by: Int64(n)) }
        if c.notEvaluated > 0 { notEvaluated.increment(by: Int64(c.notEvaluated)) }
        if c.late > 0 { late.increment(by: Int64(c.late)) }
        if c.clockSkewed > 0 { clockSkewed.increment(by: Int64(c.clockSkewed)) }
    }

    public func text() -> String { registry.emitToString() }
}

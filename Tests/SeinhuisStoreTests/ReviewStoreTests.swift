import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

@Suite("Store: reviews, notices and the review report on a seeded history")
struct ReviewStoreTests {
    func t(_ s: String) -> Timestamp { Timestamp(rfc3339: s)! }

    static let dossierV1 = """
        {"id":"D-H","subject":"S-H1","radex":true,"mandate":"pretrial","start":"2026-01-05","timezone":"Europe/Brussels",
         "devices":["TAG-H"],"home":{"lat":51.05,"lon":3.72,"radius_m":100},
         "curfew":[{"days":["mon","tue","wed","thu","fri"],"from":"22:00","to":"06:00"}],
         "zones":[{"id":"Z-x","kind":"exclusion","circle":{"lat":51.1,"lon":3.8,"radius_m":300}}]}
        """
    static let dossierV2 = """
        {"id":"D-H","subject":"S-H1","radex":true,"mandate":"pretrial","start":"2026-01-05","timezone":"Europe/Brussels",
         "devices":["TAG-H"],"home":{"lat":51.05,"lon":3.72,"radius_m":100},
         "curfew":[{"days":["mon","tue","wed","thu","fri","sat","sun"],"from":"21:00","to":"06:00"}],
         "zones":[{"id":"Z-x","kind":"exclusion","circle":{"lat":51.1,"lon":3.8,"radius_m":300}},
                  {"id":"Z-y","kind":"exclusion","circle":{"lat":51.2,"lon":3.9,"radius_m":200}}]}
        """

    func importDossier(_ store: Store, _ json: String, at: Timestamp) throws {
        let d = try #require(try Dossier.parse(Data(json.utf8)).first)
        try store.importDossiers(
            [
                DossierRecord(
                    id: d.id, subject: d.subject, radex: d.radex, mandate: d.mandate.rawValue,
                    start: d.start.description, end: d.end?.description, timezone: d.timezone, devices: d.devices,
                    json: d.canonicalJSON)
            ], by: "admin", at: at)
    }

    /// Stores a breach alert and, if given, a measure `respondAfter` seconds after its detection.
    func breach(
        _ store: Store, _ n: Int64, _ kind: BreachKind, _ severity: Severity, at: String, cleared: String? = nil,
        escalation: Int = 0, respondAfter: Int64? = nil, measure: Measure = .phone_call, close: Bool = false
    ) throws {
        let a = Alert(
            id: Alert.id(forNumber: n), dossier: "D-H", device: "TAG-H", kind: .breach(kind), severity: severity,
            radex: true,
            queues: severity == .low ? [.vcet, .coordinator] : [.vcet, .coordinator, .cic, .police],
            zone: kind == .exclusion_zone_entry ? "Z-x" : nil, eventTs: t(at), detectedAt: t(at) + 1000,
            clearedAt: cleared.map(t), escalation: escalation, policy: "v1")
        try store.transaction { try store.save(a, at: a.detectedAt) }
        if let s = respondAfter {
            _ = try store.act(.respond(measure, note: nil), on: a.id, by: "op", at: a.detectedAt + s * 1000)
        }
        if close { _ = try store.act(.close(nil, note: nil), on: a.id, by: "op", at: a.detectedAt + 3_600_000) }
    }

    func seeded() throws -> Store {
        let store = try Store(path: temporaryDatabase())
        try importDossier(store, Self.dossierV1, at: t("2026-01-04T10:00:00Z"))
        try store.recordReview(
            Review(
                dossier: "D-H", reviewer: "A. Cell", date: LocalDate("2026-03-01")!, findings: "first findings",
                decision: .continue), by: "admin", at: t("2026-03-01T15:00:00Z"))
        // The previous period, [1 March, 1 June).
        try breach(store, 1, .strap_tamper, .critical, at: "2026-04-10T10:00:00Z", respondAfter: 120)
        try breach(store, 2, .battery_low, .low, at: "2026-05-01T10:00:00Z", respondAfter: 600)
        // 22:00 local on 31 May to 01:00 local on 1 June: one hour of it falls in the current period.
        try breach(
            store, 3, .communication_loss, .high, at: "2026-05-31T20:00:00Z", cleared: "2026-05-31T23:00:00Z")
        try store.recordReview(
            Review(
                dossier: "D-H", reviewer: "B. Cell", date: LocalDate("2026-06-01")!,
                findings: "Curfew to be widened.\nSecond line.", decision: .adjustConditions),
            by: "admin", at: t("2026-06-01T15:00:00Z"))
        try importDossier(store, Self.dossierV2, at: t("2026-06-05T09:00:00Z"))
        // The current period, from 1 June.
        try breach(
            store, 4, .exclusion_zone_entry, .critical, at: "2026-06-10T12:00:00Z", cleared: "2026-06-10T12:30:00Z",
            escalation: 1, respondAfter: 300, close: true)
        try breach(
            store, 5, .curfew_absence, .high, at: "2026-07-01T21:00:00Z", respondAfter: 60, measure: .field_visit)
        try breach(
            store, 6, .communication_loss, .high, at: "2026-07-20T10:00:00Z", cleared: "2026-07-20T12:00:00Z")
        let notice = ReviewNotice(
            dossier: "D-H", radex: true, kind: .overdue, deadline: LocalDate("2026-12-01")!,
            at: t("2026-08-10T22:00:00Z"))
        try store.transaction {
            try store.save(
                notice.alert(id: Alert.id(forNumber: 7), detectedAt: t("2026-08-10T22:00:01Z"), policy: "v1"),
                at: t("2026-08-10T22:00:01Z"))
        }
        return store
    }

    func report(_ store: Store, asOf: Timestamp) throws -> ReviewReport {
        let rec = try #require(try store.dossier(id: "D-H"))
        let d = try #require(try Dossier.parse(Data(rec.json.utf8)).first)
        let versions = try store.dossierVersions(id: "D-H").map {
            (
                version: $0.version, importedAt: $0.importedAt, by: $0.by,
                dossier: try? Dossier.parse(Data($0.json.utf8)).first
            )
        }
        return ReviewReport.build(
            ReviewReportInput(
                dossier: d, version: rec.version, versions: versions,
                alerts: try store.alerts(Store.AlertFilter(dossier: "D-H")),
                latency: try store.latencyRecords(dossier: "D-H"),
                measures: try store.measures(dossier: "D-H"), reviews: try store.reviews(dossier: "D-H"), scope: .radex),
            asOf: asOf)
    }

    @Test func reportCoversThePeriodSinceThePreviousReview() throws {
        let store = try seeded()
        let r = try report(store, asOf: t("2026-08-15T12:00:00Z"))
        #expect(r.period.from == LocalDate("2026-06-01"))
        #expect(r.period.to == LocalDate("2026-08-16"))
        #expect(r.period.start == t("2026-05-31T22:00:00Z"))  // local midnight in Brussels
        #expect(r.previousPeriod?.from == LocalDate("2026-03-01"))
        #expect(r.breaches.map(\.alertID) == ["A-000000004", "A-000000005", "A-000000006"])
        #expect(r.breachesBySeverity.map { "\($0.key) \($0.count)" } == ["critical 1", "high 2"])
        #expect(r.breachesByKind.map(\.key) == ["communication_loss", "curfew_absence", "exclusion_zone_entry"])
        #expect(r.alertsPerQueue.map { "\($0.key) \($0.count)" } == ["vcet 3", "coordinator 3", "cic 3", "police 3"])
        #expect(r.notices.map { "\($0.key) \($0.count)" } == ["review_overdue 1"])
        #expect(r.escalatedAlerts == 1 && r.escalations == 1)
        #expect(r.measures.map { "\($0.key) \($0.count)" } == ["field_visit 1", "phone_call 1"])
        #expect(r.answered == 2 && r.unanswered == 1)
        #expect(r.latency.count == 2 && r.latency.maxMs == 300_000 && r.latency.meanMs == 180_000)
        #expect(r.previousLatency?.count == 2 && r.previousLatency?.maxMs == 600_000)
        #expect(r.acknowledge.count == 2 && r.acknowledge.maxMs == 300_000)  // a measure on an open alert acknowledges it
        #expect(r.communicationLossEpisodes == 2)
        #expect(r.communicationLossMs == 3 * 3_600_000)  // 2 h, and the 1 h of the earlier episode after midnight
        #expect(r.longestCommunicationLossMs == 2 * 3_600_000)
        #expect(r.conditionChanges.count == 1)
        let change = try #require(r.conditionChanges.first)
        #expect(change.by == "admin" && change.version == 2)
        #expect(change.changes.contains("zone Z-y added (exclusion)"))
        #expect(change.changes.contains { $0.hasPrefix("curfew now mon,tue,wed,thu,fri,sat,sun 21:00-06:00") })
        #expect(r.previousReview?.review.reviewer == "B. Cell")
        #expect(r.previousReview?.review.findings == "Curfew to be widened.\nSecond line.")
        // Not closed: the two earlier alerts, the curfew absence, the communication loss and the notice.
        #expect(
            r.openItems.map(\.alertID) == [
                "A-000000001", "A-000000002", "A-000000003", "A-000000005", "A-000000006", "A-000000007",
            ])
        #expect(r.position?.status == .ok && r.position?.deadline == LocalDate("2026-12-01"))
    }

    @Test func anEarlierAsOfReportsThePreviousPeriod() throws {
        let store = try seeded()
        let r = try report(store, asOf: t("2026-05-20T12:00:00Z"))
        #expect(r.period.from == LocalDate("2026-03-01"))
        #expect(r.breaches.map(\.alertID) == ["A-000000001", "A-000000002"])
        #expect(r.previousReview?.review.reviewer == "A. Cell")
        #expect(r.previousPeriod?.from == LocalDate("2026-01-05"))  // from the start
        #expect(r.previousLatency?.count == 0)
        #expect(r.conditionChanges.isEmpty)
    }

    @Test func recordingClearsOpenNoticesAndIsAudited() throws {
        let store = try seeded()
        #expect(
            try store.reviewNoticeMarks()[.init(dossier: "D-H", deadline: LocalDate("2026-12-01")!)]?.lastOverdue
                == t("2026-08-10T22:00:00Z"))
        let r = try store.recordReview(
            Review(dossier: "D-H", reviewer: "C. Cell", date: LocalDate("2026-08-20")!, findings: "ok", decision: .end),
            by: "anna", at: t("2026-08-20T10:00:00Z"))
        #expect(try store.latestReview(dossier: "D-H") == r)
        #expect(try store.alert(id: "A-000000007")?.clearedAt == t("2026-08-20T10:00:00Z"))
        #expect(try store.auditTrail(subject: "D-H").contains { $0.action == "review.record" && $0.actor == "anna" })
        #expect(throws: ReviewError.self) {
            try store.recordReview(
                Review(dossier: "D-NONE", reviewer: "x", date: LocalDate("2026-08-20")!, findings: "x", decision: .end),
                by: "anna", at: t("2026-08-20T10:00:00Z"))
        }
        #expect(try store.reviews().count == 3)
        #expect(try store.openAlertCounts()["D-H"] == 6)  // all but the closed one
    }

    @Test func lastContactIsTheNewestEventPerDevice() throws {
        let store = try Store(path: temporaryDatabase())
        for (i, dev) in ["TAG-A", "TAG-B", "TAG-A"].enumerated() {
            var block = JournalBlockBuilder()
            try store.transaction {
                block.append(
                    deviceID: try store.deviceID(dev),
                    DeviceEvent(
                        device: dev, seq: UInt64(i), ts: t("2026-07-01T10:00:00Z") + Int64(i) * 60_000,
                        reading: .heartbeat))
                try store.appendJournal(block, receivedAt: t("2026-07-01T10:00:00Z"))
            }
        }
        let c = try store.lastContact(devices: ["TAG-A", "TAG-B", "TAG-NEVER"])
        #expect(c == ["TAG-A": t("2026-07-01T10:02:00Z"), "TAG-B": t("2026-07-01T10:01:00Z")])
        // Bounded: only contact at or after `since` counts.
        #expect(
            try store.lastContact(devices: ["TAG-A", "TAG-B"], since: t("2026-07-01T10:01:30Z")) == [
                "TAG-A": t("2026-07-01T10:02:00Z")
            ])
    }
}

import Testing

@testable import SeinhuisCore

/// Alert kinds by the contract's names: every breach kind, both review notices and the network incident, each name once.
@Suite("alert kinds and their contract names")
struct AlertKindTests {
    @Test func everyNameReadsBackToItsKindAndNamesAreUnique() {
        let names = AlertKind.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        #expect(names.count == BreachKind.allCases.count + ReviewNotice.Kind.allCases.count + IncidentKind.allCases.count)
        for kind in AlertKind.allCases { #expect(AlertKind(rawValue: kind.rawValue) == kind) }
        #expect(AlertKind(rawValue: "strap_tamper") == .breach(.strap_tamper))
        #expect(AlertKind(rawValue: "review_overdue") == .reviewNotice(.overdue))
        #expect(AlertKind(rawValue: "network_outage") == .incident(.network_outage))
        #expect(AlertKind(rawValue: "network_down") == nil)
        #expect(AlertKind(rawValue: "") == nil)
    }

    @Test func kindsKnowTheirBreachAndDefaultSeverity() {
        #expect(AlertKind.breach(.gnss_loss).breachKind == .gnss_loss)
        #expect(AlertKind.reviewNotice(.due).breachKind == nil)
        #expect(AlertKind.breach(.strap_tamper).severity == .critical)
        #expect(AlertKind.reviewNotice(.due).severity == .low)
        #expect(AlertKind.reviewNotice(.overdue).severity == .medium)
        #expect("\(AlertKind.breach(.curfew_absence))" == "curfew_absence")
    }

    @Test func theAlertJSONCarriesTheContractsNames() {
        let t = Timestamp(milliseconds: 1_790_000_000_000)
        let notice = ReviewNotice(
            dossier: "D-1", radex: true, kind: .overdue, deadline: LocalDate("2026-12-01")!, at: t)
        let json = notice.alert(id: "A-000000007", detectedAt: t, policy: "v1").json
        #expect(json.contains(#""device":null,"breach":"review_overdue","severity":"medium","radex":true"#))
    }
}

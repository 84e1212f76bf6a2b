import Foundation
import Testing

@testable import SeinhuisCore

@Suite("Dossier: parsing, validation, canonical JSON, active period")
struct DossierTests {
    static let contractExample = """
        {
          "id": "D-2026-0001", "subject": "S-7F3A", "radex": true,
          "mandate": "pretrial", "start": "2026-05-01", "end": "2027-05-01",
          "timezone": "Europe/Brussels", "devices": ["TAG-0001"],
          "home": {"lat": 51.0543, "lon": 3.7174, "radius_m": 120},
          "curfew": [{"days": ["mon","tue","wed","thu","fri"], "from": "21:00", "to": "07:00"}],
          "zones": [
            {"id": "Z-station", "kind": "exclusion",
             "polygon": [[51.036,3.709],[51.036,3.712],[51.034,3.712],[51.034,3.709]]},
            {"id": "Z-ghent", "kind": "inclusion", "circle": {"lat": 51.05, "lon": 3.72, "radius_m": 8000},
             "schedule": [{"days": ["sat","sun"], "from": "00:00", "to": "24:00"}]}
          ],
          "comms_timeout_s": 600,
          "last_review": "2026-06-01"
        }
        """

    /// A minimal valid dossier with one field replaced (or removed with nil).
    static func with(_ key: String, _ json: String?) -> String {
        var fields: [(String, String)] = [
            ("id", #""D-1""#), ("subject", #""S-1""#), ("radex", "false"), ("mandate", #""sentence""#),
            ("start", #""2026-01-15""#), ("devices", #"["TAG-1"]"#),
            ("home", #"{"lat": 51.2, "lon": 3.2, "radius_m": 80}"#),
        ]
        if let i = fields.firstIndex(where: { $0.0 == key }) {
            if let json { fields[i].1 = json } else { fields.remove(at: i) }
        } else if let json {
            fields.append((key, json))
        }
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    static func error(_ json: String) -> String {
        do {
            _ = try Dossier.parse(json)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func parsesTheContractExample() throws {
        let d = try #require(try Dossier.parse(Self.contractExample).first)
        #expect(d.id == "D-2026-0001")
        #expect(d.radex)
        #expect(d.mandate == .pretrial)
        #expect(d.start == LocalDate(year: 2026, month: 5, day: 1))
        #expect(d.end?.description == "2027-05-01")
        #expect(d.devices == ["TAG-0001"])
        #expect(d.home.radiusMetres == 120)
        #expect(d.curfew == [TimeWindow(days: [.mon, .tue, .wed, .thu, .fri], from: 21 * 60, to: 7 * 60)])
        #expect(d.zones.count == 2)
        #expect(d.zones[0].kind == .exclusion)
        guard case .polygon(let p) = d.zones[0].shape else {
            Issue.record("polygon expected")
            return
        }
        #expect(p.vertices.count == 4)
        #expect(d.zones[1].schedule == [TimeWindow(days: [.sat, .sun], from: 0, to: 1440)])
        #expect(d.commsTimeoutSeconds == 600)
        #expect(d.lastReview?.description == "2026-06-01")
        #expect(d.rules == nil)
    }

    @Test func defaultsForAbsentAndNullFields() throws {
        let d = try #require(try Dossier.parse(Self.with("curfew", "null")).first)
        #expect(d.timezone == "Europe/Brussels")
        #expect(d.end == nil)
        #expect(d.curfew.isEmpty)
        #expect(d.zones.isEmpty)
        #expect(d.commsTimeoutSeconds == 600)
        #expect(d.lastReview == nil)
    }

    @Test func anArrayOfDossiersAndUnknownFieldsIgnored() throws {
        let two = "[" + Self.with("future_field", #"{"x": [1, 2]}"#) + "," + Self.with("id", #""D-2""#) + "]"
        let ds = try Dossier.parse(two)
        #expect(ds.map(\.id) == ["D-1", "D-2"])
        #expect(try Dossier.parse("[]").isEmpty)
    }

    @Test func perDossierRuleOverrides() throws {
        let d = try #require(
            try Dossier.parse(Self.with("rules", #"{"max_acc_m": 50, "consecutive_fixes": 3}"#)).first)
        #expect(d.rules == RuleOverrides(maxAccuracyMetres: 50, consecutiveFixes: 3))
        #expect(Self.error(Self.with("rules", #"{"consecutive_fixes": 0}"#)).contains("rules.consecutive_fixes"))
        #expect(Self.error(Self.with("rules", #"{"max_acc_m": -1}"#)).contains("rules.max_acc_m"))
    }

    @Test func errorsNameTheDossierAndTheFieldPath() {
        let tri = #"[{"id": "Z-1", "kind": "exclusion", "polygon": [[51,3],[51.1,3]]}]"#
        let closedTwo = #"[{"id": "Z-1", "kind": "exclusion", "polygon": [[51,3],[51.1,3],[51,3]]}]"#
        let cases: [(String, String)] = [
            (Self.with("zones", tri), "dossier D-1: zones[0].polygon: needs at least 3 points"),
            (Self.with("zones", closedTwo), "dossier D-1: zones[0].polygon: needs at least 3 points"),
            (Self.with("id", nil), "dossier #1: id: missing"),
            (Self.with("radex", #""yes""#), "dossier D-1: radex: must be true or false, found a string"),
            (Self.with("mandate", #""probation""#), "dossier D-1: mandate: must be pretrial or sentence"),
            (Self.with("start", #""2026-02-30""#), "dossier D-1: start: must be a date YYYY-MM-DD"),
            (Self.with("end", #""2025-01-01""#), "dossier D-1: end: 2025-01-01 is before start 2026-01-15"),
            (Self.with("timezone", #""Mars/Olympus""#), "dossier D-1: timezone: unknown IANA time zone"),
            (Self.with("devices", #"["TAG 1"]"#), "dossier D-1: devices[0]: must be 1-64 characters"),
            (Self.with("devices", #"["T","T"]"#), "dossier D-1: devices[1]: T appears twice"),
            (Self.with("home", nil), "dossier D-1: home: missing"),
            (Self.with("home", #"{"lat": 91, "lon": 3, "radius_m": 5}"#), "dossier D-1: home: latitude 91.0"),
            (Self.with("home", #"{"lat": 51, "lon": 3, "radius_m": 0}"#), "dossier D-1: home.radius_m: must be more"),
            (
                Self.with("curfew", #"[{"days": ["mon"], "from": "24:00", "to": "07:00"}]"#),
                "dossier D-1: curfew[0].from: must be a time HH:MM from 00:00 to 23:59"
            ),
            (
                Self.with("curfew", #"[{"days": ["mon"], "from": "21:00", "to": "7:00"}]"#),
                "dossier D-1: curfew[0].to: must be a time HH:MM"
            ),
            (
                Self.with("curfew", #"[{"days": ["monday"], "from": "21:00", "to": "07:00"}]"#),
                "dossier D-1: curfew[0].days[0]: must be one of mon tue wed thu fri sat sun"
            ),
            (
                Self.with("zones", #"[{"id": "Z", "kind": "exclusion"}]"#),
                "dossier D-1: zones[0]: needs a circle or a polygon"
            ),
            (
                Self.with("zones", #"[{"id": "Z", "kind": "nearby", "circle": {"lat": 1, "lon": 1, "radius_m": 1}}]"#),
                "dossier D-1: zones[0].kind: must be exclusion or inclusion"
            ),
            (
                Self.with(
                    "zones",
                    #"[{"id": "Z", "kind": "exclusion", "circle": {"lat": 1, "lon": 1, "radius_m": 1}}, {"id": "Z", "kind": "inclusion", "circle": {"lat": 1, "lon": 1, "radius_m": 1}}]"#
                ),
                "dossier D-1: zones[1].id: Z appears twice"
            ),
            (
                Self.with("zones", #"[{"id": "Z", "kind": "exclusion", "polygon": [[1,1],[1,2],[2,"x"]]}]"#),
                "dossier D-1: zones[0].polygon[2][1]: must be a number, found a string"
            ),
            (Self.with("comms_timeout_s", "1.5"), "dossier D-1: comms_timeout_s: must be a whole number"),
            ("{", "not valid JSON"),
            ("42", "a dossier file holds an object or an array of them"),
            ("[" + Self.with("id", #""D-9""#) + ", 7]", "dossier #2: must be an object, found a number"),
        ]
        for (json, message) in cases {
            let e = Self.error(json)
            #expect(e.hasPrefix(message) || e.contains(message), "\(e) should contain \(message)")
        }
    }

    @Test func closedRingAccepted() throws {
        let ring = #"[{"id": "Z", "kind": "exclusion", "polygon": [[51,3],[51,3.1],[51.1,3.1],[51,3]]}]"#
        let d = try #require(try Dossier.parse(Self.with("zones", ring)).first)
        guard case .polygon(let p) = d.zones[0].shape else { return }
        #expect(p.vertices.count == 3)
    }

    @Test(arguments: ["example", "edge/autumn", "edge/spring"])
    func canonicalJSONRoundTripsTheSpecDossiers(_ folder: String) throws {
        let url = SpecReplayTests.spec.appendingPathComponent(folder).appendingPathComponent("dossiers.json")
        let dossiers = try Dossier.parse(Data(contentsOf: url))
        #expect(!dossiers.isEmpty)
        for d in dossiers {
            let text = d.canonicalJSON
            let back = try #require(try Dossier.parse(text).first)
            #expect(back == d, "\(d.id)")
            #expect(back.canonicalJSON == text)
        }
    }

    @Test func canonicalJSONRoundTripsOverridesAndOptionalFields() throws {
        var d = try #require(try Dossier.parse(Self.contractExample).first)
        d.rules = RuleOverrides(maxAccuracyMetres: 42.5, consecutiveFixes: 3)
        d.end = nil
        let back = try #require(try Dossier.parse(d.canonicalJSON).first)
        #expect(back == d)
        #expect(d.canonicalJSON.contains(#""rules":{"max_acc_m":42.5,"consecutive_fixes":3}"#))
        #expect(!d.canonicalJSON.contains(#""end""#))
    }

    @Test func activePeriodRunsFromLocalMidnightToMidnightAfterTheEnd() {
        // Brussels: CEST on 2026-05-01 (UTC+2), CET on 2027-01-31 (UTC+1).
        let d = RulesFixture.dossier(start: "2026-05-01", end: "2027-01-31")
        let p = d.activePeriod
        #expect(p.start == RulesFixture.t("2026-04-30T22:00:00.000Z"))
        #expect(p.end == RulesFixture.t("2027-01-31T23:00:00.000Z"))
        #expect(!d.isActive(at: RulesFixture.t("2026-04-30T21:59:59.999Z")))
        #expect(d.isActive(at: RulesFixture.t("2026-04-30T22:00:00.000Z")))
        #expect(d.isActive(at: RulesFixture.t("2027-01-31T22:59:59.999Z")))
        #expect(!d.isActive(at: RulesFixture.t("2027-01-31T23:00:00.000Z")))
        let open = RulesFixture.dossier(start: "2026-05-01", end: nil)
        #expect(open.activePeriod.end == .distantFuture)
        let kolkata = RulesFixture.dossier(start: "2026-10-25", timezone: "Asia/Kolkata")
        #expect(kolkata.activePeriod.start == RulesFixture.t("2026-10-24T18:30:00.000Z"))
    }

    @Test func overlappingActivePeriods() {
        let a = RulesFixture.dossier(id: "A", start: "2026-01-01", end: "2026-03-31")
        let b = RulesFixture.dossier(id: "B", start: "2026-04-01")
        let c = RulesFixture.dossier(id: "C", start: "2026-03-31", end: "2026-04-02")
        #expect(!a.overlapsActivePeriod(of: b))
        #expect(a.overlapsActivePeriod(of: c))
        #expect(c.overlapsActivePeriod(of: b))
    }

    @Test func localDateText() {
        #expect(LocalDate("2026-02-29") == nil)
        #expect(LocalDate("2028-02-29")?.description == "2028-02-29")
        #expect(LocalDate("2026-10-25")?.weekday == .sun)
        #expect(LocalDate("20261025") == nil)
    }
}

import Foundation
import Testing

@testable import SeinhuisCore

@Suite("Dossier (1.1): devices with a network, protected persons, crossing zones")
struct DossierProtectedTests {
    static let victim = #"[{"id": "P-01", "device": "VIC-0001", "radius_m": 1000}]"#

    @Test func readsTheNewFields() throws {
        let text = """
            {"id": "D-1", "subject": "S-1", "radex": false, "mandate": "sentence", "start": "2026-01-15",
             "devices": ["TAG-0", {"id": "TAG-1", "network": "carrier-a"}, {"id": "TAG-2"}],
             "home": {"lat": 51.2, "lon": 3.2, "radius_m": 80},
             "protected": \(Self.victim),
             "zones": [{"id": "Z", "kind": "exclusion", "crossing": true,
                        "circle": {"lat": 51.1, "lon": 3.1, "radius_m": 300}}]}
            """
        let d = try #require(try Dossier.parse(text).first)
        #expect(d.devices == ["TAG-0", "TAG-1", "TAG-2"])
        #expect(d.networks == ["TAG-1": "carrier-a"])
        #expect(d.network(of: "TAG-0") == nil)
        #expect(d.protected == [ProtectedPerson(id: "P-01", device: "VIC-0001", radiusMetres: 1000)])
        #expect(d.boundDevices == ["TAG-0", "TAG-1", "TAG-2", "VIC-0001"])
        #expect(d.fieldPath(ofDevice: "VIC-0001") == "protected[0].device")
        #expect(d.zones[0].crossing)
        let canonical = d.canonicalJSON
        #expect(canonical.contains(#""devices":["TAG-0",{"id":"TAG-1","network":"carrier-a"},"TAG-2"]"#))
        #expect(canonical.contains(#""protected":[{"id":"P-01","device":"VIC-0001","radius_m":1000}]"#))
        #expect(canonical.contains(#""crossing":true"#))
        let back = try #require(try Dossier.parse(canonical).first)
        #expect(back == d)
        #expect(back.canonicalJSON == canonical)
    }

    @Test func withoutTheNewFieldsTheCanonicalTextIsUnchanged() throws {
        let d = try #require(try Dossier.parse(DossierTests.contractExample).first)
        #expect(!d.canonicalJSON.contains("protected"))
        #expect(!d.canonicalJSON.contains("crossing"))
        #expect(d.canonicalJSON.contains(#""devices":["TAG-0001"]"#))
    }

    @Test func refusalsNameTheDossierAndTheField() {
        let circle = #""circle": {"lat": 1, "lon": 1, "radius_m": 1}"#
        let cases: [(String, String)] = [
            (
                DossierTests.with("devices", #"[{"id": "TAG-1", "network": 7}]"#),
                "dossier D-1: devices[0].network: must be a string, found a number"
            ),
            (
                DossierTests.with("devices", #"[{"network": "carrier-a"}]"#),
                "dossier D-1: devices[0].id: missing"
            ),
            (
                DossierTests.with("devices", #"["TAG-1", {"id": "TAG-1", "network": "n"}]"#),
                "dossier D-1: devices[1]: TAG-1 appears twice"
            ),
            (DossierTests.with("devices", "[7]"), "dossier D-1: devices[0]: must be a device id or an object"),
            (
                DossierTests.with("protected", #"[{"id": "P-01", "device": "TAG-1", "radius_m": 1000}]"#),
                "dossier D-1: protected[0].device: TAG-1 is also a tag of this dossier"
            ),
            (
                DossierTests.with("protected", #"[{"id": "P-01", "device": "V", "radius_m": 0}]"#),
                "dossier D-1: protected[0].radius_m: must be more than 0"
            ),
            (
                DossierTests.with("protected", #"[{"id": "P-01", "device": "V", "radius_m": -5}]"#),
                "dossier D-1: protected[0].radius_m: must be more than 0"
            ),
            (
                DossierTests.with(
                    "protected",
                    #"[{"id": "P-01", "device": "V", "radius_m": 5}, {"id": "P-01", "device": "W", "radius_m": 5}]"#),
                "dossier D-1: protected[1].id: P-01 appears twice"
            ),
            (
                DossierTests.with(
                    "protected",
                    #"[{"id": "P-01", "device": "V", "radius_m": 5}, {"id": "P-02", "device": "V", "radius_m": 5}]"#),
                "dossier D-1: protected[1].device: V appears twice"
            ),
            (
                DossierTests.with("protected", #"[{"id": "P-01", "device": "V W", "radius_m": 5}]"#),
                "dossier D-1: protected[0].device: must be 1-64 characters"
            ),
            (DossierTests.with("protected", #"{"id": "P-01"}"#), "dossier D-1: protected: must be an array"),
            (
                DossierTests.with("zones", #"[{"id": "Z", "kind": "inclusion", "crossing": true, \#(circle)}]"#),
                "dossier D-1: zones[0].crossing: only an exclusion zone can be crossed"
            ),
            (
                DossierTests.with("zones", #"[{"id": "Z", "kind": "exclusion", "crossing": "yes", \#(circle)}]"#),
                "dossier D-1: zones[0].crossing: must be true or false, found a string"
            ),
        ]
        for (json, message) in cases {
            let e = DossierTests.error(json)
            #expect(e.hasPrefix(message), "\(e) should start with \(message)")
        }
    }

    @Test func crossingFalseOnAnInclusionZoneIsAccepted() throws {
        let zone = #"[{"id": "Z", "kind": "inclusion", "crossing": false, "circle": {"lat": 1, "lon": 1, "radius_m": 1}}]"#
        let d = try #require(try Dossier.parse(DossierTests.with("zones", zone)).first)
        #expect(!d.zones[0].crossing)
    }
}

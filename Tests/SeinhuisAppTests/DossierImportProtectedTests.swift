import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Testing

@Suite("dossier import (1.1): a protected person's device is bound like a tag")
struct DossierImportProtectedTests {
    static func dossier(_ id: String, tags: [String], protected: String? = nil) -> String {
        let list = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let p = protected.map { #", "protected": [{"id": "P-01", "device": "\#($0)", "radius_m": 500}]"# } ?? ""
        return """
            {"id": "\(id)", "subject": "S-1", "radex": false, "mandate": "sentence", "start": "2026-01-15",
             "devices": [\(list)], "home": {"lat": 51.2, "lon": 3.2, "radius_m": 80}\(p)}
            """
    }

    static func refusal(_ file: String, store: Store) throws -> String {
        do {
            try DossierImport.run(data: Data(file.utf8), source: "d.json", store: store, by: "t", at: .init(milliseconds: 0))
            return "imported"
        } catch let e as DossierImportError {
            return e.message
        }
    }

    @Test func aProtectedDeviceThatIsAnotherDossiersTagIsRefused() throws {
        let store = try temporaryStore()
        let file = "[" + Self.dossier("D-1", tags: ["T1"]) + "," + Self.dossier("D-2", tags: ["T2"], protected: "T1") + "]"
        let m = try Self.refusal(file, store: store)
        // Either side may be named first; this check walks the file in order.
        #expect(m.contains("dossier D-1: devices[0]: device T1 is already bound to dossier D-2 (protected[0].device)"), "\(m)")
        #expect(try store.dossiers().isEmpty)
    }

    @Test func aStoredDossiersProtectedDeviceCannotBecomeATag() throws {
        let store = try temporaryStore()
        #expect(try Self.refusal(Self.dossier("D-1", tags: ["T1"], protected: "V1"), store: store) == "imported")
        let m = try Self.refusal(Self.dossier("D-2", tags: ["V1"]), store: store)
        #expect(m.contains("dossier D-2: devices[0]: device V1 is already bound to dossier D-1 (protected[0].device)"), "\(m)")
        let again = try Self.refusal(Self.dossier("D-3", tags: ["T3"], protected: "V1"), store: store)
        #expect(again.contains("dossier D-3: protected[0].device: device V1 is already bound"), "\(again)")
        #expect(try store.dossiers().map(\.id) == ["D-1"])
        #expect(try store.dossiers().first?.devices.sorted() == ["T1", "V1"])
    }

    @Test func aProtectedDeviceThatIsATagOfTheSameDossierIsRefused() throws {
        let store = try temporaryStore()
        let m = try Self.refusal(Self.dossier("D-1", tags: ["T1"], protected: "T1"), store: store)
        #expect(m.contains("dossier D-1: protected[0].device: T1 is also a tag of this dossier"), "\(m)")
    }
}

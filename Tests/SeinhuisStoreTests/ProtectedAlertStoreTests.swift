import Foundation
import Testing

@testable import SeinhuisCore
@testable import SeinhuisStore

@Suite("store (1.1): victim_proximity alerts keep the protected person")
struct ProtectedAlertStoreTests {
    @Test func theProtectedFieldIsStoredAndPublishedAfterTheZone() throws {
        let store = try Store(path: temporaryDatabase())
        let ts = Timestamp(milliseconds: 1_795_000_000_000)
        var a = Alert(
            id: Alert.id(forNumber: 1), dossier: "D-1", device: "TAG-1", kind: .breach(.victim_proximity),
            severity: .critical, radex: false, queues: [.vcet], zone: nil, eventTs: ts, detectedAt: ts + 4,
            policy: "v1", protected: "P-01")
        try store.transaction { try store.save(&a, at: ts) }
        let back = try #require(try store.alert(id: a.id))
        #expect(back == a)
        #expect(back.protected == "P-01")
        #expect(back.breachKey == BreachKey(dossier: "D-1", device: "TAG-1", kind: .victim_proximity, protected: "P-01"))
        #expect(a.json.contains(#""zone":null,"protected":"P-01","event_ts""#))
        var plain = a
        plain.protected = nil
        #expect(!plain.json.contains("protected"))
    }
}

import SeinhuisCore
@testable import SeinhuisPipeline
import SeinhuisStore
import SeinhuisTestSupport
import Testing

@Suite("the ingest's front: decode, device directory, duplicates")
struct IngestorTests {
    func take(_ ingest: Ingestor, _ text: String) throws -> Bool {
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBytes { try ingest.take(UnsafeRawBufferPointer($0), source: "pull") } != nil
    }

    @Test func framesOfUnknownDevicesAreRejectedWithoutGrowingTheDirectory() throws {
        let store = try Store(path: temporaryDatabase())
        let ingest = Ingestor(store: store, isKnownDevice: { $0 == "TAG-K" })
        for i in 0..<2000 { #expect(try !take(ingest, frame("MADE-UP-\(i)", 1, "heartbeat"))) }
        #expect(ingest.counts.rejectedByReason[.unknownDevice] == 2000)
        #expect(ingest.directoryCount == 0)

        #expect(try take(ingest, frame("TAG-K", 1, "heartbeat")))
        #expect(try !take(ingest, frame("TAG-K", 1, "heartbeat")))  // a duplicate
        #expect(try take(ingest, frame("TAG-K", 2, "heartbeat")))
        #expect(ingest.directoryCount == 1)
        #expect(ingest.counts.accepted == 2 && ingest.counts.duplicates == 1)
    }

    @Test func aDeviceNamedByReimportedDossiersIsAcceptedFromThen() throws {
        let store = try Store(path: temporaryDatabase())
        let known = DeviceSet(["TAG-K"])
        let ingest = Ingestor(store: store, isKnownDevice: { known.contains($0) })
        #expect(try !take(ingest, frame("TAG-NEW", 1, "heartbeat")))
        known.replace(["TAG-K", "TAG-NEW"])
        ingest.devicesChanged()
        #expect(try take(ingest, frame("TAG-NEW", 1, "heartbeat")))
        known.replace(["TAG-K"])
        ingest.devicesChanged()
        #expect(try !take(ingest, frame("TAG-NEW", 2, "heartbeat")))
        #expect(ingest.counts.rejectedByReason[.unknownDevice] == 2)
    }
}

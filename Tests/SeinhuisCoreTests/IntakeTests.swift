import Testing

@testable import SeinhuisCore

@Suite("the ingest's front: decode, device directory, duplicates")
struct IntakeTests {
    func frame(_ device: String, _ seq: Int, _ kind: String) -> String {
        #"{"v":1,"device":"\#(device)","seq":\#(seq),"ts":"2026-01-01T00:00:00.000Z","kind":"\#(kind)"}"#
    }

    func take(_ intake: Intake, _ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes {
            intake.take(UnsafeRawBufferPointer($0), source: "pull", receivedAt: .distantPast, ruleIndex: { _ in nil })
        } != nil
    }

    @Test func framesOfUnknownDevicesAreRejectedWithoutGrowingTheDirectory() {
        let intake = Intake(format: .v2)
        intake.useDevices(["TAG-K": 1])
        for i in 0..<2000 { #expect(!take(intake, frame("MADE-UP-\(i)", 1, "heartbeat"))) }
        #expect(intake.counts.rejectedByReason[.unknownDevice] == 2000)
        #expect(intake.directoryCount == 0)

        #expect(take(intake, frame("TAG-K", 1, "heartbeat")))
        #expect(!take(intake, frame("TAG-K", 1, "heartbeat")))  // a duplicate
        #expect(take(intake, frame("TAG-K", 2, "heartbeat")))
        #expect(intake.directoryCount == 1)
        #expect(intake.counts.accepted == 2 && intake.counts.duplicates == 1)
    }

    @Test func aDeviceNamedByReimportedDossiersIsAcceptedFromThen() {
        let intake = Intake(format: .v2)
        intake.useDevices(["TAG-K": 1])
        #expect(!take(intake, frame("TAG-NEW", 1, "heartbeat")))
        intake.useDevices(["TAG-K": 1, "TAG-NEW": 2])
        #expect(take(intake, frame("TAG-NEW", 1, "heartbeat")))
        intake.useDevices(["TAG-K": 1])
        #expect(!take(intake, frame("TAG-NEW", 2, "heartbeat")))
        #expect(intake.counts.rejectedByReason[.unknownDevice] == 2)
    }

    @Test func aFailedBatchIsForgottenAndItsResendAccepted() {
        let intake = Intake(format: .v2)
        intake.useDevices(["TAG-K": 1])
        #expect(take(intake, frame("TAG-K", 1, "heartbeat")))
        intake.batchFailed()
        #expect(intake.block.isEmpty)
        #expect(take(intake, frame("TAG-K", 1, "heartbeat")))
        intake.batchStored()
        #expect(!take(intake, frame("TAG-K", 1, "heartbeat")))
    }

    @Test func theDuplicateFilterSurvivesItsSnapshot() throws {
        let intake = Intake(format: .v2)
        intake.useDevices(["TAG-K": 1, "TAG-L": 2])
        for seq in [1, 2, 3, 7, 9, 10, 1 << 40] { #expect(take(intake, frame("TAG-K", seq, "heartbeat"))) }
        #expect(take(intake, frame("TAG-L", 5, "heartbeat")))
        var w = SnapshotWriter()
        intake.snapshot(into: &w)
        let restored = Intake(format: .v2)
        restored.useDevices(["TAG-K": 1, "TAG-L": 2])
        var r = SnapshotReader(w.bytes)
        try restored.restore(from: &r)
        #expect(r.isAtEnd)
        for seq in [1, 2, 3, 7, 9, 10, 1 << 40] { #expect(!take(restored, frame("TAG-K", seq, "heartbeat"))) }
        for seq in [4, 8, 11] { #expect(take(restored, frame("TAG-K", seq, "heartbeat"))) }
        #expect(!take(restored, frame("TAG-L", 5, "heartbeat")))
        #expect(take(restored, frame("TAG-L", 4, "heartbeat")))
        // Cut off anywhere, the bytes are refused.
        for cut in 0..<w.bytes.count {
            var partial = SnapshotReader(Array(w.bytes.prefix(cut)))
            #expect(throws: SnapshotError.self) { try Intake(format: .v2).restore(from: &partial) }
        }
    }
}

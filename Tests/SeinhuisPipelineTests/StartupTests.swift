import Foundation
import Logging
import SeinhuisCore
import SeinhuisStore
import Testing
import ZeroMQ

import SeinhuisTestSupport

@testable import SeinhuisPipeline

/// Start-up (PROTOCOL 2.4) on a real database that a real `serve` wrote: the latest snapshot and the journal after
/// it give the state the server had; a snapshot that cannot be used (damaged, cut off, of another format, its dossier
/// load gone) is passed over for an older one or the journal, and start-up never refuses and never loses an alert.
@Suite("serve's start-up from snapshots", .serialized)
struct StartupTests {
    /// Events that open breaches, close some, and go on after the last snapshot.
    func events() -> [String] {
        var out: [String] = []
        out.append(frame("TAG-T1", 1, "strap", #","state":"opened""#))
        out.append(frame("TAG-T2", 1, "battery", #","level":0.1,"charging":false"#))
        for seq in 2..<40 { out.append(frame("TAG-T2", seq, "heartbeat")) }
        out.append(frame("TAG-T2", 40, "case", #","state":"opened""#))
        out.append(frame("TAG-T1", 2, "gnss", #","state":"jammed""#))
        out.append(frame("TAG-T1", 3, "gnss", #","state":"ok""#))
        out.append(frame("TAG-T2", 41, "battery", #","level":0.9,"charging":false"#))
        return out
    }

    /// A database written by `serve`: events in small reliable batches, a snapshot every few events, a kill of the
    /// task (no final snapshot: the journal goes on after the last one).
    func writtenByServe() async throws -> String {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        let server = RunningServer(db: db) { $0.snapshotEvents = 10 }
        try await server.start()
        let ctx = try ZMQContext()
        let dealer = try ZMQSocket(ctx, .dealer)
        try dealer.setReceiveTimeout(10_000)
        try dealer.connect(server.config.reliableEndpoint)
        let all = events()
        let batches = stride(from: 0, to: all.count, by: 4).map { Array(all[$0..<min($0 + 4, all.count)]) }
        for (k, batch) in batches.enumerated() {
            try dealer.send("b\(k)", more: true)
            for (i, f) in batch.enumerated() { try dealer.send(f, more: i < batch.count - 1) }
            _ = try #require(try dealer.receiveMessage())
        }
        try await server.stop()
        // The graceful stop's snapshot covers everything; drop it, so the latest left is followed by journal.
        let store = try Store(path: db)
        let ids = try store.snapshotIDs()
        try #require(ids.count == 2)
        try store.db.execute("DELETE FROM pipeline_snapshot WHERE id = \(ids[0])")
        let left = try #require(try store.snapshot(id: ids[1]))
        try #require(left.journalThrough < (try store.lastJournalBlock()), "the journal must go on after the snapshot")
        return db
    }

    func copy(_ db: String) throws -> String {
        let to = temporaryDatabase()
        try Store(path: db).db.execute("VACUUM INTO '\(to)'")
        return to
    }

    struct Outcome: Equatable {
        var open: [String]
        var stored: Int
        var snapshot: Int64?
    }

    func start(_ db: String) throws -> Outcome {
        let store = try Store(path: db)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let o = try Startup(store: store, settings: PipelineSettings(), logger: logger)
            .run(startedAt: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
        return Outcome(
            open: o.pipeline.order.engine.openBreaches.map(\.description).sorted(), stored: o.alerts.count,
            snapshot: o.snapshotID)
    }

    @Test func anUnusableSnapshotFallsBackAndChangesNothing() async throws {
        let db = try await writtenByServe()
        let reference = try start(try copy(db))
        #expect(reference.snapshot != nil)
        #expect(reference.stored == 0, "nothing to clear or raise: every alert was stored as it happened")
        #expect(
            reference.open == ["D-T-1/TAG-T1/strap_tamper", "D-T-2/TAG-T2/case_tamper"],
            "open breaches: \(reference.open)")
        let damages: [(String, String)] = [
            ("a flipped byte", "UPDATE pipeline_snapshot SET data = X'00' || substr(data, 2)"),
            (
                "cut off, checksum matching",
                "UPDATE pipeline_snapshot SET data = substr(data, 1, length(data) / 2), checksum = 0"
            ),
            ("an older format", "UPDATE pipeline_snapshot SET format = 0"),
            ("its dossier load gone", "DELETE FROM dossier_load"),
            ("no snapshot at all", "DELETE FROM pipeline_snapshot"),
        ]
        for (what, sql) in damages {
            let damaged = try copy(db)
            let store = try Store(path: damaged)
            try store.db.execute(sql)
            if what.hasPrefix("cut off") {
                // A row that passes the checksum but is cut off: the decoder must refuse it.
                for id in try store.snapshotIDs() {
                    let r = try #require(try store.snapshot(id: id))
                    try store.db.execute(
                        "UPDATE pipeline_snapshot SET checksum = \(Int64(bitPattern: SnapshotChecksum.of(r.data))) WHERE id = \(id)"
                    )
                }
            }
            let got = try start(damaged)
            #expect(got.open == reference.open, "\(what): open breaches \(got.open)")
            #expect(got.stored == 0, "\(what): start-up cleared or raised \(got.stored) alerts")
            #expect(got.snapshot == nil, "\(what): the damaged snapshot was used")
            // Whatever it fell back to, it leaves a good snapshot for the next start.
            #expect(try start(damaged).snapshot != nil, "\(what): no fresh snapshot after the fallback")
        }
    }

    @Test func startUpReadsOnlyTheJournalAfterTheSnapshot() async throws {
        let db = try await writtenByServe()
        let store = try Store(path: db)
        let latestID = try #require(try store.snapshotIDs().first)
        let latest = try #require(try store.snapshot(id: latestID))
        var after = 0
        try store.forEachJournalEvent(afterBlock: latest.journalThrough) { _, _, _, _ in after += 1 }
        #expect(after > 0 && after < events().count, "the journal goes on after the snapshot: \(after)")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let o = try Startup(store: store, settings: PipelineSettings(), logger: logger)
            .run(startedAt: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
        #expect(o.summary.events == after)
    }
}

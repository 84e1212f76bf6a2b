import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import SeinhuisTestSupport
import Testing

@testable import SeinhuisPipeline

/// `Replay` with its reader thread, against real database files, and the line reader under it.
@Suite("Replay: reader thread, chunks and commits, line reader")
struct ReplayTests {
    static let spec = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/spec")

    static func replay(_ folder: String, eventsPerCommit: Int, linesPerHandOver: Int = 8192) throws -> (
        ReplaySummary, [String], Int
    ) {
        let dir = spec.appendingPathComponent(folder)
        let store = try Store(path: temporaryDatabase())
        try DossierImport.run(
            file: dir.appendingPathComponent("dossiers.json").path, store: store, by: "test",
            at: Timestamp(milliseconds: 0))
        var r = Replay()
        r.eventsPerCommit = eventsPerCommit
        r.linesPerHandOver = linesPerHandOver
        var commits = 0
        let summary = try r.run(
            path: dir.appendingPathComponent("events.ndjson").path, store: store,
            dossiers: try store.dossierSet()
        ) { _, _ in commits += 1 }
        return (summary, try store.alerts().map(\.json), commits)
    }

    /// Many small chunks (the bounded hand-over queue fills and blocks), commits every 5 lines across chunks of 2,
    /// give the alerts and counts of one commit.
    @Test(arguments: ["example", "edge/autumn", "edge/spring"])
    func smallCommitsGiveTheSameAlertsAndCounts(_ folder: String) throws {
        let (one, alertsOne, commitsOne) = try Self.replay(folder, eventsPerCommit: 65_536)
        let (many, alertsMany, commitsMany) = try Self.replay(folder, eventsPerCommit: 5, linesPerHandOver: 2)
        #expect(commitsOne == 1)
        #expect(commitsMany == one.counts.frames / 5 + 1)
        #expect(!alertsOne.isEmpty)
        #expect(alertsMany == alertsOne)
        #expect(many.counts == one.counts)
        #expect(many.alertsRaised == one.alertsRaised && many.escalations == one.escalations)
        #expect(many.bytes == one.bytes && one.bytes > 0)
        // Both threads' CPU time is reported (the figure that the machine's load does not move much).
        #expect(many.mainCPUSeconds > 0 && many.readerCPUSeconds > 0)
        #expect(many.cpuBoundLinesPerSecond > 0)
    }

    @Test func aMissingFileIsAClearErrorAndNothingHangs() throws {
        let store = try Store(path: temporaryDatabase())
        #expect {
            _ = try Replay().run(path: "/nonexistent/events.ndjson", store: store, dossiers: .empty)
        } throws: { "\($0)".contains("cannot read /nonexistent/events.ndjson") }
    }

    /// Lines across chunk boundaries, CRLF, blank lines, a last line without a newline, and stopping early.
    @Test func lineReaderSplitsLinesAcrossChunks() throws {
        let path = temporaryDatabase() + ".txt"
        let text = "first line\r\n\nsecond, a bit longer than a chunk\nx\n\r\nlast without newline"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        for size in [1, 3, 7, 64, 4 << 20] {
            var reader = LineReader(path: path)
            reader.chunkSize = size
            var lines: [String] = []
            let bytes = try reader.forEachLine { line in
                lines.append(String(decoding: line, as: UTF8.self))
                return true
            }
            #expect(bytes == text.utf8.count)
            #expect(lines == ["first line", "", "second, a bit longer than a chunk", "x", "", "last without newline"])
            var first: [String] = []
            try reader.forEachLine { line in
                first.append(String(decoding: line, as: UTF8.self))
                return first.count < 2
            }
            #expect(first == ["first line", ""], "chunk size \(size)")
        }
    }
}

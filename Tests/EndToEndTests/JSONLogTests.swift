import Foundation
import Testing

/// `serve --log-format json` (issue 16) with the real binary: every line it writes is one JSON object with the time,
/// the level, the label and the message, the metadata flattened beside them; ids and counts, not people.
@Suite("serve --log-format json", .serialized)
struct JSONLogTests {
    @Test func everyLineOfAShortServeRunIsAJSONObject() throws {
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        let db = try Binary.temporaryDatabase()
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        let log = db + ".log"
        let server = try ServeProcess(
            db: db, ports: ServePorts.random(), logPath: log, extraArguments: ["--log-format", "json"])
        try server.waitReady()
        // A bad frame and a good one on the way (the log stays JSON whatever arrives).
        let client = try ReliableClient(endpoint: server.ports.reliable)
        let event = #"{"v":1,"device":"TAG-EX-1","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#
        _ = try client.send(["{bad", event])
        try server.stop()
        #expect(server.process.terminationStatus == 0)

        let lines = server.logText.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count >= 2)
        var messages: [String] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let o = try #require(object, "not a JSON object: \(line)")
            let ts = try #require(o["ts"] as? String, "\(line)")
            #expect(ts.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "\(ts)")
            #expect(["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(o["level"] as? String))
            #expect(o["label"] is String)
            messages.append(try #require(o["message"] as? String))
            #expect(o.values.allSatisfy { $0 is String }, "every value is a string: \(line)")
        }
        #expect(messages.contains("pipeline ready"))
        #expect(messages.contains("pipeline stopped"))
        let ready = try #require(
            lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["message"] as? String == "pipeline ready" })
        #expect(ready["dossiers"] as? String == "2")
        #expect(ready["db"] as? String == db)
        // The stop line's counts: one accepted, one rejected.
        let stopped = try #require(
            lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["message"] as? String == "pipeline stopped" })
        #expect(stopped["accepted"] as? String == "1")
        #expect(stopped["rejected"] as? String == "1")
        // Pseudonyms and ids only: no dossier subject or device of the events is in the log.
        #expect(!server.logText.contains("TAG-EX-1"))
    }
}

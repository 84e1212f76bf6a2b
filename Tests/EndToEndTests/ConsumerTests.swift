import Foundation
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// The reference consumer, `simulator listen --catch-up` (docs/API.md), against the real binary: killed and
/// restarted three times, and serve once, while alerts are raised, escalate, clear and are acknowledged, it still
/// ends with every alert of its queue in its latest state and never skips a publication.
@Suite("the reference consumer misses nothing (PROTOCOL 4.3)", .serialized)
struct ConsumerTests {
    /// One run of the consumer, its standard output (one JSON object per alert handled) in a file of its own.
    final class Consumer {
        let process = Process()
        let outPath: String

        init(_ f: FeedServer, run: Int, stateFile: String, passwordFile: String) throws {
            outPath = f.served.dir.appendingPathComponent("consumer-\(run).ndjson").path
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            process.executableURL = RestartHarness.simulatorPath
            process.arguments = [
                "listen", "--endpoint", f.ports.alerts, "--queue", "police", "--catch-up", "--api",
                "http://127.0.0.1:\(f.ports.http)", "--user", "piet", "--password-file", passwordFile, "--state-file",
                stateFile, "--format", "json", "--catch-up-every", "1",
            ]
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            let logPath = f.served.dir.appendingPathComponent("consumer-\(run).log").path
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            try process.run()
        }

        deinit { kill9() }

        func kill9() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        /// What it handled: (via, id, rev) per line.
        var handled: [(via: String, id: String, rev: Int64)] {
            let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                guard let o = try? Binary.json(String(line)) as? [String: Any], let a = o["alert"] as? [String: Any],
                    let id = a["id"] as? String, let rev = (a["rev"] as? NSNumber)?.int64Value
                else { return nil }
                return (o["via"] as? String ?? "", id, rev)
            }
        }
    }

    struct Key: Hashable { var id: String, rev: Int64 }

    @Test func aConsumerKilledThreeTimesEndsWithEveryAlertAndSkipsNone() throws {
        let f = try FeedServer("consumer", pairs: 6, radexEscalateS: 2, otherEscalateS: 2)
        try f.served.start()
        let ctx = try ZMQContext()
        let reference = try PublicationLog(ctx, endpoint: f.ports.alerts, queue: "police")
        let stateFile = f.served.dir.appendingPathComponent("police.state").path
        let passwordFile = f.served.dir.appendingPathComponent("password").path
        try (f.passwords["piet"]! + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        var runs = [try Consumer(f, run: 1, stateFile: stateFile, passwordFile: passwordFile)]
        var client = try ReliableClient(endpoint: f.ports.reliable)
        let piet = try f.token("piet")
        var seq: [String: Int] = [:]
        func strap(_ device: String, _ state: String) throws {
            seq[device, default: 0] += 1
            _ = try client.send([FeedServer.strap(device, seq[device]!, state)])
        }
        for step in 1...12 {
            let n = (step - 1) % 6 + 1
            try strap(step <= 6 ? "TAG-R\(n)" : "TAG-O\(n)", "opened")  // raised, then escalating every 2 s
            if step % 4 == 0 { try strap("TAG-R\(step / 4)", "closed") }  // cleared
            if step % 3 == 0, let id = try f.wholeFeed("police", token: piet).last?.id {
                _ = try? f.call("POST", "/api/v1/alerts/\(id)/ack", token: piet, body: "{}")  // handling changes
            }
            if step == 3 || step == 6 || step == 10 {
                runs.last!.kill9()
                try strap("TAG-O\(step / 3)", "opened")  // while it is away
                RestartHarness.sleep(ms: 400)
                runs.append(try Consumer(f, run: runs.count + 1, stateFile: stateFile, passwordFile: passwordFile))
            }
            if step == 8 {
                try f.served.restart(.kill)
                client = try ReliableClient(endpoint: f.ports.reliable)
            }
            RestartHarness.sleep(ms: 500)
        }
        // Quiet: the last escalations (3 × 2 s) are done, then the consumer's next catch-up has them.
        RestartHarness.sleep(ms: 7000)
        let final = try f.wholeFeed("police", token: piet)
        let finalKeys = Set(final.map { Key(id: $0.id, rev: $0.rev) })
        try FeedServer.waitUntil("the consumer has every alert's latest rev") {
            let seen = Set(runs.flatMap(\.handled).map { Key(id: $0.id, rev: $0.rev) })
            return finalKeys.isSubset(of: seen)
        }
        try reference.drain()
        for r in runs { r.kill9() }
        try f.served.stop()

        let handled = runs.map(\.handled)
        let seen = Set(handled.joined().map { Key(id: $0.id, rev: $0.rev) })
        var latestSeen: [String: Int64] = [:]
        for k in seen { latestSeen[k.id] = max(latestSeen[k.id] ?? -1, k.rev) }
        #expect(final.count >= 12)
        // Never skipped: every publication to police was handled, or a later rev of the same alert was.
        let skipped = reference.received.filter { (latestSeen[$0.id] ?? -1) < $0.rev }
        #expect(skipped.isEmpty, "skipped: \(skipped.map { "\($0.id)@\($0.rev)" })")
        #expect(!reference.received.isEmpty)
        // Only the queue's alerts, and the saved rev is the end of the feed.
        #expect(Set(seen.map(\.id)).isSubset(of: Set(final.map(\.id))))
        let state = try #require(try Binary.json(String(contentsOfFile: stateFile, encoding: .utf8)) as? [String: Any])
        #expect((state["after_rev"] as? NSNumber)?.int64Value == final.map(\.rev).max())
        #expect(state["queue"] as? String == "police")
        // A restarted run caught up what happened while it was away: revs no earlier run had handled.
        var earlier = Set(handled[0].map { Key(id: $0.id, rev: $0.rev) })
        var caughtUpMissed = 0
        for run in handled.dropFirst() {
            caughtUpMissed += run.filter { $0.via == "catch-up" && !earlier.contains(Key(id: $0.id, rev: $0.rev)) }.count
            earlier.formUnion(run.map { Key(id: $0.id, rev: $0.rev) })
        }
        #expect(handled.count == 4 && caughtUpMissed > 0)
        // Within a run, an alert is handled once per rev, in increasing rev.
        for run in handled {
            var last: [String: Int64] = [:]
            for h in run {
                #expect((last[h.id] ?? -1) < h.rev, "\(h.id)@\(h.rev) handled after @\(last[h.id] ?? -1)")
                last[h.id] = h.rev
            }
        }
    }
}

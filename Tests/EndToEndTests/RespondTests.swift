import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `simulator respond` (simulator/README.md, "Playing the operators") against the real binaries: serve, a stream of
/// strap tampers sent by `simulator stream`, and the operators of four queues answering through the HTTP API with
/// their own accounts, after delays drawn from the seed.
@Suite("simulator respond plays the operators through the HTTP API", .serialized)
struct RespondTests {
    static let escalateS = 4

    /// The accounts file (queue, user, password) for the users of `f` and two more.
    static func accounts(_ f: FeedServer) throws -> String {
        var lines = ["vcet anna \(f.passwords["anna"]!)", "police piet \(f.passwords["piet"]!)"]
        for (queue, name, role) in [("coordinator", "cora", "coordinator"), ("cic", "cees", "cic")] {
            let out = try Binary.run(["user", "add", name, "--role", role, "--db", f.served.db])
            let line = try #require(out.split(separator: "\n").first { $0.hasPrefix("password: ") })
            lines.append("\(queue) \(name) \(line.dropFirst("password: ".count))")
        }
        let path = f.served.dir.appendingPathComponent("accounts.txt").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let habits = [
        "--delay", "vcet=uniform:300ms,1500ms", "--delay", "police=uniform:300ms,1500ms", "--ignore", "vcet=0.5",
        "--ignore", "police=0.3", "--ignore", "coordinator=1", "--ignore", "cic=1", "--close-after", "fixed:1s",
        "--seed", "11", "--poll", "0.2",
    ]

    /// The plan `simulator respond --show-plan` prints, by (alert, queue).
    static func plan(_ ids: [String], _ habits: [String]) throws -> [String: [String: Any]] {
        let p = Process()
        p.executableURL = RestartHarness.simulatorPath
        p.arguments = ["respond", "--show-plan", ids.joined(separator: ",")] + habits
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var byKey: [String: [String: Any]] = [:]
        for line in text.split(separator: "\n") {
            let o = try #require(try Binary.json(String(line)) as? [String: Any])
            byKey["\(o["alert"]!) \(o["queue"]!)"] = o
        }
        return byKey
    }

    @Test func theQueuesAnswerWithTheirAccountsAfterTheSeedsDelaysAndStopEscalation() throws {
        let f = try FeedServer("respond", pairs: 4, radexEscalateS: Self.escalateS, otherEscalateS: Self.escalateS)
        try f.served.start()
        let accounts = try Self.accounts(f)
        let respond = Process()
        respond.executableURL = RestartHarness.simulatorPath
        respond.arguments =
            ["respond", "--api", "http://127.0.0.1:\(f.ports.http)", "--accounts", accounts, "--duration", "22"]
            + Self.habits
        let log = f.served.dir.appendingPathComponent("respond.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        respond.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        respond.standardOutput = respond.standardError
        try respond.run()
        defer { if respond.isRunning { kill(respond.processIdentifier, SIGKILL) } }
        // Every queue signed in (bcrypt takes a moment per account) before the first alert.
        try FeedServer.waitUntil("respond signed in") {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("respond: playing")
        }

        // Eight strap tampers (critical): a Radex tag's reaches all four queues, an ordinary one's vcet only.
        let events = (1...4).flatMap { n in
            ["TAG-R\(n)", "TAG-O\(n)"].map { FeedServer.strap($0, 1, "opened") }
        }
        let stream = f.served.dir.appendingPathComponent("events.ndjson").path
        try (events.joined(separator: "\n") + "\n").write(toFile: stream, atomically: true, encoding: .utf8)
        try SimulatorRun.run(["stream", stream, "--reliable", f.ports.reliable, "--max"])
        respond.waitUntilExit()
        #expect(respond.terminationStatus == 0, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        try f.served.stop()

        let db = f.served.db
        let rows = try RetentionCLITests.sql(
            db, "SELECT id, detected_at, COALESCE(responded_at, -1), escalation FROM alert WHERE device IS NOT NULL ORDER BY number")
            .split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(rows.count == 8)  // the review notices of the dossiers (no device) are not played
        let ids = rows.map { $0[0] }
        let plan = try Self.plan(ids, Self.habits)

        // Who acted: each queue's own account with its role, in the action log and the audit trail.
        let actions = try RetentionCLITests.sql(
            db, "SELECT alert_id, queue, actor, role, kind, at FROM alert_action ORDER BY id"
        ).split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        let byQueue = ["vcet": ("anna", "operator"), "police": ("piet", "police")]
        for a in actions {
            #expect(byQueue[a[1]].map { [$0.0, $0.1] } == [a[2], a[3]], "\(a)")
        }
        let audited = try RetentionCLITests.sql(
            db, "SELECT DISTINCT actor || ' ' || role || ' ' || queue FROM audit WHERE action = 'alert.respond'")
        #expect(Set(audited.split(separator: "\n").map(String.init)) == ["anna operator vcet", "piet police police"])

        // The seed decides: vcet answered exactly the alerts its plan does not ignore, each after its drawn delay
        // (vcet is reached at detection; the desk sees it within a poll).
        let detected = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Int64($0[1])!) })
        let vcetMeasures = actions.filter { $0[1] == "vcet" && $0[4] == "respond" }
        let planned = Set(ids.filter { plan["\($0) vcet"]?["ignored"] as? Bool == false })
        #expect(Set(vcetMeasures.map { $0[0] }) == planned)
        #expect(!planned.isEmpty && planned.count < 8)
        for m in vcetMeasures {
            let drawnMs = Int64(((plan["\(m[0]) vcet"]?["measure_s"] as? Double) ?? -1) * 1000)
            let took = Int64(m[5])! - detected[m[0]]!
            #expect(took >= drawnMs - 50 && took <= drawnMs + 1200, "\(m[0]): drawn \(drawnMs) ms, took \(took) ms")
        }
        // The same seed, the same plan; another seed, another.
        func canonical(_ p: [String: [String: Any]]) -> String { Binary.canonical(p) }
        #expect(canonical(try Self.plan(ids, Self.habits)) == canonical(plan))
        #expect(canonical(try Self.plan(ids, Self.habits.dropLast(4) + ["--seed", "12", "--poll", "0.2"])) != canonical(plan))

        // Escalation: an alert answered before its first escalation never escalated; one nobody answered went to
        // the maximum (3); one answered after escalating stopped there.
        for r in rows {
            let responded = Int64(r[2])!, escalation = Int(r[3])!
            if responded < 0 {
                #expect(escalation == 3, "\(r[0]) unanswered: \(escalation)")
            } else if responded - Int64(r[1])! < Int64(Self.escalateS * 1000) - 300 {
                #expect(escalation == 0, "\(r[0]) answered in \(responded - Int64(r[1])!) ms: \(escalation)")
            } else {
                #expect(escalation < 3, "\(r[0]) answered late: \(escalation)")
            }
        }
        #expect(rows.contains { Int64($0[2])! >= 0 && $0[3] == "0" })
    }

    @Test func aWrongPasswordAnUnknownQueueAndServeDownAreClearErrors() throws {
        let f = try FeedServer("respond-errors", pairs: 1, radexEscalateS: 60, otherEscalateS: 60)
        let file = f.served.dir.appendingPathComponent("accounts.txt").path
        try "vcet anna not-her-password\n".write(toFile: file, atomically: true, encoding: .utf8)
        let api = ["--api", "http://127.0.0.1:\(f.ports.http)", "--accounts", file, "--duration", "1"]
        let down = try SimulatorRun.run(["respond"] + api, expectFailure: true)
        #expect(down.contains("serve does not answer at"))
        try f.served.start()
        let wrong = try SimulatorRun.run(["respond"] + api, expectFailure: true)
        #expect(wrong.contains("queue vcet") && wrong.contains("401"))
        try "vcet piet \(f.passwords["piet"]!)\n".write(toFile: file, atomically: true, encoding: .utf8)
        let role = try SimulatorRun.run(["respond"] + api, expectFailure: true)
        #expect(role.contains("has role police, not operator"))
        try "polis piet x\n".write(toFile: file, atomically: true, encoding: .utf8)
        let queue = try SimulatorRun.run(["respond"] + api, expectFailure: true)
        #expect(queue.contains("unknown queue 'polis'"))
        let dist = try SimulatorRun.run(
            ["respond", "--show-plan", "A-1", "--delay", "vcet=gamma:3s"], expectFailure: true)
        #expect(dist.contains("unknown distribution 'gamma'"))
        try f.served.stop()
    }
}

/// Runs the simulator binary like `Binary.run` runs seinhuis.
enum SimulatorRun {
    @discardableResult
    static func run(_ args: [String], expectFailure: Bool = false) throws -> String {
        let p = Process()
        p.executableURL = RestartHarness.simulatorPath
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        if expectFailure {
            guard p.terminationStatus != 0 else { throw Binary.Failed(args: args, status: 0, stderr: "expected a failure") }
            return e
        }
        guard p.terminationStatus == 0 else { throw Binary.Failed(args: args, status: p.terminationStatus, stderr: e) }
        return o
    }
}

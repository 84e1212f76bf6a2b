import ArgumentParser
import Dispatch
import Foundation
import SeinhuisCore
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct Listen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Subscribe to the alerts Seinhuis publishes, as a CIC or police system would.",
        discussion: """
            Connects a SUB socket to the alerts endpoint and prints every publication (two frames: the queue name,
            then the alert JSON of PROTOCOL 4.3). An alert is published once per queue it reaches, and again on
            every escalation, change of state or clearing. With --out, the alerts are also collected (the latest
            version of each id) and written as a JSON array when listening ends: at --duration, or on Ctrl-C / SIGTERM.
            That file is what `simulator verify --alerts` reads.

            Examples:
              simulator listen --queue police
              simulator listen --duration 600 --out /tmp/alerts.json --format json
            """)

    @Option(help: "The alerts PUB endpoint of seinhuis serve.") var endpoint: String = "tcp://127.0.0.1:7462"
    @Option(help: "Only this queue (vcet, coordinator, cic, police, cell); default all.") var queue: String?
    @Option(help: "Stop after this many seconds (default: until interrupted).") var duration: Double?
    @Option(help: "Write the collected alerts (latest version of each id) to this file as a JSON array.")
    var out: String?
    @Option(help: "Output per publication: table (one line each) or json (queue and alert, one object per line).")
    var format: OutputFormat = .table
    @Flag(help: "Print nothing per publication (only the summary on standard error).") var quiet = false

    func validate() throws {
        if let queue, Queue(rawValue: queue) == nil {
            throw ValidationError(
                "unknown queue \(queue): one of \(Queue.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        let ctx = try ZMQContext()
        // Ctrl-C or SIGTERM ends the context, which makes the blocking receive return: the file is still written.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { ctx.shutdown() }
            s.resume()
            return s
        }
        defer { sources.forEach { $0.cancel() } }

        var collected: [String: String] = [:]
        var order: [String] = []
        var messages = 0
        var perQueue: [String: Int] = [:]
        do {
            let sub = try ZMQSocket(ctx, .sub)
            try sub.subscribe(queue ?? "")
            do { try sub.connect(endpoint) } catch { throw ValidationError("cannot connect to \(endpoint): \(error)") }
            try sub.setReceiveTimeout(200)
            let deadline = duration.map { Date().addingTimeInterval($0) }
            if !quiet && format == .table {
                print(
                    "RECEIVED                  QUEUE        ID           BREACH                SEVERITY  DOSSIER       DEVICE       STATE         EVENT_TS"
                )
            }
            while deadline.map({ Date() < $0 }) ?? true {
                let parts: [[UInt8]]?
                do { parts = try sub.receiveMessage() } catch let e as ZMQError where e.isTerminated { break }
                guard let parts, parts.count >= 2 else { continue }
                messages += 1
                let topic = String(decoding: parts[0], as: UTF8.self)
                let json = String(decoding: parts[1], as: UTF8.self)
                perQueue[topic, default: 0] += 1
                let obj = (try? JSONSerialization.jsonObject(with: Data(parts[1]))) as? [String: Any] ?? [:]
                if let id = obj["id"] as? String {
                    if collected[id] == nil { order.append(id) }
                    collected[id] = json
                }
                if quiet { continue }
                switch format {
                case .json:
                    print("{\"queue\":\(JSONObjectWriter.quoted(topic)),\"alert\":\(json)}")
                case .table:
                    func f(_ k: String, _ w: Int) -> String {
                        let v = obj[k].map { $0 is NSNull ? "-" : "\($0)" } ?? "-"
                        return v.padding(toLength: max(w, v.count), withPad: " ", startingAt: 0)
                    }
                    let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).rfc3339
                    print(
                        [
                            now, topic.padding(toLength: 12, withPad: " ", startingAt: 0), f("id", 12), f("breach", 21),
                            f("severity", 9), f("dossier", 13), f("device", 12), f("state", 13), f("event_ts", 0),
                        ]
                        .joined(separator: " ") + (obj["cleared_at"].map { " cleared \($0)" } ?? ""))
                }
                fflush(nil)  // all output streams: a pipe to another tool sees each publication at once
            }
        }
        if let out {
            let text = "[" + order.map { collected[$0]! }.joined(separator: ",\n ") + "]\n"
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("cannot write \(out): \(error.localizedDescription)")
            }
        }
        stderrLine(
            "listened: \(messages) publications, \(collected.count) alerts"
                + (perQueue.isEmpty
                    ? ""
                    : " (" + perQueue.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                        + ")")
                + (out.map { "; wrote \($0)" } ?? ""))
    }
}

import ArgumentParser
import Foundation
import SeinhuisCore

/// `simulator listen --catch-up`: the consumer's HTTP side and its saved rev.
struct CatchUpOptions: ParsableArguments {
    @Flag(help: "Catch up over HTTP from --state-file's rev, then follow PUB, catching up again every few seconds.")
    var catchUp = false
    @Option(help: "Where the consumer keeps the rev up to which it has handled everything (JSON, written atomically).")
    var stateFile: String?
    @Option(help: "The HTTP base of seinhuis serve.") var api: String = "http://127.0.0.1:8460"
    @Option(help: "The console user to sign in as (its role must be the queue's, or admin).") var user: String?
    @Option(help: "A file whose first line is the user's password (default: $SEINHUIS_PASSWORD).")
    var passwordFile: String?
    @Option(help: "Seconds between catch-ups while following PUB.") var catchUpEvery: Double = 5
    @Option(help: "Alerts per page of the change feed (1 to 10000).") var pageSize: Int = 500

    func validate(queue: String?) throws {
        guard catchUp else {
            if stateFile != nil || user != nil { throw ValidationError("--state-file and --user need --catch-up") }
            return
        }
        guard queue != nil else { throw ValidationError("--catch-up follows one queue: name it with --queue") }
        guard user != nil else { throw ValidationError("--catch-up signs in: name the user with --user") }
        guard URL(string: api)?.host != nil else { throw ValidationError("--api \(api) is not an http URL") }
        if catchUpEvery <= 0 { throw ValidationError("--catch-up-every must be positive") }
        if !(1...10_000).contains(pageSize) { throw ValidationError("--page-size must be from 1 to 10000") }
    }

    /// The consumer, or nil without --catch-up.
    func consumer(queue: String?, handle: @escaping (String, String) -> Void) throws -> QueueConsumer? {
        guard catchUp, let queue, let user, let base = URL(string: api) else { return nil }
        let state = try stateFile.map { try ConsumerState.load($0, queue: queue) } ?? ConsumerState(queue: queue, afterRev: 0)
        let feed = FeedClient(base: base, user: user, password: try password())
        return QueueConsumer(feed: feed, state: state, statePath: stateFile, pageSize: pageSize, handle: handle)
    }

    func password() throws -> String {
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw ValidationError("cannot read --password-file \(passwordFile)")
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        guard let p = ProcessInfo.processInfo.environment["SEINHUIS_PASSWORD"], !p.isEmpty else {
            throw ValidationError("--catch-up needs the password: --password-file FILE or $SEINHUIS_PASSWORD")
        }
        return p
    }
}

/// When the next catch-up is due: at once, then every `every` seconds; after a failure (serve away) sooner, 1 s
/// doubling up to `every`.
struct CatchUpSchedule {
    let every: Double
    private var next = Date.distantPast
    private var backoff = 1.0

    init(every: Double) { self.every = every }

    func due() -> Bool { Date() >= next }

    mutating func succeeded() {
        backoff = 1
        next = Date().addingTimeInterval(every)
    }

    /// Schedules a retry; returns its delay in seconds.
    mutating func failed() -> Double {
        let delay = min(backoff, every)
        backoff = min(backoff * 2, every)
        next = Date().addingTimeInterval(delay)
        return delay
    }
}

/// What `listen` prints per alert handled, and its summary.
final class ListenPrinter {
    let format: OutputFormat
    let quiet: Bool
    /// The queue of the publication being handled (PUB's first frame; the consumer's queue for the feed).
    var topic: String
    private var collected: [String: String] = [:]
    private var order: [String] = []
    private var handled = 0
    private var perQueue: [String: Int] = [:]

    init(format: OutputFormat, quiet: Bool, queue: String?) {
        self.format = format
        self.quiet = quiet
        topic = queue ?? ""
    }

    func header() {
        guard !quiet && format == .table else { return }
        print(
            "RECEIVED                  QUEUE        VIA       ID           REV       BREACH                SEVERITY  DOSSIER       DEVICE       STATE         EVENT_TS"
        )
    }

    func alert(_ json: String, via: String) {
        handled += 1
        perQueue[topic, default: 0] += 1
        let obj = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        if let id = obj["id"] as? String {
            if collected[id] == nil { order.append(id) }
            collected[id] = json
        }
        defer { fflush(nil) }  // all output streams: a pipe to another tool sees each publication at once
        if quiet { return }
        switch format {
        case .json:
            print("{\"queue\":\(JSONObjectWriter.quoted(topic)),\"via\":\"\(via)\",\"alert\":\(json)}")
        case .table:
            func f(_ k: String, _ w: Int) -> String {
                let v = obj[k].map { $0 is NSNull ? "-" : "\($0)" } ?? "-"
                return v.padding(toLength: max(w, v.count), withPad: " ", startingAt: 0)
            }
            let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).rfc3339
            let cells = [
                now, topic.padding(toLength: 12, withPad: " ", startingAt: 0),
                via.padding(toLength: 9, withPad: " ", startingAt: 0), f("id", 12), f("rev", 9), f("breach", 21),
                f("severity", 9), f("dossier", 13), f("device", 12), f("state", 13), f("event_ts", 0),
            ]
            print(cells.joined(separator: " ") + (obj["cleared_at"].map { " cleared \($0)" } ?? ""))
        }
    }

    func finish(out: String?, consumer: QueueConsumer?) throws {
        if let out {
            let text = "[" + order.map { collected[$0]! }.joined(separator: ",\n ") + "]\n"
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("cannot write \(out): \(error.localizedDescription)")
            }
        }
        let queues = perQueue.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var line = "listened: \(handled) publications, \(collected.count) alerts"
        if !queues.isEmpty { line += " (\(queues))" }
        if let consumer {
            line += "; \(consumer.caughtUp) by catch-up, \(consumer.duplicates) duplicates skipped"
            line += "; handled everything up to rev \(consumer.state.afterRev)"
        }
        stderrLine(line + (out.map { "; wrote \($0)" } ?? ""))
    }
}

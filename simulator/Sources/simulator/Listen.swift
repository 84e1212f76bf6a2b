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

            With --catch-up it is the reference consumer of docs/API.md: it subscribes first, then catches up over
            HTTP from the rev in --state-file (the queue's change feed, PROTOCOL 4.3), catches up again every
            --catch-up-every seconds, and saves the rev up to which it has handled everything after every page. An
            alert is handled once per rev (PUB and the feed overlap on purpose); after a restart of the consumer or
            of serve, what it missed comes by the feed. The password comes from --password-file or the environment
            variable SEINHUIS_PASSWORD, never the command line.

            Examples:
              simulator listen --queue police
              simulator listen --duration 600 --out /tmp/alerts.json --format json
              SEINHUIS_PASSWORD=... simulator listen --queue police --catch-up --user police-1 --state-file police.state
            """)

    @Option(help: "The alerts PUB endpoint of seinhuis serve.") var endpoint: String = "tcp://127.0.0.1:7462"
    @Option(help: "Only this queue (vcet, coordinator, cic, police, cell); default all.") var queue: String?
    @Option(help: "Stop after this many seconds (default: until interrupted).") var duration: Double?
    @Option(help: "Write the collected alerts (latest version of each id) to this file as a JSON array.")
    var out: String?
    @Option(help: "Output per publication: table (one line each) or json (queue, via and alert, one object per line).")
    var format: OutputFormat = .table
    @Flag(help: "Print nothing per publication (only the summary on standard error).") var quiet = false
    @OptionGroup var catchUp: CatchUpOptions
    @OptionGroup(title: "CURVE") var curve: CurveOptions

    func validate() throws {
        if let queue, Queue(rawValue: queue) == nil {
            throw ValidationError(
                "unknown queue \(queue): one of \(Queue.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        try catchUp.validate(queue: queue)
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

        let printer = ListenPrinter(format: format, quiet: quiet, queue: queue)
        let consumer = try catchUp.consumer(queue: queue) { json, via in printer.alert(json, via: via) }
        let sub = try ZMQSocket(ctx, .sub)
        try curve.load()?.apply(to: sub)
        try sub.subscribe(queue ?? "")
        do { try sub.connect(endpoint) } catch { throw ValidationError("cannot connect to \(endpoint): \(error)") }
        try sub.setReceiveTimeout(200)
        printer.header()
        var schedule = CatchUpSchedule(every: catchUp.catchUpEvery)
        let deadline = duration.map { Date().addingTimeInterval($0) }
        while deadline.map({ Date() < $0 }) ?? true {
            if let consumer, schedule.due() {
                do {
                    try consumer.catchUp()
                    schedule.succeeded()
                } catch let f as FeedClient.Failure where f.retry {
                    stderrLine("catch-up: \(f); trying again in \(schedule.failed()) s")
                }
            }
            let parts: [[UInt8]]?
            do { parts = try sub.receiveMessage() } catch let e as ZMQError where e.isTerminated { break }
            guard let parts, parts.count >= 2 else { continue }
            let topic = String(decoding: parts[0], as: UTF8.self)
            printer.topic = topic
            if let consumer { consumer.live(String(decoding: parts[1], as: UTF8.self)) } else {
                printer.alert(String(decoding: parts[1], as: UTF8.self), via: "live")
            }
        }
        try printer.finish(out: out, consumer: consumer)
    }
}

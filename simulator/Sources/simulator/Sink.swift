import ArgumentParser
import Foundation
import SeinhuisCore
import ZeroMQ

/// A stand-in for `seinhuis serve`'s ingest side: counts what `stream` sends and acknowledges reliable batches.
struct Sink: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive events like seinhuis serve's ingest (PULL and ROUTER), count them, acknowledge batches.",
        discussion: """
            A test double for `simulator stream`: measures what the network path and the sender sustain without
            the pipeline behind it. Reliable batches are acknowledged at once with every event counted as accepted
            (nothing is stored or decoded).

            Example:
              simulator sink --duration 30 &
              simulator stream /tmp/sim/events.ndjson --max
            """)

    @Option(help: "PULL endpoint to bind.") var endpoint: String = "tcp://127.0.0.1:7460"
    @Option(help: "ROUTER endpoint to bind (reliable ingest).") var reliable: String = "tcp://127.0.0.1:7461"
    @Option(help: "Stop after this many seconds without any event (default: run until killed).") var idle: Double?
    @Option(help: "Stop after this many seconds.") var duration: Double?

    func run() throws {
        let ctx = try ZMQContext()
        let pull = try ZMQSocket(ctx, .pull)
        let router = try ZMQSocket(ctx, .router)
        do {
            try pull.bind(endpoint)
            try router.bind(reliable)
        } catch { throw ValidationError("cannot bind: \(error)") }
        var poller = ZMQPoller([pull, router])
        var events = 0, batches = 0
        var first: Date?
        var last = Date()
        let end = duration.map { Date().addingTimeInterval($0) }
        while end.map({ Date() < $0 }) ?? true {
            if let idle, Date().timeIntervalSince(last) > idle { break }
            let ready = try poller.poll(timeoutMs: 100)
            if ready[0] {
                while let n = try pull.receive(dontWait: true, { _, _ in 1 }) {
                    events += n
                }
                last = Date()
                if first == nil { first = last }
            }
            if ready[1] {
                while let parts = try router.receiveMessage(dontWait: true) {
                    guard parts.count >= 2 else { continue }
                    let n = parts.count - 2
                    events += n
                    batches += 1
                    try router.send(parts: [
                        parts[0], parts[1], Array("ok".utf8), Array(String(n).utf8), Array("0".utf8), Array("0".utf8),
                    ])
                    last = Date()
                    if first == nil { first = last }
                }
            }
        }
        let secs = first.map { last.timeIntervalSince($0) } ?? 0
        print("received \(events) events (\(batches) reliable batches) in \(String(format: "%.2f", secs)) s")
    }
}

import ArgumentParser
import Foundation
import SeinhuisCore
import ZeroMQ

/// Measures detection latency end to end under light load: event sent → alert received by a subscriber.
struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure event-to-alert latency against a running seinhuis serve.",
        discussion: """
            Sends `strap opened` / `strap closed` pairs for one device at a low rate over the PULL endpoint and
            times each `opened` until its strap_tamper alert arrives on the PUB socket (topic vcet). The latency
            includes both ZeroMQ hops, decoding, rules, the journal commit and publication. The device must be
            named by an active dossier: `simulator probe --write-dossier FILE` writes one to import first.
              simulator probe --write-dossier probe.json && seinhuis dossier import probe.json
              simulator probe --count 500 --rate 50
            """)

    @Option(help: "The PULL ingest endpoint of seinhuis serve.") var endpoint = "tcp://127.0.0.1:7460"
    @Option(help: "The PUB alerts endpoint of seinhuis serve.") var alerts = "tcp://127.0.0.1:7462"
    @Option(help: "The probe device (named by the probe dossier).") var device = "TAG-PROBE-1"
    @Option(help: "How many alerts to time.") var count = 200
    @Option(help: "Probes per second (light load).") var rate = 20.0
    @Option(name: .customLong("write-dossier"), help: "Write the probe dossier to this file and exit.")
    var writeDossier: String?
    @Option(help: "Summary format.") var format: OutputFormat = .table

    func run() throws {
        if let file = writeDossier {
            let json = """
                {"id":"D-PROBE-1","subject":"S-PROBE1","radex":false,"mandate":"sentence","start":"2020-01-01",
                 "timezone":"Europe/Brussels","devices":["\(device)"],"home":{"lat":51.0,"lon":3.7,"radius_m":100},
                 "comms_timeout_s":86400}
                """
            try json.write(toFile: file, atomically: true, encoding: .utf8)
            print("wrote \(file)")
            return
        }
        let ctx = try ZMQContext()
        let sub = try ZMQSocket(ctx, .sub)
        try sub.subscribe("vcet")
        try sub.setReceiveTimeout(2000)
        try sub.connect(alerts)
        let push = try ZMQSocket(ctx, .push)
        try push.connect(endpoint)
        Thread.sleep(forTimeInterval: 0.5)  // let the subscription reach the publisher
        // Sequence numbers from the clock, so repeated probes are never duplicates.
        var seq = UInt64(Date().timeIntervalSince1970 * 1000) * 10
        var latencies: [Double] = []
        let interval = 1.0 / rate
        for _ in 0..<count {
            let started = Date()
            seq += 1
            let open = DeviceEvent(device: device, seq: seq, ts: nowTs(), reading: .strap(.opened))
            let sentAt = DispatchTime.now().uptimeNanoseconds
            try push.send(open.json)
            // Wait for this alert (skip publications of others, and clearings).
            var got = false
            while !got, let m = try sub.receiveMessage() {
                let text = String(decoding: m[1], as: UTF8.self)
                if text.contains("\"device\":\"\(device)\""), text.contains("strap_tamper"),
                    !text.contains("cleared_at")
                {
                    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - sentAt) / 1000)
                    got = true
                }
            }
            seq += 1
            try push.send(DeviceEvent(device: device, seq: seq, ts: nowTs(), reading: .strap(.closed)).json)
            let rest = interval - Date().timeIntervalSince(started)
            if rest > 0 { Thread.sleep(forTimeInterval: rest) }
        }
        guard !latencies.isEmpty else {
            throw ValidationError("no alert arrived: is seinhuis serve running with the probe dossier imported?")
        }
        let sorted = latencies.sorted()
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p / 100) * Double(sorted.count)))] }
        switch format {
        case .json:
            var o = JSONObjectWriter()
            o.int("probes", sorted.count)
            o.double("p50_us", pct(50).rounded())
            o.double("p90_us", pct(90).rounded())
            o.double("p99_us", pct(99).rounded())
            o.double("max_us", sorted.last!.rounded())
            print(o.finish())
        default:
            print(
                "probes \(sorted.count)  p50 \(Int(pct(50))) µs  p90 \(Int(pct(90))) µs  p99 \(Int(pct(99))) µs  max \(Int(sorted.last!)) µs"
            )
        }
    }

    func nowTs() -> Timestamp { Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)) }
}

import ArgumentParser
import Foundation
import ZeroMQ

/// The latency floor of the load run: the same paced frames and probes through bare libzmq, PUSH → PULL → PUB → SUB,
/// with a receiver (`simulator bare-echo`, a separate process like `serve`) that does nothing but answer each probe's
/// `opened` with a minimal alert. What it measures is what the machine's sockets and scheduler cost a probe under the
/// same load; serve's latency above it is serve's own work.
enum BareEcho {
    /// Starts `simulator bare-echo` on `ingest` and `alerts`; returns once it has bound both.
    static func start(simulator: String, ingest: String, alerts: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: simulator)
        p.arguments = ["bare-echo", "--ingest", ingest, "--alerts", alerts]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let d = out.fileHandleForReading.availableData
        guard String(decoding: d, as: UTF8.self).hasPrefix("ready") else {
            p.terminate()
            throw LoadRunError("bare-echo did not start: \(String(decoding: d, as: UTF8.self))")
        }
        return p
    }
}

/// `simulator bare-echo`: a PULL socket whose probe `opened` frames are answered on a PUB socket (topic `vcet`) with
/// `{"breach":"strap_tamper","device":...,"event_ts":...}`; every other frame is only received.
struct BareEchoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-echo",
        abstract: "Answer probe frames on PUB with a minimal alert (the load run's latency floor); runs until killed.",
        shouldDisplay: false)
    @Option var ingest: String
    @Option var alerts: String

    func run() throws {
        let ctx = try ZMQContext()
        let pull = try ZMQSocket(ctx, .pull)
        let pub = try ZMQSocket(ctx, .pub)
        try pull.setHighWaterMarks(send: 100_000, receive: 100_000)
        try pub.setHighWaterMarks(send: 100_000, receive: 1000)
        try pull.bind(ingest)
        try pub.bind(alerts)
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        let probe = Array("TAG-PROBE-".utf8)
        let opened = Array("\"opened\"".utf8)
        while true {
            // Empty: not a probe's `opened`.
            let answer: [UInt8]? = try pull.receive { bytes, _ -> [UInt8] in
                guard Self.find(probe, in: bytes) != nil, Self.find(opened, in: bytes) != nil,
                    let device = Self.stringField("device", in: bytes), let ts = Self.stringField("ts", in: bytes)
                else { return [] }
                return Array(#"{"breach":"strap_tamper","device":"\#(device)","event_ts":"\#(ts)"}"#.utf8)
            }
            if let answer, !answer.isEmpty {
                _ = try pub.send("vcet", more: true)
                _ = try pub.send(answer)
            }
        }
    }

    static func find(_ needle: [UInt8], in hay: UnsafeRawBufferPointer) -> Int? {
        guard hay.count >= needle.count else { return nil }
        var i = 0
        while i + needle.count <= hay.count {
            var k = 0
            while k < needle.count && hay[i + k] == needle[k] { k += 1 }
            if k == needle.count { return i }
            i += 1
        }
        return nil
    }

    /// The value of `"name":"..."` (no escapes: probe frames have none).
    static func stringField(_ name: String, in bytes: UnsafeRawBufferPointer) -> String? {
        guard let at = find(Array("\"\(name)\":\"".utf8), in: bytes) else { return nil }
        let start = at + name.utf8.count + 4
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "\"") { end += 1 }
        guard end < bytes.count else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}

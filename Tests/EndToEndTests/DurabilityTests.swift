import Foundation
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// PROTOCOL 2.3: killing the server at any moment loses no acked event.
@Suite("durability of the real server under kill -9", .serialized)
struct DurabilityTests {
    let dossier = """
        {"id":"D-K","subject":"S-K1","radex":false,"mandate":"sentence","start":"2020-01-01","devices":["TAG-K"],
         "home":{"lat":51.0,"lon":3.7,"radius_m":100},"comms_timeout_s":86400}
        """

    func frame(_ seq: Int) -> String {
        #"{"v":1,"device":"TAG-K","seq":\#(seq),"ts":"2026-01-01T00:00:00.000Z","kind":"heartbeat"}"#
    }

    func startServer(db: String, reliable: String, port: Int) throws -> Process {
        let p = Process()
        p.executableURL = Binary.path
        p.environment = Binary.environment
        p.arguments = [
            "serve", "--db", db, "--reliable", reliable, "--ingest", "tcp://127.0.0.1:\(port + 1)",
            "--alerts", "tcp://127.0.0.1:\(port + 2)", "--http-port", String(port + 3), "--log-level", "error",
        ]
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test func noAckedEventIsLostWhenTheServerIsKilled() throws {
        let db = try Binary.temporaryDatabase()
        let file = db + ".json"
        try dossier.write(toFile: file, atomically: true, encoding: .utf8)
        try Binary.run(["dossier", "import", file, "--db", db])
        let port = 30000 + Int.random(in: 0..<20000)
        let reliable = "tcp://127.0.0.1:\(port)"
        let ctx = try ZMQContext()
        var acked = Set<Int>()
        var seq = 0
        for round in 0..<3 {
            let server = try startServer(db: db, reliable: reliable, port: port)
            let dealer = try ZMQSocket(ctx, .dealer)
            try dealer.setReceiveTimeout(200)
            try dealer.connect(reliable)
            // Keep batches in flight, then kill the server at an arbitrary moment.
            let deadline = Date().addingTimeInterval(1.5 + Double(round) * 0.3)
            var inFlight: [String: [Int]] = [:]
            while Date() < deadline {
                let seqs = (seq..<(seq + 50)).map { $0 }
                seq += 50
                let id = "r\(round)-\(seq)"
                try dealer.send(id, more: true)
                for (i, s) in seqs.enumerated() { try dealer.send(frame(s), more: i < seqs.count - 1) }
                inFlight[id] = seqs
                while let reply = try dealer.receiveMessage(dontWait: true) {
                    let rid = String(decoding: reply[0], as: UTF8.self)
                    if let s = inFlight.removeValue(forKey: rid) { acked.formUnion(s) }
                }
            }
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        #expect(acked.count > 100, "the server should have acked batches before being killed")
        let out = try Binary.run(["events", "list", "--db", db, "--device", "TAG-K", "--format", "csv"])
        let stored = Set(out.split(separator: "\n").dropFirst().compactMap { Int($0.split(separator: ",")[1]) })
        let lost = acked.subtracting(stored)
        #expect(lost.isEmpty, "acked but lost: \(lost.sorted().prefix(10))")
    }
}

import Foundation
import SeinhuisPipeline
import SeinhuisStore
import SeinhuisTestSupport
import ZeroMQ

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A key directory for `serve --curve` made with `KeyFiles` (what `seinhuis keys generate` writes), and clients.
struct CurveFixture {
    let dir: String
    /// The clients' own key files (outside the server's directory).
    let clients: String

    init(gateways: [String] = [], subscribers: [String: [String]] = [:], unlisted: [String] = []) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-curve-\(UUID().uuidString)")
        dir = root.appendingPathComponent("server").path
        clients = root.appendingPathComponent("clients").path
        _ = try KeyFiles.generate(name: "server", directory: dir, force: false)
        for g in gateways { try add(g, to: "gateways") }
        for (name, queues) in subscribers {
            try add(name, to: "subscribers")
            try Data(queues.map { $0 + "\n" }.joined().utf8).write(
                to: URL(fileURLWithPath: "\(dir)/subscribers/\(name).queues"))
        }
        for u in unlisted { _ = try KeyFiles.generate(name: u, directory: clients, force: false) }
    }

    private func add(_ name: String, to folder: String) throws {
        _ = try KeyFiles.generate(name: name, directory: clients, force: false)
        try FileManager.default.createDirectory(atPath: "\(dir)/\(folder)", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(clients)/\(name).pub", toPath: "\(dir)/\(folder)/\(name).pub")
    }

    func keys() throws -> CurveKeys { try CurveKeys.load(directory: dir) }

    static func line(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A socket of `type` that connects as client `name` (nil: no CURVE at all).
    func socket(_ ctx: ZMQContext, _ type: SocketType, as name: String?) throws -> ZMQSocket {
        let s = try ZMQSocket(ctx, type)
        if let name {
            try s.makeCurveClient(
                serverKey: try Self.line("\(dir)/server.pub"), publicKey: try Self.line("\(clients)/\(name).pub"),
                secretKey: try Self.line("\(clients)/\(name).key"))
        }
        return s
    }
}

/// `seinhuis_zmq_refused_total{endpoint="E"}` on a running server's /metrics (0 when absent).
func refusedCount(_ server: RunningServer, _ endpoint: String) async throws -> Int {
    let url = URL(string: "http://127.0.0.1:\(server.config.httpPort)/metrics")!
    let (data, _) = try await URLSession.shared.data(from: url)
    let prefix = #"seinhuis_zmq_refused_total{endpoint="\#(endpoint)"} "#
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(prefix) {
        return Int(line.dropFirst(prefix.count)) ?? 0
    }
    return 0
}

/// Waits (up to `seconds`) for `condition`, checking every 20 ms; returns whether it held.
func eventually(seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

import ArgumentParser
import Foundation
import ZeroMQ

/// `--server-key` and `--key`: connect with CURVE to a `serve --curve` (PROTOCOL 7).
struct CurveOptions: ParsableArguments {
    @Option(help: "CURVE: the server's public key file (DIR/server.pub of serve --curve DIR).")
    var serverKey: String?
    @Option(
        help: "CURVE: this client's secret key file (NAME.key of seinhuis keys generate; its public key is derived).")
    var key: String?

    func validate() throws {
        guard (serverKey == nil) == (key == nil) else {
            throw ValidationError("--server-key and --key go together (CURVE needs both)")
        }
    }

    /// The keys, or nil without CURVE.
    func load() throws -> ClientCurve? {
        guard let serverKey, let key else { return nil }
        return try ClientCurve(serverKeyFile: serverKey, secretKeyFile: key)
    }
}

/// A CURVE client's keys, in Z85.
struct ClientCurve: Sendable {
    var serverKey: String
    var publicKey: String
    var secretKey: String

    init(serverKeyFile: String, secretKeyFile: String) throws {
        serverKey = try Self.read(serverKeyFile)
        secretKey = try Self.read(secretKeyFile)
        guard let pub = Curve.publicKey(ofSecret: secretKey) else {
            throw ValidationError("\(secretKeyFile): not a CURVE secret key")
        }
        publicKey = pub
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read key file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard Curve.isKey(text) else { throw ValidationError("\(path): not a CURVE key (40 Z85 characters)") }
        return text
    }

    /// Sets the socket's CURVE options (before `connect`).
    func apply(to socket: ZMQSocket) throws {
        try socket.makeCurveClient(serverKey: serverKey, publicKey: publicKey, secretKey: secretKey)
    }
}

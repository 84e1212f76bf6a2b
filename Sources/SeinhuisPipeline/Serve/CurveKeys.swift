import Foundation
import SeinhuisCore
import ZeroMQ

/// `serve --curve DIR` (PROTOCOL 7, links): the server's key pair and who may connect.
///
///     DIR/server.key              the server's secret key (40 Z85 characters; mode 0600, not readable by others)
///     DIR/server.pub              its public key (what clients are given)
///     DIR/gateways/NAME.pub       a gateway allowed to send events (PULL and ROUTER endpoints)
///     DIR/subscribers/NAME.pub    an alert consumer (PUB endpoint) ...
///     DIR/subscribers/NAME.queues ... and the queues it is bound to, one name a line
///
/// Every file is checked at start: a missing or malformed one stops `serve` with the file named.
public struct CurveKeys: Sendable, Equatable {
    public var serverSecret: String
    public var serverPublic: String
    /// Public key (32 bytes) to gateway name.
    public var gateways: [[UInt8]: String]
    /// Public key (32 bytes) to subscriber name; `queues` says what each may receive.
    public var subscribers: [[UInt8]: String]
    /// Subscriber name to the queues it is bound to.
    public var queues: [String: Set<Queue>]

    public init(serverSecret: String, serverPublic: String, gateways: [[UInt8]: String] = [:],
                subscribers: [[UInt8]: String] = [:], queues: [String: Set<Queue>] = [:]) {
        self.serverSecret = serverSecret
        self.serverPublic = serverPublic
        self.gateways = gateways
        self.subscribers = subscribers
        self.queues = queues
    }

    /// Reads and checks the key directory.
    public static func load(directory: String) throws -> CurveKeys {
        let dir = URL(fileURLWithPath: directory)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw ServeError(description: "--curve \(directory): no such directory")
        }
        let secretPath = dir.appendingPathComponent("server.key").path
        try checkPrivate(secretPath)
        let secret = try readKey(secretPath)
        let pub = try readKey(dir.appendingPathComponent("server.pub").path)
        guard Curve.publicKey(ofSecret: secret) == pub else {
            throw ServeError(description: "\(dir.path)/server.pub is not the public key of server.key")
        }
        var keys = CurveKeys(serverSecret: secret, serverPublic: pub)
        keys.gateways = try readPublicKeys(dir.appendingPathComponent("gateways"))
        keys.subscribers = try readPublicKeys(dir.appendingPathComponent("subscribers"))
        for name in keys.subscribers.values {
            keys.queues[name] = try readQueues(dir.appendingPathComponent("subscribers/\(name).queues").path)
        }
        return keys
    }

    /// Reads one key file: one line of 40 Z85 characters (a final newline allowed).
    static func readKey(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServeError(description: "\(path): missing or unreadable key file (seinhuis keys generate)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard Curve.isKey(text) else {
            throw ServeError(description: "\(path): not a CURVE key (one line of 40 Z85 characters expected)")
        }
        return text
    }

    /// A secret key readable by group or others is refused, as ssh does.
    static func checkPrivate(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw ServeError(description: "\(path): missing or unreadable key file (seinhuis keys generate)")
        }
        if st.st_mode & 0o077 != 0 {
            throw ServeError(
                description: "\(path): readable by others (mode \(String(st.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
    }

    /// The `*.pub` files of a folder (a missing folder: none), public key to name.
    static func readPublicKeys(_ folder: URL) throws -> [[UInt8]: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var keys: [[UInt8]: String] = [:]
        for file in names.sorted() where file.hasSuffix(".pub") {
            let name = String(file.dropLast(4))
            let path = folder.appendingPathComponent(file).path
            // The name is the peer's User-Id: never empty (an empty one is how an in-process peer looks).
            guard KeyFiles.isValidName(name) else {
                throw ServeError(description: "\(path): a key's name is letters, digits, '-', '_' or '.' (at most 64)")
            }
            guard let key = Curve.decode(try readKey(path)) else { continue }
            if let other = keys[key] {
                throw ServeError(description: "\(path): the same key as \(other).pub in \(folder.path)")
            }
            keys[key] = name
        }
        return keys
    }

    /// A subscriber's queues: one queue name a line (blank lines and `#` comments ignored), at least one.
    static func readQueues(_ path: String) throws -> Set<Queue> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServeError(description: "\(path): missing (each subscriber's .pub needs a .queues file)")
        }
        var queues = Set<Queue>()
        for (k, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let q = Queue(rawValue: line) else {
                let known = Queue.allCases.map(\.rawValue).joined(separator: ", ")
                throw ServeError(description: "\(path):\(k + 1): unknown queue \"\(line)\" (queues: \(known))")
            }
            queues.insert(q)
        }
        if queues.isEmpty { throw ServeError(description: "\(path): names no queue") }
        return queues
    }
}

import Foundation
import ZeroMQ

/// A real `seinhuis serve` for a browser test and a PUSH socket on its ingest endpoint; the server stops when the
/// value goes (the socket keeps its ZeroMQ context alive).
final class ServedConsole {
    let process: Process
    let port: Int
    let push: ZMQSocket
    var base: String { "http://127.0.0.1:\(port)" }

    init(_ tests: ConsoleBrowserTests, db: String) throws {
        (process, port) = try tests.startServer(db: db)
        push = try ZMQSocket(try ZMQContext(), .push)
        try push.connect("tcp://127.0.0.1:\(port + 1)")
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

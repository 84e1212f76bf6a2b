import Foundation
import Logging
import Prometheus
import SeinhuisCore
import ZeroMQ

/// The ZAP handler of `serve --curve` (ZeroMQ RFC 27): a REP socket on `inproc://zeromq.zap.01` in the pipeline's
/// context, on a thread of its own, that libzmq asks about every peer's CURVE handshake. Each serve socket has its
/// ZAP domain (`ZMQ_ZAP_DOMAIN`): `ingest` (PULL) and `reliable` (ROUTER) admit the gateway keys, `alerts` (XPUB) the
/// subscriber keys. The answer is 200 with the key's file name as User-Id (the XPUB reads it off each subscription
/// to bind the peer to its queues, `SubscriberGate`), else 400.
///
/// The same thread reads the sockets' monitors and counts failed handshakes (no key, an unlisted key, a wrong
/// server key) in `seinhuis_zmq_refused_total{endpoint}`.
final class ZAPHandler: @unchecked Sendable {
    // @unchecked: the sockets are created on the starting thread and used only by the handler's thread after
    // `start` (libzmq allows moving a socket between threads with a memory barrier: the thread's start).
    static let endpoint = "inproc://zeromq.zap.01"
    let keys: CurveKeys
    let rep: ZMQSocket
    private var monitors: [(ZMQMonitor, Counter)] = []
    private let refused: [String: Counter]
    private let stop = StopFlag()
    private let done = DispatchSemaphore(value: 0)
    private var started = false
    let logger: Logger

    /// Binds the handler's socket: do this before any CURVE socket binds, or libzmq admits every key.
    init(_ ctx: ZMQContext, keys: CurveKeys, registry: PrometheusCollectorRegistry, logger: Logger) throws {
        self.keys = keys
        self.logger = logger
        rep = try ZMQSocket(ctx, .rep)
        do {
            try rep.bind(Self.endpoint)
        } catch {
            throw ServeError(description: "cannot bind the ZAP handler at \(Self.endpoint): \(error.message)")
        }
        let name = MetricNameDescriptor(
            namespace: "seinhuis", metricName: "zmq_refused", unitName: "total",
            helpText: "ZeroMQ peers refused at the CURVE handshake (no key, an unlisted key, a wrong server key)")
        refused = Dictionary(
            uniqueKeysWithValues: ServeSockets.domains.map {
                ($0, registry.makeCounter(descriptor: name, labels: [("endpoint", $0)]))
            })
    }

    /// Watches a socket's failed handshakes (call before it binds).
    func monitor(_ socket: ZMQSocket, domain: String) throws {
        let m = try ZMQMonitor(
            socket, endpoint: "inproc://seinhuis-monitor-\(domain)", events: ZMQMonitor.handshakeFailures)
        monitors.append((m, refused[domain]!))
    }

    func start() {
        started = true
        let thread = Thread { [self] in
            defer { done.signal() }
            do {
                try serve()
            } catch {
                logger.error("ZAP handler stopped: new CURVE peers are refused", metadata: ["error": "\(error)"])
            }
        }
        thread.name = "seinhuis-zap"
        thread.start()
    }

    /// Stops the thread and waits for it (after the CURVE sockets are closed).
    func finish() {
        guard started else { return }
        stop.set()
        done.wait()
    }

    private func serve() throws {
        var poller = ZMQPoller([rep] + monitors.map(\.0.socket))
        while !stop.isSet {
            let ready = try poller.poll(timeoutMs: 100)
            if ready[0], let request = try rep.receiveMessage(dontWait: true) { try answer(request) }
            for (k, (m, counter)) in monitors.enumerated() where ready[k + 1] {
                while let event = try m.nextEvent() {
                    if event & ZMQMonitor.handshakeFailures != 0 { counter.increment() }
                }
            }
        }
    }

    /// Answers one ZAP request: version, request id, domain, address, routing id, mechanism, credentials.
    private func answer(_ request: [[UInt8]]) throws {
        guard request.count >= 6, request[0] == Array("1.0".utf8) else {
            // Not a ZAP 1.0 request: RFC 27 says to reply nothing useful; libzmq never sends one.
            try rep.send(parts: [Array("1.0".utf8), request.count > 1 ? request[1] : [], Array("500".utf8),
                                 Array("bad request".utf8), [], []])
            return
        }
        let domain = String(decoding: request[2], as: UTF8.self)
        let mechanism = String(decoding: request[5], as: UTF8.self)
        var user: String?
        if mechanism == "CURVE", request.count >= 7 {
            user = Self.user(keys: keys, domain: domain, publicKey: request[6])
        }
        let status = user == nil ? "400" : "200"
        try rep.send(parts: [
            Array("1.0".utf8), request[1], Array(status.utf8), Array((user == nil ? "key not allowed" : "OK").utf8),
            Array((user ?? "").utf8), [],
        ])
    }

    /// Who a key is on a domain, or nil if it may not connect there.
    static func user(keys: CurveKeys, domain: String, publicKey: [UInt8]) -> String? {
        switch domain {
        case "ingest", "reliable": keys.gateways[publicKey]
        case "alerts": keys.subscribers[publicKey]
        default: nil
        }
    }
}

import SeinhuisCore
import ZeroMQ

/// How `serve --curve` keeps a subscriber to its queues on the one alerts endpoint (PROTOCOL 1: topic = queue,
/// then the alert).
///
/// The alerts socket is an XPUB in manual mode (`ZMQ_XPUB_MANUAL`): a peer's subscription is not applied by libzmq
/// but handed to the ingest thread as a message, and `ZMQ_SUBSCRIBE` set on the socket right after applies to
/// that peer's pipe only (the one the last subscription came from). Each subscription message carries the
/// `User-Id` the ZAP handler gave the peer's key (`zmq_msg_gets`), so the gate subscribes the peer to the queues of
/// its binding that the prefix asks for, and to nothing else: a police-only subscriber subscribing to "" is
/// subscribed to "police", never to "vcet". (Queue names are not prefixes of one another, so the topic filter is
/// exact.) Unsubscriptions are not applied: the peer's SUB socket filters what it no longer wants itself, and only
/// ever receives its own queues; closing the connection ends everything.
///
/// A subscription without a `User-Id` came over `inproc://` (CURVE and ZAP apply to every other transport, and
/// the ZAP handler always names the key): the console's own feed in this process, applied as asked.
struct SubscriberGate {
    let queues: [String: Set<Queue>]

    /// The topics to subscribe the peer to, for a subscription to `prefix` by `user`.
    func topics(prefix: [UInt8], user: String?) -> [[UInt8]] {
        guard let user else { return [prefix] }
        guard let bound = queues[user] else { return [] }
        return bound.sorted().map { Array($0.rawValue.utf8) }.filter { $0.starts(with: prefix) }
    }

    /// Applies every subscription waiting on the XPUB socket.
    func serve(_ xpub: ZMQSocket) throws {
        while true {
            var topics: [[UInt8]] = []
            let got: Bool? = try xpub.receive(dontWait: true) { bytes, _ in
                // 1 + prefix: subscribe; 0 + prefix: unsubscribe (ignored, see above).
                guard bytes.first == 1 else { return true }
                topics = self.topics(prefix: Array(bytes.dropFirst()), user: xpub.lastFrameProperty("User-Id"))
                return true
            }
            guard got != nil else { return }
            for t in topics { try xpub.subscribe(bytes: t) }
        }
    }
}

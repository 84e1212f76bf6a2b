import CZeroMQ

extension ZMQSocket {
    /// A property of the frame received last (`zmq_msg_gets`): `User-Id` (what the ZAP handler answered for the
    /// peer), `Peer-Address`, `Socket-Type`, ...; nil if the frame has none (an inproc peer has no handshake, so no
    /// `User-Id`). Valid until the next receive.
    public func lastFrameProperty(_ name: String) -> String? {
        guard let p = zmq_msg_gets(msg, name) else { return nil }
        return String(cString: p)
    }
}

extension ZMQSocket {
    /// XPUB only: peers' subscriptions are handed up as messages and not applied (`ZMQ_XPUB_MANUAL`); `subscribe`
    /// after receiving one applies to that peer alone.
    public func setManualSubscriptions() throws(ZMQError) { try setOption(ZMQ_XPUB_MANUAL, 1) }

    /// Subscribes to a topic prefix given as bytes (SUB: this socket; manual XPUB: the last subscribing peer).
    public func subscribe(bytes: [UInt8]) throws(ZMQError) { try setOption(ZMQ_SUBSCRIBE, bytes: bytes) }
}

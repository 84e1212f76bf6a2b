import CZeroMQ

/// The events of a socket, read from a PAIR socket connected to its monitor endpoint (`zmq_socket_monitor`).
public final class ZMQMonitor {
    public let socket: ZMQSocket

    /// The handshake failures (`ZMQ_EVENT_HANDSHAKE_FAILED_*`): a peer refused by the mechanism or by ZAP.
    public static let handshakeFailures =
        ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH

    /// Starts monitoring `target` for `events` on `endpoint` (an `inproc://` name unique in the context) and
    /// connects a PAIR socket to it. Call on the thread that owns `target`, before it binds.
    public init(_ target: ZMQSocket, endpoint: String, events: Int32) throws(ZMQError) {
        guard zmq_socket_monitor(target.handle, endpoint, events) == 0 else {
            throw ZMQError.last("zmq_socket_monitor \(endpoint)")
        }
        socket = try ZMQSocket(target.context, .pair)
        try socket.connect(endpoint)
    }

    /// The next event's number (`ZMQ_EVENT_*`), or nil if none is queued. The event's endpoint frame is skipped.
    public func nextEvent() throws -> Int32? {
        guard let parts = try socket.receiveMessage(dontWait: true), let first = parts.first, first.count >= 2 else {
            return nil
        }
        return Int32(UInt16(first[0]) | UInt16(first[1]) << 8)
    }
}

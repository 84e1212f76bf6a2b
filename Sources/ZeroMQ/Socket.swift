import CZeroMQ

/// The socket types Seinhuis uses.
public enum SocketType: Sendable {
    case push, pull, pub, sub, router, dealer, pair, req, rep, xpub

    var raw: Int32 {
        switch self {
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .pair: ZMQ_PAIR
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .xpub: ZMQ_XPUB
        }
    }
}

/// One libzmq socket, owned by one thread (libzmq sockets are not thread-safe), closed on `deinit`.
///
/// Receiving reuses one heap-allocated `zmq_msg_t` (it must not move after `zmq_msg_init`) and hands the frame's
/// bytes to a closure without copying them.
public final class ZMQSocket {
    public let handle: UnsafeMutableRawPointer
    /// The reused receive message (`Socket+Metadata.swift` reads its properties).
    let msg: UnsafeMutablePointer<zmq_msg_t>
    public let context: ZMQContext

    public init(_ context: ZMQContext, _ type: SocketType) throws(ZMQError) {
        guard let h = zmq_socket(context.handle, type.raw) else { throw ZMQError.last("zmq_socket") }
        handle = h
        self.context = context
        msg = .allocate(capacity: 1)
        zmq_msg_init(msg)
        try setOption(ZMQ_LINGER, 0)
    }

    deinit {
        zmq_msg_close(msg)
        msg.deallocate()
        zmq_close(handle)
    }

    public func bind(_ endpoint: String) throws(ZMQError) {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError(code: zmq_errno(), operation: "bind \(endpoint)") }
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        guard zmq_connect(handle, endpoint) == 0 else {
            throw ZMQError(code: zmq_errno(), operation: "connect \(endpoint)")
        }
    }

    /// The endpoint actually bound (useful after binding `tcp://127.0.0.1:*`).
    public var lastEndpoint: String {
        var buf = [CChar](repeating: 0, count: 256)
        var len = buf.count
        zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buf, &len)
        return buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Whether a message can be received now without waiting (`ZMQ_EVENTS` has `ZMQ_POLLIN`).
    public var hasInput: Bool {
        var events: Int32 = 0
        var len = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, ZMQ_EVENTS, &events, &len) == 0 else { return false }
        return events & Int32(ZMQ_POLLIN) != 0
    }

    public func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var v = value
        guard zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("zmq_setsockopt \(option)")
        }
    }

    public func setOption(_ option: Int32, bytes: [UInt8]) throws(ZMQError) {
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw ZMQError.last("zmq_setsockopt \(option)") }
    }

    /// Subscribes a SUB socket to a topic prefix ("" for everything).
    public func subscribe(_ prefix: String) throws(ZMQError) {
        try setOption(ZMQ_SUBSCRIBE, bytes: Array(prefix.utf8))
    }

    // MARK: sending

    /// Sends one frame; `more` marks it as not the last of a multipart message.
    /// Returns false if `dontWait` and the frame could not be queued (EAGAIN).
    @discardableResult
    public func send(_ bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws(ZMQError)
        -> Bool
    {
        var flags: Int32 = 0
        if more { flags |= ZMQ_SNDMORE }
        if dontWait { flags |= ZMQ_DONTWAIT }
        while true {
            if zmq_send(handle, bytes.baseAddress, bytes.count, flags) >= 0 { return true }
            let e = ZMQError.last("zmq_send")
            if e.isInterrupted { continue }
            if e.isWouldBlock && dontWait { return false }
            throw e
        }
    }

    @discardableResult
    public func send(_ bytes: [UInt8], more: Bool = false, dontWait: Bool = false) throws -> Bool {
        try bytes.withUnsafeBytes { try send($0, more: more, dontWait: dontWait) }
    }

    @discardableResult
    public func send(_ text: String, more: Bool = false, dontWait: Bool = false) throws -> Bool {
        var text = text
        return try text.withUTF8 { try send(UnsafeRawBufferPointer($0), more: more, dontWait: dontWait) }
    }

    /// Sends a multipart message.
    public func send(parts: [[UInt8]]) throws {
        for (k, p) in parts.enumerated() { try send(p, more: k < parts.count - 1) }
    }

    // MARK: receiving

    /// Receives one frame and passes its bytes (valid only inside `body`) and whether more frames follow.
    /// Returns nil if `dontWait` and nothing is queued, or the socket's receive timeout passed.
    @discardableResult
    public func receive<R>(dontWait: Bool = false, _ body: (UnsafeRawBufferPointer, _ more: Bool) throws -> R)
        throws -> R?
    {
        while true {
            if zmq_msg_recv(msg, handle, dontWait ? ZMQ_DONTWAIT : 0) >= 0 { break }
            let e = ZMQError.last("zmq_msg_recv")
            if e.isInterrupted { continue }
            if e.isWouldBlock { return nil }
            throw e
        }
        let more = zmq_msg_more(msg) != 0
        let data = UnsafeRawBufferPointer(start: zmq_msg_data(msg), count: zmq_msg_size(msg))
        return try body(data, more)
    }

    /// Receives a whole multipart message as copies (convenient for tests and control traffic).
    public func receiveMessage(dontWait: Bool = false) throws -> [[UInt8]]? {
        var parts: [[UInt8]] = []
        var more = true
        while more {
            let got: Bool? = try receive(dontWait: dontWait && parts.isEmpty) { bytes, m in
                parts.append(Array(bytes))
                more = m
                return true
            }
            if got == nil { return parts.isEmpty ? nil : parts }
        }
        return parts
    }

    /// Sets how long a blocking receive waits (milliseconds; -1 forever).
    public func setReceiveTimeout(_ ms: Int32) throws(ZMQError) { try setOption(ZMQ_RCVTIMEO, ms) }
    public func setSendTimeout(_ ms: Int32) throws(ZMQError) { try setOption(ZMQ_SNDTIMEO, ms) }
    /// How long unsent messages are kept after close (milliseconds; 0 drops them, -1 waits forever).
    public func setLinger(_ ms: Int32) throws(ZMQError) { try setOption(ZMQ_LINGER, ms) }
    public func setSendHighWaterMark(_ n: Int32) throws(ZMQError) { try setOption(ZMQ_SNDHWM, n) }
    public func setReceiveHighWaterMark(_ n: Int32) throws(ZMQError) { try setOption(ZMQ_RCVHWM, n) }
    public func setHighWaterMarks(send: Int32, receive: Int32) throws(ZMQError) {
        try setOption(ZMQ_SNDHWM, send)
        try setOption(ZMQ_RCVHWM, receive)
    }
}

/// Waits on several sockets at once (`zmq_poll`).
public struct ZMQPoller {
    private var items: [zmq_pollitem_t]

    public init(_ sockets: [ZMQSocket]) {
        items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
    }

    /// Waits up to `timeoutMs` (-1: forever); returns which sockets are readable, by index.
    public mutating func poll(timeoutMs: Int) throws(ZMQError) -> [Bool] {
        while true {
            let rc = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, Int32($0.count), timeoutMs) }
            if rc >= 0 { return items.map { $0.revents & Int16(ZMQ_POLLIN) != 0 } }
            let e = ZMQError.last("zmq_poll")
            if e.isInterrupted { continue }
            throw e
        }
    }
}

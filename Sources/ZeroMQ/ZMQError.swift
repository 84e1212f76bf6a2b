import CZeroMQ

/// A libzmq failure: the operation, the `zmq_errno()` code and libzmq's own message.
public struct ZMQError: Error, Sendable, CustomStringConvertible, Equatable {
    public let code: Int32
    public let operation: String
    public var message: String { String(cString: zmq_strerror(code)) }

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// The last error of this thread.
    static func last(_ operation: String) -> ZMQError { ZMQError(code: zmq_errno(), operation: operation) }

    /// Non-blocking call found nothing to do.
    public var isWouldBlock: Bool { code == EAGAIN }
    /// The context was terminated: the owner should close its sockets and stop.
    public var isTerminated: Bool { code == ETERM }
    public var isInterrupted: Bool { code == EINTR }

    public var description: String { "\(operation): \(message) (errno \(code))" }
}

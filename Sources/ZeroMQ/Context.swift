import CZeroMQ

/// A libzmq context. Contexts are thread-safe in libzmq (sockets are not).
public final class ZMQContext: @unchecked Sendable {
    // @unchecked: libzmq documents the context as thread-safe; the pointer is only passed to libzmq.
    let handle: UnsafeMutableRawPointer

    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let h = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        handle = h
        if ioThreads != 1 { zmq_ctx_set(h, ZMQ_IO_THREADS, ioThreads) }
    }

    /// Makes every blocking call on this context's sockets return `ETERM`, so their owners can stop.
    public func shutdown() { zmq_ctx_shutdown(handle) }

    deinit { zmq_ctx_term(handle) }

    /// libzmq's version, e.g. `4.3.4`.
    public static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}

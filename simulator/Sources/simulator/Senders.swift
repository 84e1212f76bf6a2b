import ArgumentParser
import Foundation
import SeinhuisCore
import ZeroMQ

protocol EventSender: AnyObject {
    func send(_ line: UnsafeRawBufferPointer) throws
    /// Sends what is buffered (called before the pacer sleeps).
    func flush() throws
    /// Handles what arrived (acknowledgements) without blocking.
    func poll() throws
    /// Sends everything and waits until it is delivered or acknowledged.
    func finish() throws
    var progressText: String { get }
    func fill(_ s: inout StreamSummary)
}

/// Plain ingest: PUSH, one frame per event, or multipart batches.
final class PushSender: EventSender {
    let socket: ZMQSocket
    let batch: Int
    private var pending: [[UInt8]] = []

    init(ctx: ZMQContext, endpoint: String, batch: Int, sendTimeoutMs: Int, curve: ClientCurve? = nil) throws {
        socket = try ZMQSocket(ctx, .push)
        try curve?.apply(to: socket)
        try socket.setSendHighWaterMark(100_000)
        // keep what is queued when the socket closes, so the last events reach the server
        try socket.setLinger(60_000)
        try socket.setSendTimeout(Int32(sendTimeoutMs))
        self.batch = batch
        do { try socket.connect(endpoint) } catch { throw ValidationError("cannot connect to \(endpoint): \(error)") }
    }

    private func sendFrame(_ b: UnsafeRawBufferPointer, more: Bool) throws {
        do { try socket.send(b, more: more) } catch {
            guard error.isWouldBlock else { throw error }
            throw ValidationError(
                "the server at the ingest endpoint did not take events for the send timeout (is seinhuis serve running?)"
            )
        }
    }

    func send(_ line: UnsafeRawBufferPointer) throws {
        if batch == 1 { return try sendFrame(line, more: false) }
        pending.append(Array(line))
        if pending.count >= batch { try flush() }
    }

    func flush() throws {
        for (k, p) in pending.enumerated() {
            try p.withUnsafeBytes { try sendFrame($0, more: k < pending.count - 1) }
        }
        pending.removeAll(keepingCapacity: true)
    }

    func poll() throws {}
    func finish() throws { try flush() }
    var progressText: String { "" }
    func fill(_ s: inout StreamSummary) {}
}

/// Reliable ingest: DEALER, batches `[batch-id, event, ...]` acknowledged by `[batch-id, "ok", a, d, r]`.
final class ReliableSender: EventSender {
    let socket: ZMQSocket
    let batchSize: Int
    let ackTimeoutMs: Int
    let window: Int
    let maxResends: Int
    let runID: String
    private var current: [[UInt8]] = []
    private var nextBatch = 1
    /// batch id → (events, last send time ns, resends)
    private var inFlight: [String: (events: [[UInt8]], sentAt: UInt64, resends: Int)] = [:]
    private var order: [String] = []
    private var summary = StreamSummary(reliable: true)

    init(
        ctx: ZMQContext, endpoint: String, batch: Int, ackTimeoutMs: Int, window: Int, maxResends: Int,
        curve: ClientCurve? = nil
    ) throws {
        socket = try ZMQSocket(ctx, .dealer)
        try curve?.apply(to: socket)
        batchSize = batch
        self.ackTimeoutMs = ackTimeoutMs
        self.window = window
        self.maxResends = maxResends
        var rng = Rng(seed: UInt64(DispatchTime.now().uptimeNanoseconds), stream: UInt64(getpid()))
        runID = String(rng.next() & 0xFFFF_FFFF, radix: 16)
        do { try socket.connect(endpoint) } catch { throw ValidationError("cannot connect to \(endpoint): \(error)") }
    }

    func send(_ line: UnsafeRawBufferPointer) throws {
        current.append(Array(line))
        if current.count >= batchSize { try flush() }
    }

    func flush() throws {
        guard !current.isEmpty else { return }
        // keep at most `window` batches unacknowledged
        while inFlight.count >= window { try waitForAcks(timeoutMs: 50) }
        let id = "\(runID)-\(nextBatch)"
        nextBatch += 1
        try transmit(id, current)
        inFlight[id] = (current, DispatchTime.now().uptimeNanoseconds, 0)
        order.append(id)
        summary.batches += 1
        current.removeAll(keepingCapacity: true)
    }

    private func transmit(_ id: String, _ events: [[UInt8]]) throws {
        try socket.send(id, more: true)
        for (k, e) in events.enumerated() { try socket.send(e, more: k < events.count - 1) }
    }

    func poll() throws { try waitForAcks(timeoutMs: 0) }

    private func waitForAcks(timeoutMs: Int) throws {
        var poller = ZMQPoller([socket])
        if try poller.poll(timeoutMs: timeoutMs)[0] {
            while let parts = try socket.receiveMessage(dontWait: true) {
                handle(parts)
            }
        }
        try resendExpired()
    }

    private func handle(_ parts: [[UInt8]]) {
        guard parts.count >= 2 else { return }
        let id = String(decoding: parts[0], as: UTF8.self)
        guard inFlight.removeValue(forKey: id) != nil else { return }  // a late ack of a resent batch
        let status = String(decoding: parts[1], as: UTF8.self)
        if status == "ok", parts.count >= 5 {
            summary.accepted += Int(String(decoding: parts[2], as: UTF8.self)) ?? 0
            summary.duplicates += Int(String(decoding: parts[3], as: UTF8.self)) ?? 0
            summary.rejected += Int(String(decoding: parts[4], as: UTF8.self)) ?? 0
        } else {
            stderrLine("warning: batch \(id) answered \(parts.map { String(decoding: $0, as: UTF8.self) })")
        }
    }

    private func resendExpired() throws {
        let now = DispatchTime.now().uptimeNanoseconds
        order.removeAll { inFlight[$0] == nil }
        for id in order {
            guard var f = inFlight[id], now - f.sentAt > UInt64(ackTimeoutMs) * 1_000_000 else { continue }
            guard f.resends < maxResends else {
                throw ValidationError(
                    "batch \(id) not acknowledged after \(maxResends) resends (is seinhuis serve running?)")
            }
            f.resends += 1
            f.sentAt = now
            inFlight[id] = f
            summary.resends += 1
            try transmit(id, f.events)
        }
    }

    func finish() throws {
        try flush()
        while !inFlight.isEmpty { try waitForAcks(timeoutMs: 50) }
    }

    var progressText: String { ", \(summary.accepted) accepted, \(inFlight.count) batches awaiting ack" }

    func fill(_ s: inout StreamSummary) {
        s.batches = summary.batches
        s.resends = summary.resends
        s.accepted = summary.accepted
        s.duplicates = summary.duplicates
        s.rejected = summary.rejected
    }
}

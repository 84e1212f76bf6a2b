/// The framing of reliable ingest (PROTOCOL 2.3): a ROUTER message is `[identity, batch-id, event, event, ...]`
/// (the identity added by ROUTER), answered with `[identity, batch-id, "ok", accepted, duplicates, rejected]`.
///
/// `serve` feeds it each frame's ZMQ_RCVMORE flag as the frame arrives (no copy of an event frame, no allocation);
/// `parse` runs the same steps over a list of frames, for the fuzzer (Fuzz/, FuzzReliableBatch) and tests.
public struct ReliableFraming: Sendable {
    /// What a frame is, by its place in its message.
    public enum Part: Sendable, Equatable {
        /// The peer's identity, with a batch to follow.
        case identity
        /// A message of one frame (an identity with nothing after it): dropped, not answered.
        case lone
        /// The batch id, echoed in the ack; a message that ends with it is an empty batch (acked with zeros).
        case batchID
        case event
    }

    private var index = 0

    public init() {}

    /// The part the next frame is; `more` is whether another frame of the same message follows it.
    public mutating func next(more: Bool) -> Part {
        let part: Part
        switch index {
        case 0: part = more ? .identity : .lone
        case 1: part = .batchID
        default: part = .event
        }
        index = more ? index &+ 1 : 0
        return part
    }

    /// The frames of an acknowledgement after the identity: the batch id, `ok` and the counts as decimal strings.
    public static func ack(batchID: [UInt8], accepted: Int, duplicates: Int, rejected: Int) -> [[UInt8]] {
        [batchID, Array("ok".utf8), Array(String(accepted).utf8), Array(String(duplicates).utf8),
            Array(String(rejected).utf8)]
    }

    /// One message, parsed: its identity, batch id and events, decoded.
    public struct Message: Sendable, Equatable {
        public var identity: [UInt8]
        public var batchID: [UInt8] = []
        public var events: [DecodeOutcome] = []
        /// Whether the message ended (its last frame had no more flag); the last of a list may be cut short.
        public var complete = false

        /// The ack `serve` sends for it when no event is a duplicate or of an unknown device.
        public var ack: [[UInt8]] {
            let accepted = events.reduce(0) { n, e in if case .event = e { n + 1 } else { n } }
            return ReliableFraming.ack(
                batchID: batchID, accepted: accepted, duplicates: 0, rejected: events.count - accepted)
        }
    }

    /// The messages of `frames` (each frame's bytes and more flag, in arrival order), as `serve` reads them; lone
    /// identities are dropped.
    public static func parse(_ frames: [(bytes: [UInt8], more: Bool)], decoder: EventDecoder = EventDecoder())
        -> [Message]
    {
        var framing = ReliableFraming()
        var out: [Message] = []
        for (bytes, more) in frames {
            switch framing.next(more: more) {
            case .lone: continue
            case .identity: out.append(Message(identity: bytes))
            case .batchID: out[out.count - 1].batchID = bytes
            case .event: out[out.count - 1].events.append(decoder.decode(bytes))
            }
            if !more { out[out.count - 1].complete = true }
        }
        return out
    }
}

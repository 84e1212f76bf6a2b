import FuzzDriver
import SeinhuisCore

// The reliable-ingest framing (PROTOCOL 2.3, `ReliableFraming`, what serve's readReliable runs) on any sequence of
// frames. The input is cut into frames: a header byte (bit 0: ZMQ_RCVMORE; bits 1-7: length, 127 = a 16-bit
// little-endian length follows), then the frame's bytes (cut short at the input's end). Checked: every frame is one
// part of exactly one message, each event frame is decoded once, and each ack is six frames with the batch id.
let decoder = EventDecoder()

func frames(_ b: UnsafeBufferPointer<UInt8>) -> [(bytes: [UInt8], more: Bool)] {
    var out: [(bytes: [UInt8], more: Bool)] = []
    var i = 0
    while i < b.count {
        let h = b[i]
        i += 1
        var n = Int(h >> 1)
        if n == 127, i + 2 <= b.count {
            n = Int(b[i]) | Int(b[i + 1]) << 8
            i += 2
        }
        let end = min(b.count, i + n)
        out.append((Array(b[i..<end]), h & 1 == 1))
        i = end
    }
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReliableBatch(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let input = frames(UnsafeBufferPointer(start: start, count: count))
    let messages = ReliableFraming.parse(input, decoder: decoder)
    // Frames by message: a lone identity is a message of one frame without more.
    var expectedMessages = 0, lone = 0, eventFrames = 0, position = 0
    for (_, more) in input {
        if position == 0 { if more { expectedMessages += 1 } else { lone += 1 } }
        if position >= 2 { eventFrames += 1 }
        position = more ? position + 1 : 0
    }
    precondition(messages.count == expectedMessages, "messages \(messages.count) != \(expectedMessages)")
    precondition(messages.reduce(0) { $0 + $1.events.count } == eventFrames, "event frames lost or doubled")
    for (k, m) in messages.enumerated() {
        precondition(m.complete || k == messages.count - 1, "an incomplete message before the last")
        let ack = m.ack
        precondition(ack.count == 5 && ack[0] == m.batchID && ack[1] == Array("ok".utf8), "bad ack \(ack)")
        let counts = ack[2...].map { Int(String(decoding: $0, as: UTF8.self)) ?? -1 }
        precondition(counts[0] + counts[2] == m.events.count && counts[1] == 0, "bad ack counts \(counts)")
    }
    return 0
}

/// The program's entry: SwiftPM links `main` to `FuzzReliableBatch_main`; with -parse-as-library Swift emits none, so it is
/// this, handing the command line to libFuzzer.
@_cdecl("FuzzReliableBatch_main")
public func fuzzReliableBatchMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzReliableBatch($0!, $1) }
}

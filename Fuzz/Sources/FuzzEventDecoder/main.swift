import FuzzDriver
import SeinhuisCore

// The event decoder (PROTOCOL 2, 2.2) on any bytes: never a crash (ASan checks every access), and every event it
// accepts survives a round trip through its own frame (`DeviceEvent.json`), which must decode to the same event.
let decoder = EventDecoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventDecoder(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let frame = UnsafeRawBufferPointer(start: start, count: count)
    switch decoder.decode(frame) {
    case .event(let e):
        guard case .event(let again) = decoder.decode(e.json), again == e else {
            fatalError("accepted event does not round-trip: \(e) -> \(e.json) -> \(decoder.decode(e.json))")
        }
    case .rejected(let r):
        precondition(!r.detail.isEmpty, "a rejection without a detail")
    }
    return 0
}

/// The program's entry: SwiftPM links `main` to `FuzzEventDecoder_main`; with -parse-as-library Swift emits none, so it is
/// this, handing the command line to libFuzzer.
@_cdecl("FuzzEventDecoder_main")
public func fuzzEventDecoderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzEventDecoder($0!, $1) }
}

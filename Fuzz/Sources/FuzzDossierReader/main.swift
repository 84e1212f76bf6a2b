import Foundation
import FuzzDriver
import SeinhuisCore

// The dossier file reader (`Dossier.parse`: the byte-level JSON reader, the duplicate-key scan, Foundation's path
// where the reader declines, and the field checks) on any bytes: never a crash; a refusal names what is wrong; and a
// file it accepts gives dossiers whose canonical JSON (what the store keeps) parses back to the same dossiers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDossierReader(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    do {
        let dossiers = try Dossier.parse(data)
        for d in dossiers {
            let again = try Dossier.parse(d.canonicalJSON)
            precondition(again == [d], "canonical JSON does not round-trip: \(d.canonicalJSON)")
        }
    } catch {
        precondition(!error.description.isEmpty, "a refusal without a message")
    }
    return 0
}

/// The program's entry: SwiftPM links `main` to `FuzzDossierReader_main`; with -parse-as-library Swift emits none, so it is
/// this, handing the command line to libFuzzer.
@_cdecl("FuzzDossierReader_main")
public func fuzzDossierReaderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var argc = argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { fuzzDossierReader($0!, $1) }
}

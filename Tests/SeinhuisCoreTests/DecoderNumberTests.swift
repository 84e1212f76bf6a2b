import Foundation
import Testing

@testable import SeinhuisCore

/// The decoder reads plain decimals without `strtod` (docs/PERFORMANCE.md); it must give the same doubles.
struct DecoderNumberTests {
    func decodeLat(_ text: String) -> Double? {
        let frame =
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00Z","kind":"position","lat":"#
            + text + #","lon":3.7,"acc":5}"#
        guard case .event(let e) = EventDecoder().decode(frame), case .position(let lat, _, _) = e.reading else {
            return nil
        }
        return lat
    }

    @Test func plainDecimalsAreReadExactlyAsStrtodReadsThem() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let digits = Int.random(in: 1...17, using: &rng)
            let fraction = Int.random(in: 0...min(digits, 16), using: &rng)
            var text = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            text = String(text.drop { $0 == "0" })
            if text.count <= fraction { text = String(repeating: "0", count: fraction - text.count + 1) + text }
            if fraction > 0 { text.insert(".", at: text.index(text.endIndex, offsetBy: -fraction)) }
            if Bool.random(using: &rng) { text = "-" + text }
            guard let expected = Double(text), abs(expected) <= 90 else { continue }
            #expect(decodeLat(text)?.bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test func exponentsAndLongMantissasStillDecode() {
        for text in ["5.1e1", "51E0", "0.0000000000000000000000051e25", "51.054312345678901234567", "-0.0", "-1e-5"] {
            #expect(decodeLat(text)?.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
    }

    @Test func everyKindIsRecognisedByItsName() {
        for k in EventKind.allCases {
            let t = "\"\(k.name)\""
            let bytes = Array(t.utf8)
            let found = bytes.withUnsafeBufferPointer { b in
                FrameParser.kind(Token(type: .string, start: 1, end: bytes.count - 1), b)
            }
            #expect(found == k)
        }
        for bad in ["positio", "presenc", "powerx", "Position", "caseX", ""] {
            let bytes = Array("\"\(bad)\"".utf8)
            let found = bytes.withUnsafeBufferPointer { b in
                FrameParser.kind(Token(type: .string, start: 1, end: bytes.count - 1), b)
            }
            #expect(found == nil, "\(bad)")
        }
    }
}

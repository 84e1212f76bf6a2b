import Foundation
import Testing

@testable import SeinhuisCore

/// The hand-written JSON of alerts and timestamps: what any JSON parser reads back is exactly what was written.
@Suite("alert JSON and RFC 3339 timestamps, written byte by byte")
struct JSONWriterTests {
    @Test func timestampsMatchFoundationsFormatterAndParseBack() throws {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        var rng = SystemRandomNumberGenerator()
        // Year 0001 to 9999 (Foundation's formatter is proleptic Gregorian from 1583 on: compare from there).
        let lowest: Int64 = -62_135_596_800_000
        let highest: Int64 = 253_402_300_799_999
        let samples =
            (0..<2000).map { _ in Int64.random(in: lowest...highest, using: &rng) } + [0, -1, highest, lowest]
        for ms in samples {
            let text = Timestamp(milliseconds: ms).rfc3339
            #expect(text.utf8.count == 24)
            #expect(Timestamp(rfc3339: text)?.milliseconds == ms, "\(ms) \(text)")
            if ms >= -12_212_553_600_000 {  // 1583-01-01
                #expect(text == f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)), "\(ms)")
            }
        }
    }

    @Test func yearsOutsideFourDigitsAreStillWritten() {
        #expect(Timestamp(milliseconds: 253_402_300_800_000).rfc3339 == "10000-01-01T00:00:00.000Z")
    }

    @Test func stringsNumbersAndArraysReadBackUnchanged() throws {
        let nasty = [
            "plain", "", "quote \" and backslash \\", "tab\tnew\nline\rreturn", "\u{01}\u{1f}\u{7f}",
            "Brussel – Bruxelles ✓ 🚨", "\u{00}",
        ]
        for s in nasty {
            var o = JSONObjectWriter()
            o.string("s", s)
            o.string("none", nil)
            o.int("i", Int64.min)
            o.int("j", 9_007_199_254_740_993 as Int64)
            o.int("u", UInt64.max)
            o.bool("b", false)
            o.strings("a", [s, "x"])
            o.raw("r", "[1,2]")
            let json = o.finish()
            let back = try #require(
                try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(json)")
            #expect(back["s"] as? String == s)
            #expect(back["none"] is NSNull)
            #expect(json.contains(#""i":-9223372036854775808"#))
            #expect(json.contains(#""j":9007199254740993"#))
            #expect(json.contains(#""u":18446744073709551615"#))
            #expect(back["b"] as? Bool == false)
            #expect(back["a"] as? [String] == [s, "x"])
            #expect(back["r"] as? [Int] == [1, 2])
            #expect(JSONObjectWriter.quoted(s) == String(json.dropFirst(5).prefix(JSONObjectWriter.quoted(s).count)))
        }
    }
}

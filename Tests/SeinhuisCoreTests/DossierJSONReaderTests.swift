import Foundation
import Testing

@testable import SeinhuisCore

/// The byte-level dossier reader against Foundation's `JSONDecoder` (the oracle): the same tree wherever it answers,
/// and a decline (nil) where the two could differ.
@Suite("Dossier: the byte-level JSON reader gives Foundation's tree")
struct DossierJSONReaderTests {
    static func fast(_ text: String) -> JSONValue? {
        Array(text.utf8).withUnsafeBufferPointer { DossierJSONReader.read($0) }
    }

    static func foundation(_ text: String) -> JSONValue? {
        try? Dossier.foundationTree(Data(text.utf8))
    }

    @Test(arguments: ["example", "edge/autumn", "edge/spring"])
    func specDossiersGiveFoundationsTree(_ folder: String) throws {
        let url = SpecReplayTests.spec.appendingPathComponent(folder).appendingPathComponent("dossiers.json")
        let data = try Data(contentsOf: url)
        let text = String(decoding: data, as: UTF8.self)
        let tree = try #require(Self.fast(text))
        #expect(tree == Self.foundation(text))
        // And the parsed dossiers, and their canonical JSON (what the store keeps), agree too.
        let dossiers = try Dossier.parse(data)
        for d in dossiers {
            #expect(Self.fast(d.canonicalJSON) == Self.foundation(d.canonicalJSON), "\(d.id)")
        }
    }

    @Test(arguments: [
        #"{"a": 1, "b": [true, false, null], "c": {"d": "e"}}"#,
        #"  [ ]  "#, #"{}"#, #"[[[]]]"#, #""plain""#, "0", "-0", "-0.0", "12.5e3", "1E-7", "1e+2",
        #"[51.0543, 3.7174, 120, 0.1, 0.30000000000000004, 123456789012345678901234567890, 2.2250738585072014e-308]"#,
        #"[1.7976931348623157e308, 2.2250738585072014e-308, 0e-400, 0.000, 9007199254740993, -12.345678901234567]"#,
        #""caf\u00e9 \u20AC \ud83d\ude00 \n\t\r\b\f \/ \\ \" ""#,
        #""\u0000x""#, #""abc\\""#, "\"Ghent — Gent ☃ 𝄞\"", #"{"k\u0065y": "v"}"#,
        "{\"a\":\n\t1\r\n}",
    ])
    func plainJSONGivesTheSameTree(_ text: String) throws {
        let tree = try #require(Self.fast(text), "declined: \(text)")
        #expect(tree == Self.foundation(text), "\(text)")
    }

    /// Malformed JSON, and JSON where the two could differ: the fast path declines, so Foundation decides.
    @Test(arguments: [
        "", " ", "{", "[1,]", #"{"a":1,}"#, #"{"a" 1}"#, "01", "1.", ".5", "-", "+1", "1e", "NaN", "Infinity",
        "tru", "nul", #""unterminated"#, "\"tab\tinside\"", #""\x""#, #""\u12""#, #""\ud83d""#, #""\ude00x""#,
        #""\ud83d\u0041""#, "1e400", "-1e400", "1e-400", "2e-324", "5e-324", "1e-320", "1.8e308", #"{"a": 1, "a": 2}"#,
        "\u{FEFF}{}", "[1] [2]", "{}x",
        String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
    ])
    func otherInputIsDeclined(_ text: String) {
        #expect(Self.fast(text) == nil, "\(text)")
    }

    @Test func invalidUTF8IsDeclined() {
        for bytes: [UInt8] in [
            [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
        ] {
            #expect(bytes.withUnsafeBufferPointer { DossierJSONReader.read($0) } == nil)
        }
    }

    /// Random trees written as JSON (random numbers, escapes, nesting): both paths read the same tree.
    @Test func randomDocumentsGiveFoundationsTree() throws {
        var rng = SplitMix(seed: 6)
        for _ in 0..<300 {
            let text = Self.randomJSON(&rng, depth: 0)
            let tree = try #require(Self.fast(text), "declined: \(text)")
            #expect(tree == Self.foundation(text), "\(text)")
        }
    }

    static func randomJSON(_ rng: inout SplitMix, depth: Int) -> String {
        let pick = depth > 3 ? rng.next() % 4 : rng.next() % 6
        switch pick {
        case 0: return ["true", "false", "null"][Int(rng.next() % 3)]
        case 1:
            let x = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF | 0x0010_0000_0000_0000)  // finite, normal
            let y = Double(Int64(bitPattern: rng.next()) % 100_000_000) / 1e6
            return rng.next() % 2 == 0 ? "\(x)" : "\(y)"
        case 2, 3:
            let pieces = ["a", "é", "\\u00e9", "\\n", "\\\"", "€", "\\ud834\\udd1e", "𝄞", " ", "\\/", "Z-1"]
            return "\""
                + (0..<Int(rng.next() % 6)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }
                .joined() + "\""
        case 4:
            return "["
                + (0..<Int(rng.next() % 4)).map { _ in randomJSON(&rng, depth: depth + 1) }
                .joined(separator: ", ") + "]"
        default:
            let keys = (0..<Int(rng.next() % 4)).map { "k\($0)" }
            return "{" + keys.map { "\"\($0)\": " + randomJSON(&rng, depth: depth + 1) }.joined(separator: ",") + "}"
        }
    }
}

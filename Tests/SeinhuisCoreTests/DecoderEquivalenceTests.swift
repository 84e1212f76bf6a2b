import Foundation
import Testing

@testable import SeinhuisCore

/// The word-at-a-time decoder (issue 6) against the decoder as it was (`Reference/`): every frame must get the same
/// outcome, the same rejection reason and message (byte offsets included) and the same values, doubles bit for bit.
/// The frames are made to reach each fast path's edges: stop bytes at every offset of an 8-byte word, every one-byte
/// edit and every prefix of typical frames, numbers around the exact-double limits, every byte of a timestamp.
@Suite("Decoder equivalence: the fast paths against the reference decoder")
struct DecoderEquivalenceTests {
    static let decoder = EventDecoder()
    static let reference = ReferenceDecoder()

    static let typical: [String] = [
        #"{"v":1,"device":"TAG-0001","seq":1201,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51.0543,"lon":3.7174,"acc":8.5}"#,
        #"{"v":1,"device":"TAG-0001","seq":1205,"ts":"2026-11-22T09:02:00.000Z","kind":"presence","present":true}"#,
        #"{"v":1,"device":"TAG-0001","seq":1202,"ts":"2026-11-22T09:00:30.000Z","kind":"heartbeat"}"#,
        #"{"v":1,"device":"TAG-0001","seq":1203,"ts":"2026-11-22T09:01:00.000Z","kind":"battery","level":0.42,"charging":false}"#,
        #"{"v":1,"device":"TAG-0001","seq":1204,"ts":"2026-11-22T09:01:30.000Z","kind":"strap","state":"opened"}"#,
        #"{"v":1,"device":"TAG-0001","seq":1206,"ts":"2026-11-22T09:02:30.000Z","kind":"case","state":"closed"}"#,
        #"{"v":1,"device":"TAG-0001","seq":1207,"ts":"2026-11-22T09:03:00.000Z","kind":"gnss","state":"jammed"}"#,
        #"{"v":1,"device":"TAG-0001","seq":1208,"ts":"2026-11-22T09:03:30.000Z","kind":"power","state":"restored"}"#,
        #" { "kind" : "position", "acc": 8.5e0, "fw": {"a": [1, -2.5E-3, {"b": null}]}, "lon": -3.7, "lat": 51, "ts": "2026-11-22T09:00:00+01:30", "seq": 0, "device": "T", "v": 1.0 } "#,
        #"{"v":1,"device":"T_a.b-c","s\u0065q":7,"ts":"2026-11-22t09:00:00.5z","kind":"g\u006Ess","state":"o\u006B","n":"é€😀\"\\\/\b\f\n\r\t"}"#,
    ]

    /// Whether both decoders give the same outcome; doubles compared bit for bit (`-0.0` is not `0.0`).
    static func agree(_ frame: [UInt8]) -> Bool {
        let a = decoder.decode(frame)
        let b = reference.decode(frame)
        guard a == b else { return false }
        if case .event(let x) = a, case .event(let y) = b { return bits(x.reading) == bits(y.reading) }
        return true
    }

    static func bits(_ r: Reading) -> [UInt64] {
        switch r {
        case .position(let lat, let lon, let acc): [lat.bitPattern, lon.bitPattern, acc.bitPattern]
        case .battery(let level, _): [level.bitPattern]
        default: []
        }
    }

    /// The frames on which the decoders disagree, as text (the first few), for the failure message.
    static func disagreements(_ frames: some Sequence<[UInt8]>) -> (count: Int, checked: Int, first: [String]) {
        var count = 0, checked = 0
        var first: [String] = []
        for f in frames {
            checked += 1
            guard !agree(f) else { continue }
            count += 1
            if first.count < 5 {
                first.append(
                    "\(String(decoding: f, as: UTF8.self)): new \(decoder.decode(f)), old \(reference.decode(f))")
            }
        }
        return (count, checked, first)
    }

    @Test func theSpecsFramesDecodeAlike() throws {
        var frames: [[UInt8]] = []
        for folder in ["example", "edge/autumn", "edge/spring"] {
            let url = SpecReplayTests.spec.appendingPathComponent(folder).appendingPathComponent("events.ndjson")
            let data = try Data(contentsOf: url)
            frames += data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Array($0) }
        }
        let r = Self.disagreements(frames)
        #expect(r.checked > 40_000)
        #expect(r.count == 0, "\(r.first)")
    }

    /// Bytes that end a plain run or change a token, and some that do not.
    static let edits: [UInt8] =
        [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xFF]
        + Array("019.-+eE,:{}[]untfNITZz/xK".utf8)

    @Test func everyOneByteEditAndEveryPrefixOfTypicalFramesDecodesAlike() {
        var frames: [[UInt8]] = []
        for text in Self.typical {
            let f = Array(text.utf8)
            for k in 0...f.count {
                frames.append(Array(f[..<k]))
                if k < f.count {
                    var d = f
                    d.remove(at: k)
                    frames.append(d)
                }
                for e in Self.edits {
                    var ins = f
                    ins.insert(e, at: k)
                    frames.append(ins)
                    if k < f.count {
                        var rep = f
                        rep[k] = e
                        frames.append(rep)
                    }
                }
            }
        }
        let r = Self.disagreements(frames)
        #expect(r.count == 0, "\(r.first)")
    }

    /// Pieces of a string value: escapes (good and bad), control, non-ASCII and invalid UTF-8.
    static let specials: [[UInt8]] =
        [
            "\"", "\\", "\\\"", "\\\\", "\\n", "\\u0041", "\\u00e9", "\\u12", "\\x", "\u{01}", "\u{1F}", "\u{7F}", "é",
            "€", "😀", "\u{212A}",
        ].map { Array($0.utf8) } + [
            [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
        ]

    @Test func stringsWithStopBytesAtEveryOffsetOfAWordDecodeAlike() {
        let rest = #","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"strap","state":"#
        var frames: [[UInt8]] = []
        for pad in 0..<8 {
            let p = String(repeating: "p", count: pad)
            // The value's place: an unknown field's value, a key, the device, the state.
            let places: [(String, String)] = [
                (#"{"x":"\#(p)","y":""#, #"","v":1,"device":"TAG-0001"\#(rest)"o"}"#),
                (#"{"x":"\#(p)",""#, #"":1,"v":1,"device":"TAG-0001"\#(rest)"o"}"#),
                (#"{"x":"\#(p)","v":1,"device":""#, #""\#(rest)"o"}"#),
                (#"{"\#(p)":0,"v":1,"device":"T"\#(rest)""#, #""}"#),
            ]
            for length in [0, 1, 6, 7, 8, 9, 15, 16, 17] {
                for at in 0...length {
                    for s in Self.specials {
                        var value = Array(repeating: UInt8(ascii: "a"), count: length)
                        value.insert(contentsOf: s, at: at)
                        for (before, after) in places { frames.append(Array(before.utf8) + value + Array(after.utf8)) }
                    }
                }
            }
        }
        let r = Self.disagreements(frames)
        #expect(r.count == 0, "\(r.first)")
    }

    @Test func numbersAtTheFastPathsEdgesDecodeAlike() {
        var texts = [
            "0", "-0", "0.0", "-0.0", "1.", ".5", "-", "--1", "01", "1e", "1e+", "1e-5", "5.1e1", "51E0", "NaN",
            "Infinity", "-Infinity", "-I", "1.5.", "9007199254740991", "9007199254740992", "9007199254740993",
            "0.9007199254740993", "45.000000000000000000001", "4.5000000000000000000000", "45.0000000000000000000000",
            "12345678901234567890", "1234567890123456789", "0.1234567890123456789", "89.99999999999999",
            "90.00000000000001", "-90", "-90.0000000000000001", "1" + String(repeating: "0", count: 70),
            "0." + String(repeating: "0", count: 22) + "1",
        ]
        var rng = SplitMix(seed: 6)
        for _ in 0..<2000 {
            let digits = Int(rng.next() % 21) + 1
            var t = String((0..<digits).map { _ in Character(String(rng.next() % 10)) })
            let point = Int(rng.next() % UInt64(digits + 1))
            if point < digits { t.insert(".", at: t.index(t.startIndex, offsetBy: point)) }
            if rng.next() % 2 == 0 { t = "-" + t }
            texts.append(t)
        }
        var frames: [[UInt8]] = []
        for t in texts {
            for (lat, seq, v) in [(t, "1", "1"), ("1", t, "1"), ("1", "1", t)] {
                frames.append(
                    Array(
                        #"{"v":\#(v),"device":"T","seq":\#(seq),"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":\#(lat),"lon":3,"acc":\#(t)}"#
                            .utf8))
            }
            frames.append(
                Array(
                    #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"battery","level":\#(t),"charging":true}"#
                        .utf8))
        }
        for s in [
            "18446744073709551615", "18446744073709551616", "9999999999999999999", "10000000000000000000",
            "99999999999999999999", "00000000000000000001", "0000000000000000000", "1844674407370955161a",
        ] {
            frames.append(
                Array(#"{"v":1,"device":"T","seq":\#(s),"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#.utf8))
        }
        let r = Self.disagreements(frames)
        #expect(r.count == 0, "\(r.first)")
    }

    @Test func timestampsWithEveryByteChangedParseAlike() {
        var texts = [
            "2026-11-22T09:00:00.000Z", "2024-02-29T23:59:59.999Z", "2023-02-29T00:00:00.000Z",
            "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "1970-01-01T00:00:00.000Z",
            "2026-04-31T00:00:00.000Z", "2026-11-22T24:00:00.000Z", "2026-11-22T09:60:00.000Z",
        ]
        var rng = SplitMix(seed: 9)
        for _ in 0..<3000 {
            func two(_ n: UInt64) -> String { String(format: "%02d", Int(rng.next() % n)) }
            texts.append(
                String(format: "%04d", Int(rng.next() % 10_000))
                    + "-\(two(14))-\(two(33))T\(two(26)):\(two(61)):\(two(61))."
                    + String(format: "%03d", Int(rng.next() % 1000)) + "Z")
        }
        var mismatches: [String] = []
        func check(_ b: [UInt8]) {
            let new = b.withUnsafeBufferPointer { Timestamp.parse($0) }
            let old = b.withUnsafeBufferPointer { RefTimestamp.parse($0) }
            if new != old, mismatches.count < 5 { mismatches.append(String(decoding: b, as: UTF8.self)) }
        }
        for (n, t) in texts.enumerated() {
            let base = Array(t.utf8)
            check(base)
            guard n < 9 else { continue }
            for k in 0..<base.count {
                for c in 0...255 {
                    var b = base
                    b[k] = UInt8(c)
                    check(b)
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    /// The layout path's fields and the generic parser's, token by token (nil: the layout path declined).
    static func layoutAndGeneric(_ text: String) -> (layout: [String]?, generic: [String]?) {
        func describe(_ f: Fields) -> [String] {
            [f.v, f.device, f.seq, f.ts, f.kind, f.lat, f.lon, f.acc, f.present, f.state, f.level, f.charging].map {
                $0.map { "\($0.type) \($0.start)..<\($0.end) \($0.escaped)" } ?? "-"
            }
        }
        return Array(text.utf8).withUnsafeBufferPointer { b in
            var layout = Fields()
            var p = FrameParser(bytes: b, maxDepth: 32)
            let took = p.parseLayout(into: &layout)
            var generic = Fields()
            var q = FrameParser(bytes: b, maxDepth: 32)
            let parsed = (try? q.parseTopObject(into: &generic)) != nil
            return (took ? describe(layout) : nil, parsed ? describe(generic) : nil)
        }
    }

    @Test func theContractsLayoutTakesTheFastPathWithTheSameTokens() throws {
        for text in Self.typical.prefix(8) {
            let (layout, generic) = Self.layoutAndGeneric(text)
            #expect(layout != nil, "\(text)")
            #expect(layout == generic, "\(text)")
        }
        // Wrong values in the right layout still take it: the validator rejects them as before.
        for text in [
            #"{"v":2,"device":"TAG 1","seq":-1,"ts":"yesterday","kind":"strap","state":"ajar"}"#,
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":"x","lon":null,"acc":{}}"#,
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"gnss","state":"o\u006B"}"#,
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"h\u0065artbeat"}"#,
        ] {
            let (layout, generic) = Self.layoutAndGeneric(text)
            #expect(layout != nil && layout == generic, "\(text)")
        }
        // Another order, spaces, an unknown or escaped key, another kind's field, trailing bytes: the generic parser.
        for text in [
            #"{"device":"T","v":1,"seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#,
            #"{"v": 1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#,
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat","fw":"2.1"}"#,
            #"{"v":1,"device":"T","s\u0065q":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#,
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"strap","present":true}"#,
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"} "#,
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat""#,
        ] {
            #expect(Self.layoutAndGeneric(text).layout == nil, "\(text)")
        }
    }

    @Test func stringStopsFlagsExactlyTheStopBytes() {
        func isStop(_ c: UInt8) -> Bool { c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 }
        func expected(_ w: UInt64) -> UInt64 {
            (0..<8).reduce(0) { m, j in isStop(UInt8(truncatingIfNeeded: w >> (8 * j))) ? m | 0x80 << (8 * j) : m }
        }
        for background: UInt8 in [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7E, 0x61, 0x22, 0x5C, 0x00, 0x1F, 0x80, 0xFF] {
            for j in 0..<8 {
                for c in 0...255 {
                    var bytes = [UInt8](repeating: background, count: 8)
                    bytes[j] = UInt8(c)
                    let w = bytes.withUnsafeBufferPointer { FrameParser.load($0, 0) }
                    #expect(FrameParser.stringStops(w) == expected(w), "\(bytes)")
                }
            }
        }
        var rng = SplitMix(seed: 3)
        for _ in 0..<10_000 {
            let w = rng.next()
            #expect(FrameParser.stringStops(w) == expected(w))
        }
    }

    @Test func deviceIDsAreCheckedAsBeforeWithAnyByteAnywhere() {
        var mismatches: [[UInt8]] = []
        for length in 1...17 {
            for at in 0..<length {
                for c in 0...255 {
                    var id = Array("TAG-01.x_Zz9TAG-01.x_Zz9".utf8.prefix(length))
                    id[at] = UInt8(c)
                    // Word by word inside a frame, and byte by byte at the very end of one.
                    for frame in [Array("\"".utf8) + id + Array("\",\"seq\":1}".utf8), Array("\"".utf8) + id] {
                        let t = Token(type: .string, start: 1, end: 1 + length)
                        let new = frame.withUnsafeBufferPointer { FrameParser.isDeviceID(t, $0) }
                        let old = frame.withUnsafeBufferPointer {
                            RefFrameParser.isDeviceID(RefToken(type: .string, start: 1, end: 1 + length), $0)
                        }
                        if new != old, mismatches.count < 5 { mismatches.append(id) }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func kindsAreRecognisedAsBeforeWithAnyByteAnywhere() {
        var mismatches: [[UInt8]] = []
        for k in EventKind.allCases {
            let name = Array(k.name.utf8)
            for at in 0...name.count {
                for c in 0...255 {
                    var changed = name, longer = name
                    if at < name.count { changed[at] = UInt8(c) }
                    longer.insert(UInt8(c), at: at)
                    for value in [changed, longer, Array(name.prefix(at))] {
                        // Word by word inside a frame, and byte by byte at the very end of one.
                        for frame in [Array("\"".utf8) + value + Array("\"}xxxxxxxx".utf8), Array("\"".utf8) + value] {
                            let end = 1 + value.count
                            let new = frame.withUnsafeBufferPointer {
                                FrameParser.kind(Token(type: .string, start: 1, end: end), $0)
                            }
                            let old = frame.withUnsafeBufferPointer {
                                RefFrameParser.kind(RefToken(type: .string, start: 1, end: end), $0)
                            }
                            if new != old, mismatches.count < 5 { mismatches.append(value) }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func wordsSpellTheirNames() {
        let words: [(String, UInt64)] = [
            ("v", Word.v), ("ts", Word.ts), ("seq", Word.seq), ("lat", Word.lat), ("lon", Word.lon),
            ("acc", Word.acc), ("kind", Word.kind), ("state", Word.state), ("level", Word.level),
            ("device", Word.device), ("present", Word.present), ("charging", Word.charging), ("opened", Word.opened),
            ("closed", Word.closed), ("ok", Word.ok), ("lost", Word.lost), ("jammed", Word.jammed),
            ("restored", Word.restored), ("position", Word.position), ("presence", Word.presence),
            ("strap", Word.strap), ("power", Word.power), ("case", Word.case), ("gnss", Word.gnss),
            ("battery", Word.battery), ("heartbea", Word.heartbea),
        ]
        for (name, word) in words {
            let n = name.utf8.count
            // Near the end of a buffer (byte by byte) and with room for a whole word (one load).
            for tail in [0, 8] {
                let b = Array(name.utf8) + Array(repeating: UInt8(ascii: "x"), count: tail)
                #expect(b.withUnsafeBufferPointer { FrameParser.word($0, at: 0, count: n) } == word, "\(name)")
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON value's place in the frame: its type and, for strings, the bytes between the quotes.
struct Token {
    enum Kind { case string, number, trueValue, falseValue, null, object, array }
    // Offsets first: 18 bytes rather than 25 (`Fields` holds twelve of them).
    var start: Int
    var end: Int
    var type: Kind
    /// The string holds escapes (`\n`, `\u0041`): its raw bytes are not its value.
    var escaped: Bool

    init(type: Kind, start: Int, end: Int, escaped: Bool = false) {
        self.start = start
        self.end = end
        self.type = type
        self.escaped = escaped
    }

    var count: Int { end - start }

    func text(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let raw = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        guard escaped else { return raw }
        return FrameParser.unescape(raw)
    }
}

/// The fields of an event that the decoder knows; everything else is skipped.
struct Fields {
    var v, device, seq, ts, kind, lat, lon, acc, present, state, level, charging: Token?
}

/// A single-pass JSON scanner for one flat event object.
struct FrameParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func malformed(_ what: String) -> Rejection {
        Rejection(.malformedJSON, "\(what) at byte \(i)")
    }

    @inline(__always) mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    mutating func parseTopObject(into f: inout Fields) throws(Rejection) {
        skipSpace()
        guard i < bytes.count else { throw Rejection(.malformedJSON, "empty frame") }
        guard bytes[i] == UInt8(ascii: "{") else {
            throw Rejection(.notAnObject, "an event is a JSON object")
        }
        i += 1
        // Keys seen (`duplicate_key`): a bit per known name, a bit per hash of the others; a bit seen twice is a
        // suspect, checked exactly once the object is read (`firstDuplicateKey`). No allocation on the way.
        var known: UInt16 = 0
        var unknown: UInt64 = 0
        var suspect = false
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw malformed("expected a key") }
                let key = try parseString()
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw malformed("expected ':'") }
                i += 1
                skipSpace()
                let value = try parseValue(depth: 1)
                let mark = assign(key, value, &f)
                if mark < 16 {
                    let bit: UInt16 = 1 &<< UInt16(mark)
                    suspect = suspect || known & bit != 0
                    known |= bit
                } else {
                    let bit: UInt64 = 1 &<< UInt64(mark &- 16)
                    suspect = suspect || unknown & bit != 0
                    unknown |= bit
                }
                skipSpace()
                guard i < bytes.count else { throw malformed("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw malformed("expected ',' or '}'")
            }
        }
        skipSpace()
        guard i == bytes.count else { throw malformed("trailing data") }
        if suspect, let key = Self.firstDuplicateKey(bytes) {
            throw Rejection(.duplicateKey, "key \"\(key.prefix(40))\" appears more than once")
        }
    }

    /// Puts a known field's value in `f`. Returns the key's mark for the duplicate check: a known name's slot
    /// (0-11), else 16 + a 6-bit hash of its (unescaped) bytes.
    @inline(__always) private func assign(_ key: Token, _ value: Token, _ f: inout Fields) -> Int {
        guard !key.escaped else { return assign(key.text(bytes), value, &f) }
        guard key.count <= 8 else { return 16 &+ Self.keyHash(bytes, key.start, key.count) }
        // One word compare per known name (FrameParser+Words.swift), no String.
        switch Self.word(bytes, at: key.start, count: key.count) {
        case Word.v: f.v = value; return 0
        case Word.ts: f.ts = value; return 1
        case Word.seq: f.seq = value; return 2
        case Word.lat: f.lat = value; return 3
        case Word.lon: f.lon = value; return 4
        case Word.acc: f.acc = value; return 5
        case Word.kind: f.kind = value; return 6
        case Word.state: f.state = value; return 7
        case Word.level: f.level = value; return 8
        case Word.device: f.device = value; return 9
        case Word.present: f.present = value; return 10
        case Word.charging: f.charging = value; return 11
        default: return 16 &+ Self.keyHash(bytes, key.start, key.count)
        }
    }

    /// An escaped key (`"s\u0065q"`), unescaped.
    private func assign(_ k: String, _ value: Token, _ f: inout Fields) -> Int {
        switch k {
        case "v": f.v = value; return 0
        case "ts": f.ts = value; return 1
        case "seq": f.seq = value; return 2
        case "lat": f.lat = value; return 3
        case "lon": f.lon = value; return 4
        case "acc": f.acc = value; return 5
        case "kind": f.kind = value; return 6
        case "state": f.state = value; return 7
        case "level": f.level = value; return 8
        case "device": f.device = value; return 9
        case "present": f.present = value; return 10
        case "charging": f.charging = value; return 11
        default:
            var k = k
            return 16 &+ k.withUTF8 { Self.keyHash($0, 0, $0.count) }
        }
    }

    mutating func parseValue(depth: Int) throws(Rejection) -> Token {
        guard i < bytes.count else { throw malformed("expected a value") }
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "\""):
            return try parseString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < maxDepth else { throw malformed("nesting deeper than \(maxDepth)") }
            let start = i
            let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == close {
                i += 1
            } else {
                while true {
                    skipSpace()
                    if close == UInt8(ascii: "}") {
                        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw malformed("expected a key") }
                        _ = try parseString()
                        skipSpace()
                        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw malformed("expected ':'") }
                        i += 1
                        skipSpace()
                    }
                    _ = try parseValue(depth: depth + 1)
                    skipSpace()
                    guard i < bytes.count else { throw malformed("unterminated value") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == close { i += 1; break }
                    throw malformed("expected ',' or closing bracket")
                }
            }
            return Token(type: c == UInt8(ascii: "{") ? .object : .array, start: start, end: i)
        case UInt8(ascii: "t"): return try literal("true", .trueValue)
        case UInt8(ascii: "f"): return try literal("false", .falseValue)
        case UInt8(ascii: "n"): return try literal("null", .null)
        // NaN and Infinity are not JSON, but some encoders write them: read them as numbers so that
        // the range check names the problem (`lat is not a finite number`).
        case UInt8(ascii: "N"): return try literal("NaN", .number)
        case UInt8(ascii: "I"): return try literal("Infinity", .number)
        default:
            return try parseNumber()
        }
    }

    private mutating func literal(_ word: StaticString, _ type: Token.Kind) throws(Rejection) -> Token {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw malformed("bad literal") }
        let p = word.utf8Start
        for k in 0..<n where bytes[i + k] != p[k] { throw malformed("bad literal") }
        let t = Token(type: type, start: i, end: i + n)
        i += n
        return t
    }

    /// Scans a JSON number (RFC 8259 grammar; `-Infinity` too, see `parseValue`).
    @inline(__always) mutating func parseNumber() throws(Rejection) -> Token {
        let start = i
        let n = bytes.count
        var k = i
        @inline(__always) func digitAt(_ k: Int) -> Bool { k < n && bytes[k] &- 48 < 10 }
        if k < n, bytes[k] == UInt8(ascii: "-") {
            k += 1
            if k < n, bytes[k] == UInt8(ascii: "I") {
                i = k
                _ = try literal("Infinity", .number)
                return Token(type: .number, start: start, end: i)
            }
        }
        guard digitAt(k) else { i = k; throw malformed("expected a value") }
        if bytes[k] == 48 {
            k += 1
        } else {
            repeat { k += 1 } while digitAt(k)
        }
        if k < n, bytes[k] == UInt8(ascii: ".") {
            k += 1
            guard digitAt(k) else { i = k; throw malformed("bad number") }
            repeat { k += 1 } while digitAt(k)
        }
        if k < n, bytes[k] | 0x20 == UInt8(ascii: "e") {
            k += 1
            if k < n, bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") { k += 1 }
            guard digitAt(k) else { i = k; throw malformed("bad number") }
            repeat { k += 1 } while digitAt(k)
        }
        i = k
        return Token(type: .number, start: start, end: k)
    }

    /// Scans a string starting at its opening quote; validates escapes and UTF-8. Plain ASCII goes eight bytes at a
    /// time (`stringStops`); a quote, an escape, a control or non-ASCII byte and the frame's last bytes one by one.
    mutating func parseString() throws(Rejection) -> Token {
        let n = bytes.count
        var k = i + 1
        let start = k
        var escaped = false
        while true {
            while k &+ 8 <= n {
                let stops = Self.stringStops(Self.load(bytes, k))
                if stops != 0 {
                    k &+= stops.trailingZeroBitCount &>> 3
                    break
                }
                k &+= 8
            }
            guard k < n else { break }
            let c = bytes[k]
            if c == UInt8(ascii: "\"") {
                i = k + 1
                return Token(type: .string, start: start, end: k, escaped: escaped)
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                k += 1
                guard k < n else { break }
                switch bytes[k] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    k += 1
                case UInt8(ascii: "u"):
                    guard k + 4 < n else { i = k; throw malformed("bad \\u escape") }
                    for j in 1...4 where !Self.isHex(bytes[k + j]) { i = k; throw malformed("bad \\u escape") }
                    k += 5
                default:
                    i = k
                    throw malformed("bad escape")
                }
                continue
            }
            if c < 0x20 { i = k; throw malformed("control character in string") }
            if c < 0x80 { k += 1; continue }
            k = try utf8Sequence(at: k)
        }
        i = n
        throw malformed("unterminated string")
    }

    /// Validates one multi-byte UTF-8 sequence; returns the index after it.
    private func utf8Sequence(at k: Int) throws(Rejection) -> Int {
        guard let next = Self.utf8SequenceEnd(bytes, at: k) else {
            throw Rejection(.malformedJSON, "invalid UTF-8 at byte \(k)")
        }
        return next
    }

    /// The index after the well-formed multi-byte UTF-8 sequence that starts at `k` (RFC 3629: no overlongs, no
    /// surrogates, nothing above U+10FFFF), or nil. Shared with the dossier reader.
    static func utf8SequenceEnd(_ b: UnsafeBufferPointer<UInt8>, at k: Int) -> Int? {
        let n: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b[k] {
        case 0xC2...0xDF: n = 1
        case 0xE0: n = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: n = 2
        case 0xED: n = 2; hi = 0x9F
        case 0xF0: n = 3; lo = 0x90
        case 0xF1...0xF3: n = 3
        case 0xF4: n = 3; hi = 0x8F
        default: return nil
        }
        guard k + n < b.count, b[k + 1] >= lo, b[k + 1] <= hi else { return nil }
        if n > 1 { for j in 2...n where b[k + j] & 0xC0 != 0x80 { return nil } }
        return k + n + 1
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 102)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON value's place in the frame: its type and, for strings, the bytes between the quotes.
struct Token {
    enum Kind { case string, number, trueValue, falseValue, null, object, array }
    var type: Kind
    var start: Int
    var end: Int
    /// The string holds escapes (`\n`, `\u0041`): its raw bytes are not its value.
    var escaped = false

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

    @inline(__always) private mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    mutating func parseTopObject() throws(Rejection) -> Fields {
        skipSpace()
        guard i < bytes.count else { throw Rejection(.malformedJSON, "empty frame") }
        guard bytes[i] == UInt8(ascii: "{") else {
            throw Rejection(.notAnObject, "an event is a JSON object")
        }
        i += 1
        var f = Fields()
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
                assign(key, value, &f)
                skipSpace()
                guard i < bytes.count else { throw malformed("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw malformed("expected ',' or '}'")
            }
        }
        skipSpace()
        guard i == bytes.count else { throw malformed("trailing data") }
        return f
    }

    private func assign(_ key: Token, _ value: Token, _ f: inout Fields) {
        let k: String
        if key.escaped {
            k = key.text(bytes)
        } else {
            // Fast path: compare raw key bytes without building a String.
            switch key.count {
            case 1: if bytes[key.start] == UInt8(ascii: "v") { f.v = value }; return
            case 2: if eq(key, "ts") { f.ts = value }; return
            case 3:
                if eq(key, "seq") {
                    f.seq = value
                } else if eq(key, "lat") {
                    f.lat = value
                } else if eq(key, "lon") {
                    f.lon = value
                } else if eq(key, "acc") {
                    f.acc = value
                }
                return
            case 4: if eq(key, "kind") { f.kind = value }; return
            case 5: if eq(key, "state") { f.state = value } else if eq(key, "level") { f.level = value }; return
            case 6: if eq(key, "device") { f.device = value }; return
            case 7: if eq(key, "present") { f.present = value }; return
            case 8: if eq(key, "charging") { f.charging = value }; return
            default: return
            }
        }
        switch k {
        case "v": f.v = value
        case "ts": f.ts = value
        case "seq": f.seq = value
        case "lat": f.lat = value
        case "lon": f.lon = value
        case "acc": f.acc = value
        case "kind": f.kind = value
        case "state": f.state = value
        case "level": f.level = value
        case "device": f.device = value
        case "present": f.present = value
        case "charging": f.charging = value
        default: break
        }
    }

    @inline(__always) private func eq(_ t: Token, _ s: StaticString) -> Bool {
        guard t.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for k in 0..<t.count where bytes[t.start + k] != p[k] { return false }
        return true
    }

    private mutating func parseValue(depth: Int) throws(Rejection) -> Token {
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

    private mutating func parseNumber() throws(Rejection) -> Token {
        let start = i
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "I") {
                _ = try literal("Infinity", .number)
                return Token(type: .number, start: start, end: i)
            }
        }
        guard i < bytes.count, isDigit(bytes[i]) else { throw malformed("expected a value") }
        if bytes[i] == 48 {
            i += 1
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw malformed("bad number") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw malformed("bad number") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        return Token(type: .number, start: start, end: i)
    }

    /// Scans a string starting at its opening quote; validates escapes and UTF-8.
    private mutating func parseString() throws(Rejection) -> Token {
        i += 1
        let start = i
        var escaped = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let t = Token(type: .string, start: start, end: i, escaped: escaped)
                i += 1
                return t
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    guard i + 4 < bytes.count else { throw malformed("bad \\u escape") }
                    for k in 1...4 where !Self.isHex(bytes[i + k]) { throw malformed("bad \\u escape") }
                    i += 5
                default:
                    throw malformed("bad escape")
                }
                continue
            }
            if c < 0x20 { throw malformed("control character in string") }
            if c < 0x80 { i += 1; continue }
            i = try utf8Sequence(at: i)
        }
        throw malformed("unterminated string")
    }

    /// Validates one multi-byte UTF-8 sequence; returns the index after it.
    private func utf8Sequence(at k: Int) throws(Rejection) -> Int {
        let c = bytes[k]
        let n: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: n = 1
        case 0xE0: n = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: n = 2
        case 0xED: n = 2; hi = 0x9F
        case 0xF0: n = 3; lo = 0x90
        case 0xF1...0xF3: n = 3
        case 0xF4: n = 3; hi = 0x8F
        default: throw Rejection(.malformedJSON, "invalid UTF-8 at byte \(k)")
        }
        guard k + n < bytes.count else { throw Rejection(.malformedJSON, "invalid UTF-8 at byte \(k)") }
        let first = bytes[k + 1]
        guard first >= lo, first <= hi else { throw Rejection(.malformedJSON, "invalid UTF-8 at byte \(k)") }
        if n > 1 {
            for j in 2...n where bytes[k + j] & 0xC0 != 0x80 {
                throw Rejection(.malformedJSON, "invalid UTF-8 at byte \(k)")
            }
        }
        return k + n + 1
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c | 0x20 >= 97 && c | 0x20 <= 102)
    }

    // MARK: value readers used by the validator

    static func isDeviceID(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in t.start..<t.end {
            let c = b[k]
            let ok =
                (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
            if !ok { return false }
        }
        return true
    }

    static func isIntegerLiteral(_ t: Token, _ b: UnsafeBufferPointer<UInt8>, equalTo value: Int) -> Bool {
        double(t, b) == Double(value) && !(t.count == 3 && b[t.start] == UInt8(ascii: "N"))
    }

    /// A `seq`: a non-negative integer literal that fits 64 bits.
    static func uint64(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> UInt64 {
        var v: UInt64 = 0
        if b[t.start] == UInt8(ascii: "-") {
            throw Rejection(.outOfRange, "seq must not be negative")
        }
        for k in t.start..<t.end {
            let c = b[k]
            guard c >= 48, c <= 57 else { throw Rejection(.wrongType, "seq must be an integer") }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(c - 48))
            guard !o1, !o2 else { throw Rejection(.outOfRange, "seq exceeds 2^64-1") }
            v = s
        }
        return v
    }

    static func double(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        if let x = fastDouble(t, b) { return x }
        let n = t.count
        if n == 3, b[t.start] == UInt8(ascii: "N") { return .nan }
        // strtod needs a NUL-terminated buffer; numbers are short, so copy to the stack.
        guard n < 64 else { return .nan }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n { buf[k] = CChar(bitPattern: b[t.start + k]) }
            buf[n] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }

    /// Exact powers of ten as doubles (10^22 is the largest that is exact).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// The common case without `strtod`: a plain decimal (`-12.345`, no exponent) whose digits fit 2^53. The digits
    /// as an integer and the power of ten are both exact doubles, so one division rounds correctly (Clinger's fast
    /// path): the same result as `strtod`. Anything else returns nil.
    @inline(__always) static func fastDouble(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = t.start
        let end = t.end
        guard i < end else { return nil }
        let negative = b[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var seenPoint = false
        while i < end {
            let c = b[i]
            if c >= 48 && c <= 57 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 48)
                digits += 1
                if seenPoint { fraction += 1 }
            } else if c == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                return nil  // an exponent, NaN, Infinity: strtod
            }
            i += 1
        }
        guard digits > 0, digits <= 19, mantissa < (1 << 53), fraction <= 22 else { return nil }
        let x = Double(mantissa) / powersOfTen[fraction]
        return negative ? -x : x
    }

    static func kind(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> EventKind? {
        guard !t.escaped else { return EventKind(name: t.text(b)) }
        let p = UnsafeBufferPointer(rebasing: b[t.start..<t.end])
        // By length and first byte, then one comparison (no walk over every kind's name).
        let k: EventKind
        switch (p.count, p.first) {
        case (8, UInt8(ascii: "p")?): k = .position  // or presence: see below
        case (5, UInt8(ascii: "s")?): k = .strap
        case (4, UInt8(ascii: "c")?): k = .case
        case (7, UInt8(ascii: "b")?): k = .battery
        case (4, UInt8(ascii: "g")?): k = .gnss
        case (5, UInt8(ascii: "p")?): k = .power
        case (9, UInt8(ascii: "h")?): k = .heartbeat
        default: return nil
        }
        if p.elementsEqual(k.name.utf8) { return k }
        return k == .position && p.elementsEqual(EventKind.presence.name.utf8) ? .presence : nil
    }

    /// Decodes JSON escapes (the slow path: only strings that contain a backslash).
    static func unescape(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        var it = raw.unicodeScalars.makeIterator()
        while let c = it.next() {
            guard c == "\\", let e = it.next() else { out.append(c); continue }
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "u":
                var hex = ""
                for _ in 0..<4 { if let h = it.next() { hex.unicodeScalars.append(h) } }
                if let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) {
                    out.append(s)
                } else {
                    out.append("\u{FFFD}")
                }
            default: out.append(e)
            }
        }
        return String(out)
    }
}

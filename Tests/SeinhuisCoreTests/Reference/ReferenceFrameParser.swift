// The event decoder as it was before the word-at-a-time rewrite (issue 6), frozen as the oracle of
// DecoderEquivalenceTests: the new decoder must accept, reject (same reason, same message) and decode (same bits)
// every frame exactly as this one. Do not "fix" or speed up this copy; it is meant to stay as it was.

@testable import SeinhuisCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON value's place in the frame: its type and, for strings, the bytes between the quotes.
struct RefToken {
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
        return RefFrameParser.unescape(raw)
    }
}

/// The fields of an event that the decoder knows; everything else is skipped.
struct RefFields {
    var v, device, seq, ts, kind, lat, lon, acc, present, state, level, charging: RefToken?
}

/// A single-pass JSON scanner for one flat event object.
struct RefFrameParser {
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

    mutating func parseTopObject() throws(Rejection) -> RefFields {
        skipSpace()
        guard i < bytes.count else { throw Rejection(.malformedJSON, "empty frame") }
        guard bytes[i] == UInt8(ascii: "{") else {
            throw Rejection(.notAnObject, "an event is a JSON object")
        }
        i += 1
        var f = RefFields()
        // Issue 16's duplicate_key, plainly: every top-level key's unescaped bytes in a set.
        var seen = Set<[UInt8]>()
        var duplicate: String?
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
                let name = key.escaped ? Array(key.text(bytes).utf8) : Array(bytes[key.start..<key.end])
                if !seen.insert(name).inserted, duplicate == nil { duplicate = String(decoding: name, as: UTF8.self) }
                skipSpace()
                guard i < bytes.count else { throw malformed("unterminated object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw malformed("expected ',' or '}'")
            }
        }
        skipSpace()
        guard i == bytes.count else { throw malformed("trailing data") }
        if let duplicate { throw Rejection(.duplicateKey, "key \"\(duplicate.prefix(40))\" appears more than once") }
        return f
    }

    private func assign(_ key: RefToken, _ value: RefToken, _ f: inout RefFields) {
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

    @inline(__always) private func eq(_ t: RefToken, _ s: StaticString) -> Bool {
        guard t.count == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for k in 0..<t.count where bytes[t.start + k] != p[k] { return false }
        return true
    }

    private mutating func parseValue(depth: Int) throws(Rejection) -> RefToken {
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
            return RefToken(type: c == UInt8(ascii: "{") ? .object : .array, start: start, end: i)
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

    private mutating func literal(_ word: StaticString, _ type: RefToken.Kind) throws(Rejection) -> RefToken {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { throw malformed("bad literal") }
        let p = word.utf8Start
        for k in 0..<n where bytes[i + k] != p[k] { throw malformed("bad literal") }
        let t = RefToken(type: type, start: i, end: i + n)
        i += n
        return t
    }

    private mutating func parseNumber() throws(Rejection) -> RefToken {
        let start = i
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "I") {
                _ = try literal("Infinity", .number)
                return RefToken(type: .number, start: start, end: i)
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
        return RefToken(type: .number, start: start, end: i)
    }

    /// Scans a string starting at its opening quote; validates escapes and UTF-8.
    private mutating func parseString() throws(Rejection) -> RefToken {
        i += 1
        let start = i
        var escaped = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let t = RefToken(type: .string, start: start, end: i, escaped: escaped)
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

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The contract's own layout (PROTOCOL 2: `{"v":1,"device":…,"seq":…,"ts":…,"kind":…,` then the kind's fields in the
/// table's order, no spaces): what the simulator, `DeviceEvent.json` and gateways send. Its keys and punctuation are
/// compared as literals, and each value is read by `parseValue` exactly as `parseTopObject` reads it, so the fields
/// are the same tokens. Anything else (another order, spaces, escaped or unknown keys, a bad value) gives nil, and
/// `parseTopObject` reads the frame from its first byte, with its errors and their messages.
extension FrameParser {
    /// The fields of the frame, by layout if it has the contract's, else by `parseTopObject`. (Into `f`: `Fields` is
    /// some 300 bytes, and returning it cost a copy or two.)
    mutating func parseEvent(into f: inout Fields) throws(Rejection) {
        if parseLayout(into: &f) { return }
        i = 0
        f = Fields()
        try parseTopObject(into: &f)
    }

    /// Whether the frame has the contract's layout; if so, its fields are in `f`.
    mutating func parseLayout(into f: inout Fields) -> Bool {
        do throws(Rejection) {
            guard expect(#"{"v":"#) else { return false }
            f.v = try numberValue()
            guard expect(#","device":"#) else { return false }
            f.device = try stringValue()
            guard expect(#","seq":"#) else { return false }
            f.seq = try numberValue()
            guard expect(#","ts":"#) else { return false }
            f.ts = try stringValue()
            guard expect(#","kind":"#) else { return false }
            let kind = try stringValue()
            f.kind = kind
            switch kind.type == .string ? Self.kind(kind, bytes) : nil {
            case .position?:
                guard expect(#","lat":"#) else { return false }
                f.lat = try numberValue()
                guard expect(#","lon":"#) else { return false }
                f.lon = try numberValue()
                guard expect(#","acc":"#) else { return false }
                f.acc = try numberValue()
            case .presence?:
                guard expect(#","present":"#) else { return false }
                f.present = try parseValue(depth: 1)
            case .battery?:
                guard expect(#","level":"#) else { return false }
                f.level = try numberValue()
                guard expect(#","charging":"#) else { return false }
                f.charging = try parseValue(depth: 1)
            case .strap?, .case?, .gnss?, .power?:
                guard expect(#","state":"#) else { return false }
                f.state = try stringValue()
            case .heartbeat?:
                break
            case nil:
                return false
            }
            return expect("}") && i == bytes.count
        } catch {
            return false
        }
    }

    /// The value at `i`, where a string is expected: `parseValue` without its dispatch, and a plain string (ASCII,
    /// no escape, not at the frame's very end) scanned inline; `parseString` reads any other from its quote.
    @inline(__always) private mutating func stringValue() throws(Rejection) -> Token {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return try parseValue(depth: 1) }
        var k = i &+ 1
        while k &+ 8 <= bytes.count {
            let stops = Self.stringStops(Self.load(bytes, k))
            if stops != 0 {
                k &+= stops.trailingZeroBitCount &>> 3
                guard bytes[k] == UInt8(ascii: "\"") else { break }
                let t = Token(type: .string, start: i &+ 1, end: k)
                i = k &+ 1
                return t
            }
            k &+= 8
        }
        return try parseString()
    }

    /// The value at `i`, where a number is expected: `parseValue` without its dispatch.
    @inline(__always) private mutating func numberValue() throws(Rejection) -> Token {
        i < bytes.count && bytes[i] &- 48 < 10 ? try parseNumber() : try parseValue(depth: 1)
    }

    /// Whether the frame continues with `s` at `i`; if so, steps over it. (A memcmp of constant length: the compiler
    /// turns it into a word compare or two.)
    @inline(__always) private mutating func expect(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= bytes.count, memcmp(bytes.baseAddress! + i, s.utf8Start, n) == 0 else { return false }
        i += n
        return true
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The value readers the event validator applies to the parser's tokens: device ids, integers, numbers (with an exact
/// fast path before `strtod`), event kinds and string unescaping. Split from the scanner itself (FrameParser.swift).
extension FrameParser {

    /// `[A-Za-z0-9._-]`, eight bytes at a time (`deviceBytes`); the last bytes of a frame one by one.
    static func isDeviceID(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = t.start
        while k &+ 8 <= t.end {
            guard deviceBytes(load(b, k)) == ones &* 0x80 else { return false }
            k &+= 8
        }
        guard k < t.end else { return true }
        if k &+ 8 <= b.count {
            // The rest in one word too; the bytes past the token count as good.
            let past = ~((1 &<< UInt64((t.end &- k) &* 8)) &- 1) & (ones &* 0x80)
            return deviceBytes(load(b, k)) | past == ones &* 0x80
        }
        for j in k..<t.end {
            let c = b[j]
            let ok =
                (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
            if !ok { return false }
        }
        return true
    }

    /// 0x80 in every byte of `w` that may be in a device id (`[A-Za-z0-9._-]`), 0 in the others. Each range test
    /// works on the low seven bits, where no sum passes 0xFF; a byte >= 0x80 is never good.
    @inline(__always) static func deviceBytes(_ w: UInt64) -> UInt64 {
        let high = ones &* 0x80
        let x = w & (ones &* 0x7F)
        @inline(__always) func within(_ x: UInt64, _ lo: UInt64, _ hi: UInt64) -> UInt64 {
            (x &+ ones &* (0x80 - lo)) & ~(x &+ ones &* (0x7F - hi)) & high
        }
        // Letters of either case: `| 0x20` maps A-Z onto a-z, and nothing else onto them.
        let good =
            within(x, 0x30, 0x39) | within(x | ones &* 0x20, 0x61, 0x7A) | within(x, 0x2D, 0x2E) | within(x, 0x5F, 0x5F)
        return good & ~w
    }

    static func isIntegerLiteral(_ t: Token, _ b: UnsafeBufferPointer<UInt8>, equalTo value: Int) -> Bool {
        // `1`, the only version there is, without the conversion.
        if t.count == 1, value >= 0, value <= 9 { return b[t.start] == UInt8(truncatingIfNeeded: 48 + value) }
        return double(t, b) == Double(value) && !(t.count == 3 && b[t.start] == UInt8(ascii: "N"))
    }

    /// A `seq`: a non-negative integer literal that fits 64 bits.
    static func uint64(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> UInt64 {
        if b[t.start] == UInt8(ascii: "-") {
            throw Rejection(.outOfRange, "seq must not be negative")
        }
        var v: UInt64 = 0
        if t.count <= 19 {
            // At most 19 digits: below 10^19, no overflow to check.
            for k in t.start..<t.end {
                let d = b[k] &- 48
                guard d < 10 else { throw Rejection(.wrongType, "seq must be an integer") }
                v = v &* 10 &+ UInt64(d)
            }
            return v
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
        // Integer digits, then fraction digits, in one pass (overflow past 19 digits is caught by the count).
        var mantissa: UInt64 = 0
        let first = i
        while i < end, case let d = b[i] &- 48, d < 10 {
            mantissa = mantissa &* 10 &+ UInt64(d)
            i += 1
        }
        var digits = i - first
        var fraction = 0
        if i < end, b[i] == UInt8(ascii: ".") {
            i += 1
            let point = i
            while i < end, case let d = b[i] &- 48, d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                i += 1
            }
            fraction = i - point
            digits += fraction
        }
        guard i == end else { return nil }  // an exponent, NaN, Infinity: strtod
        guard digits > 0, digits <= 19, mantissa < (1 << 53), fraction <= 22 else { return nil }
        let x = Double(mantissa) / powersOfTen[fraction]
        return negative ? -x : x
    }

    static func kind(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> EventKind? {
        guard !t.escaped else { return EventKind(name: t.text(b)) }
        // By length, then a word compare or two (no memcmp, no walk over every kind's name).
        let n = t.count
        guard n >= 4, n <= 9 else { return nil }
        let w = word(b, at: t.start, count: min(n, 8))
        switch n {
        case 4: return w == Word.case ? .case : w == Word.gnss ? .gnss : nil
        case 5: return w == Word.strap ? .strap : w == Word.power ? .power : nil
        case 7: return w == Word.battery ? .battery : nil
        case 8: return w == Word.position ? .position : w == Word.presence ? .presence : nil
        case 9: return w == Word.heartbea && b[t.start + 8] == UInt8(ascii: "t") ? .heartbeat : nil
        default: return nil
        }
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

/// Writes one JSON object by hand: exact field order and no Foundation on the publishing path. Bytes are appended to
/// one buffer (no String per field), so an alert's JSON costs one allocation and a copy.
public struct JSONObjectWriter {
    private var out: [UInt8] = []
    private var first = true

    public init() {
        out.reserveCapacity(320)
        out.append(UInt8(ascii: "{"))
    }

    @inline(__always) private mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private mutating func key(_ k: String) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: k.utf8)
        append("\":")
    }

    public mutating func string(_ k: String, _ v: String?) {
        key(k)
        if let v { JSONObjectWriter.appendQuoted(v, to: &out) } else { append("null") }
    }
    public mutating func int<I: BinaryInteger>(_ k: String, _ v: I) {
        key(k)
        if let small = Int64(exactly: v) {
            JSONObjectWriter.appendDecimal(small, to: &out)
        } else {
            out.append(contentsOf: String(v).utf8)
        }
    }
    public mutating func double(_ k: String, _ v: Double) {
        key(k)
        if v.isFinite { out.append(contentsOf: String(v).utf8) } else { append("null") }
    }
    public mutating func bool(_ k: String, _ v: Bool) {
        key(k)
        if v { append("true") } else { append("false") }
    }
    public mutating func strings(_ k: String, _ vs: [String]) {
        key(k)
        out.append(UInt8(ascii: "["))
        for (i, v) in vs.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONObjectWriter.appendQuoted(v, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
    /// Inserts already-encoded JSON.
    public mutating func raw(_ k: String, _ json: String) {
        key(k)
        out.append(contentsOf: json.utf8)
    }

    public mutating func finish() -> String {
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    public static func quoted(_ s: String) -> String {
        var o: [UInt8] = []
        appendQuoted(s, to: &o)
        return String(decoding: o, as: UTF8.self)
    }

    public static func appendQuoted(_ s: String, to out: inout String) {
        out += quoted(s)
    }

    /// `s` as a JSON string: `"` and `\` escaped, control characters as \n, \r, \t or \u00XX; everything else as is
    /// (UTF-8 passes through: only bytes below 0x20 and the two ASCII specials need escaping).
    public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)],
                ])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A decimal integer without a String in between.
    static func appendDecimal(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = UInt8(truncatingIfNeeded: m % 10) + 48
                m /= 10
                n += 1
            } while m > 0
            out.append(contentsOf: d[(20 - n)...])
        }
    }
}

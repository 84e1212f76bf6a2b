/// A byte-level reader of plain JSON into a `JSONValue` tree: the fast path of `Dossier.parse` (Foundation's
/// `JSONDecoder` took about 250 µs per dossier, 2.5 s for the 10k dossiers a replay loads).
///
/// It gives the same tree as `JSONDecoder` by declining everything where the two could differ: on anything but
/// plain, well-formed UTF-8 JSON (a duplicate key, a number that is not finite or normal as a `Double` (zero is), a lone surrogate
/// escape, a byte-order mark, nesting deeper than 64) it returns nil, and `Dossier.parse` takes Foundation's path,
/// which also words the errors. The canonical JSON the store keeps never needs the slow path.
struct DossierJSONReader {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private static let maxDepth = 64

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// The tree of `bytes`, or nil if the fast path declines (see the type's note).
    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        var r = DossierJSONReader(bytes)
        r.skipSpace()
        guard let v = r.value(depth: 0) else { return nil }
        r.skipSpace()
        return r.i == bytes.count ? v : nil
    }

    @inline(__always) private mutating func skipSpace() {
        while i < b.count {
            let c = b[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    private mutating func value(depth: Int) -> JSONValue? {
        guard i < b.count, depth < Self.maxDepth else { return nil }
        switch b[i] {
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "{"): return object(depth: depth)
        case UInt8(ascii: "["): return array(depth: depth)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return number().map(JSONValue.number)
        }
    }

    private mutating func object(depth: Int) -> JSONValue? {
        i += 1
        var out: [String: JSONValue] = [:]
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            return .object(out)
        }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\""), let key = string() else { return nil }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard let v = value(depth: depth + 1) else { return nil }
            // A duplicate key: which one JSONDecoder keeps is its business, so let it decide.
            guard out.updateValue(v, forKey: key) == nil else { return nil }
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "}") else { return nil }
            i += 1
            return .object(out)
        }
    }

    private mutating func array(depth: Int) -> JSONValue? {
        i += 1
        var out: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            return .array(out)
        }
        while true {
            skipSpace()
            guard let v = value(depth: depth + 1) else { return nil }
            out.append(v)
            skipSpace()
            guard i < b.count else { return nil }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "]") else { return nil }
            i += 1
            return .array(out)
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        let p = word.utf8Start
        for k in 0..<n where b[i + k] != p[k] { return false }
        i += n
        return true
    }

    /// A JSON number (RFC 8259 grammar) as the nearest `Double`; nil if malformed or not finite.
    private mutating func number() -> Double? {
        let start = i
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return nil }
        if b[i] == 48 {
            i += 1
        } else {
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { return nil }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { return nil }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        let t = Token(type: .number, start: start, end: i)
        // Clinger's exact fast path for plain decimals, else Swift's correctly rounded conversion.
        let x =
            FrameParser.fastDouble(t, b)
            ?? Double(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        guard let x, x.isFinite else { return nil }
        // Foundation rejects a number that underflows to zero: decline it, and subnormals with it.
        guard x == 0 ? !hasNonZeroDigit(start..<i) : abs(x) >= Double.leastNormalMagnitude else { return nil }
        return x
    }

    /// Whether the number's digits before any exponent hold a 1-9.
    private func hasNonZeroDigit(_ r: Range<Int>) -> Bool {
        for k in r {
            let c = b[k]
            if c | 0x20 == UInt8(ascii: "e") { return false }
            if c >= 49 && c <= 57 { return true }
        }
        return false
    }

    /// A string starting at its opening quote: validated UTF-8, escapes decoded (surrogate pairs joined).
    private mutating func string() -> String? {
        i += 1
        let start = i
        // The common case: no escapes, ASCII or valid UTF-8, taken as is.
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { return nil }
            if c < 0x80 {
                i += 1
                continue
            }
            guard let next = utf8Sequence(at: i) else { return nil }
            i = next
        }
        guard i < b.count else { return nil }
        var out = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if c < 0x20 { return nil }
            if c >= 0x80 {
                guard let next = utf8Sequence(at: i) else { return nil }
                out.append(contentsOf: b[i..<next])
                i = next
                continue
            }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < b.count else { return nil }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var v = hex4() else { return nil }
                if v >= 0xD800, v <= 0xDBFF {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                        return nil
                    }
                    i += 2
                    guard let low = hex4(), low >= 0xDC00, low <= 0xDFFF else { return nil }
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                } else if v >= 0xDC00, v <= 0xDFFF {
                    return nil
                }
                guard let scalar = Unicode.Scalar(v) else { return nil }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default: return nil
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: return nil
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }

    /// Validates one multi-byte UTF-8 sequence at `k`; returns the index after it, nil if invalid.
    private func utf8Sequence(at k: Int) -> Int? { FrameParser.utf8SequenceEnd(b, at: k) }
}

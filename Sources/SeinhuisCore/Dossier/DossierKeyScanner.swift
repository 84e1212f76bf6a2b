/// Finds a repeated key anywhere in a dossier file (1.1: a file with a duplicate key is refused, naming where).
///
/// `DossierJSONReader` declines a duplicate key; before Foundation's path (which would keep the last one silently)
/// reads the file, this lenient scan looks for one. It reads only the structure: strings unescaped (a lone surrogate
/// as U+FFFD), other scalars skipped, a byte-order mark allowed; keys compared as Swift strings, as the tree's
/// dictionaries compare them. It stops, finding nothing, at the first syntax error (Foundation then words it).
struct DossierKeyScanner {
    enum Part: Equatable { case key(String), index(Int) }
    private enum Stop: Error { case syntax, duplicate([Part], id: String?) }

    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var path: [Part] = []
    /// The `id` of the dossier being read, once read (so the error can name it as the other errors do).
    private var dossierID: String?
    private static let maxDepth = 512

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// The error for the first key that repeats an earlier key of its object, or nil if there is none.
    static func firstDuplicate(_ bytes: UnsafeBufferPointer<UInt8>) -> DossierError? {
        var s = DossierKeyScanner(bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { s.i = 3 }
        do {
            try s.value(depth: 0)
        } catch Stop.duplicate(let path, let id) {
            return error(path, id: id)
        } catch {
            return nil
        }
        return nil
    }

    /// The error for a duplicate at `path` (the repeated key last): the dossier by its id if read before, else by its
    /// position in the file; the field's path in it.
    static func error(_ path: [Part], id: String?) -> DossierError {
        var parts = path[...]
        var dossier = "#1"
        if case .index(let n)? = parts.first {
            dossier = "#\(n + 1)"
            parts = parts.dropFirst()
        }
        if let id, !id.isEmpty { dossier = id }
        var text = ""
        for p in parts {
            switch p {
            case .key(let k): text += text.isEmpty ? k : "." + k
            case .index(let n): text += "[\(n)]"
            }
        }
        return DossierError(dossier: dossier, path: text, message: "a duplicate key (it appears more than once)")
    }

    /// Whether the object being read is a dossier: the file's root, or an element of the root array.
    private var isDossierLevel: Bool {
        if path.isEmpty { return true }
        if path.count == 1, case .index = path[0] { return true }
        return false
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws {
        skipSpace()
        guard i < b.count, depth < Self.maxDepth else { throw Stop.syntax }
        switch b[i] {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"): try object(depth: depth)
        case UInt8(ascii: "["): try array(depth: depth)
        default:
            let start = i
            while i < b.count, !Self.ends(b[i]) { i += 1 }
            guard i > start else { throw Stop.syntax }
        }
    }

    private static func ends(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == 0x20 || c == 0x0A
            || c == 0x0D || c == 0x09
    }

    private mutating func object(depth: Int) throws {
        i += 1
        var seen = Set<String>()
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            return
        }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Stop.syntax }
            let key = try string()
            guard seen.insert(key).inserted else { throw Stop.duplicate(path + [.key(key)], id: dossierID) }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw Stop.syntax }
            i += 1
            skipSpace()
            if isDossierLevel, key == "id", i < b.count, b[i] == UInt8(ascii: "\"") {
                dossierID = try string()
            } else {
                path.append(.key(key))
                try value(depth: depth + 1)
                path.removeLast()
            }
            guard try next(UInt8(ascii: "}")) else { return }
        }
    }

    private mutating func array(depth: Int) throws {
        i += 1
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            return
        }
        var n = 0
        while true {
            if path.isEmpty { dossierID = nil }
            path.append(.index(n))
            try value(depth: depth + 1)
            path.removeLast()
            n += 1
            guard try next(UInt8(ascii: "]")) else { return }
        }
    }

    /// After a member: true on `,` (another follows), false on `close` (stepped over).
    private mutating func next(_ close: UInt8) throws -> Bool {
        skipSpace()
        guard i < b.count else { throw Stop.syntax }
        let c = b[i]
        i += 1
        if c == UInt8(ascii: ",") { return true }
        guard c == close else { throw Stop.syntax }
        return false
    }

    /// A string from its opening quote, unescaped.
    private mutating func string() throws -> String {
        i += 1
        var out: [UInt8] = []
        var pendingHigh: UInt32?
        func scalar(_ v: UInt32, _ out: inout [UInt8]) {
            out.append(contentsOf: String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
        }
        while i < b.count {
            let c = b[i]
            i += 1
            if c == UInt8(ascii: "\"") {
                if pendingHigh != nil { scalar(0xFFFD, &out) }
                return String(decoding: out, as: UTF8.self)
            }
            guard c == UInt8(ascii: "\\") else {
                if pendingHigh != nil { scalar(0xFFFD, &out); pendingHigh = nil }
                out.append(c)
                continue
            }
            guard i < b.count else { break }
            let e = b[i]
            i += 1
            guard e == UInt8(ascii: "u") else {
                if pendingHigh != nil { scalar(0xFFFD, &out); pendingHigh = nil }
                switch e {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(e)
                }
                continue
            }
            guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<i + 4], as: UTF8.self), radix: 16) else {
                throw Stop.syntax
            }
            i += 4
            if let high = pendingHigh {
                pendingHigh = nil
                if v >= 0xDC00, v <= 0xDFFF {
                    scalar(0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00), &out)
                    continue
                }
                scalar(0xFFFD, &out)
            }
            if v >= 0xD800, v <= 0xDBFF { pendingHigh = v } else { scalar(v, &out) }
        }
        throw Stop.syntax
    }
}

// The event decoder as it was before the word-at-a-time rewrite (issue 6), frozen as the oracle of
// DecoderEquivalenceTests: the new decoder must accept, reject (same reason, same message) and decode (same bits)
// every frame exactly as this one. Do not "fix" or speed up this copy; it is meant to stay as it was.

@testable import SeinhuisCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The value readers the event validator applies to the parser's tokens: device ids, integers, numbers (with an exact
/// fast path before `strtod`), event kinds and string unescaping. Split from the scanner itself (RefFrameParser.swift).
extension RefFrameParser {

    static func isDeviceID(_ t: RefToken, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in t.start..<t.end {
            let c = b[k]
            let ok =
                (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
            if !ok { return false }
        }
        return true
    }

    static func isIntegerLiteral(_ t: RefToken, _ b: UnsafeBufferPointer<UInt8>, equalTo value: Int) -> Bool {
        double(t, b) == Double(value) && !(t.count == 3 && b[t.start] == UInt8(ascii: "N"))
    }

    /// A `seq`: a non-negative integer literal that fits 64 bits.
    static func uint64(_ t: RefToken, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> UInt64 {
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

    static func double(_ t: RefToken, _ b: UnsafeBufferPointer<UInt8>) -> Double {
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
    @inline(__always) static func fastDouble(_ t: RefToken, _ b: UnsafeBufferPointer<UInt8>) -> Double? {
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

    static func kind(_ t: RefToken, _ b: UnsafeBufferPointer<UInt8>) -> EventKind? {
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
        if same(p, k.staticName) { return k }
        return k == .position && same(p, EventKind.presence.staticName) ? .presence : nil
    }

    /// Byte equality with a literal (a generic `elementsEqual` over `String.UTF8View` was 2 % of replay).
    @inline(__always) private static func same(_ p: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        p.count == s.utf8CodeUnitCount && memcmp(p.baseAddress!, s.utf8Start, p.count) == 0
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

/// Decodes one event frame (one JSON object, PROTOCOL 2) straight from its bytes.
///
/// A single pass over the frame: no Foundation, no intermediate `Data` or dictionary; strings are created only for
/// the device id (inline, without allocation, up to 15 bytes). Unknown fields are skipped (the contract may grow),
/// nesting is bounded, so no input can crash it or make it recurse deeply.
struct ReferenceDecoder: Sendable {
    var maxFrameBytes: Int
    /// Nesting allowed inside unknown fields.
    var maxDepth: Int = 32

    init(maxFrameBytes: Int = 65536) { self.maxFrameBytes = maxFrameBytes }

    func decode(_ bytes: [UInt8]) -> DecodeOutcome {
        bytes.withUnsafeBytes { decode($0) }
    }

    func decode(_ text: String) -> DecodeOutcome {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    func decode(_ frame: UnsafeRawBufferPointer) -> DecodeOutcome {
        if frame.count > maxFrameBytes {
            return .rejected(Rejection(.oversize, "frame of \(frame.count) bytes exceeds \(maxFrameBytes)"))
        }
        var p = RefFrameParser(bytes: frame.bindMemory(to: UInt8.self), maxDepth: maxDepth)
        do throws(Rejection) {
            let fields = try p.parseTopObject()
            return try .event(Self.validate(fields, p.bytes))
        } catch {
            return .rejected(error)
        }
    }

    // MARK: validation

    private static func validate(_ f: RefFields, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> DeviceEvent {
        // version
        guard let v = f.v else { throw Rejection(.missingField, "v") }
        guard v.type == .number else { throw Rejection(.wrongType, "v must be a number") }
        guard RefFrameParser.isIntegerLiteral(v, b, equalTo: 1) else {
            throw Rejection(.unsupportedVersion, "v = \(v.text(b))")
        }
        // device
        guard let d = f.device else { throw Rejection(.missingField, "device") }
        guard d.type == .string else { throw Rejection(.wrongType, "device must be a string") }
        guard !d.escaped, d.count >= 1, d.count <= 64, RefFrameParser.isDeviceID(d, b) else {
            throw Rejection(.badDevice, "device must be 1-64 characters of [A-Za-z0-9._-]")
        }
        let device = String(decoding: UnsafeBufferPointer(rebasing: b[d.start..<d.end]), as: UTF8.self)
        // seq
        guard let s = f.seq else { throw Rejection(.missingField, "seq") }
        guard s.type == .number else { throw Rejection(.wrongType, "seq must be a number") }
        let seq = try RefFrameParser.uint64(s, b)
        // ts
        guard let t = f.ts else { throw Rejection(.missingField, "ts") }
        guard t.type == .string else { throw Rejection(.wrongType, "ts must be a string") }
        guard !t.escaped, let ts = RefTimestamp.parse(UnsafeBufferPointer(rebasing: b[t.start..<t.end])) else {
            throw Rejection(.badTimestamp, "ts is not an RFC 3339 time: \(t.text(b))")
        }
        // kind
        guard let k = f.kind else { throw Rejection(.missingField, "kind") }
        guard k.type == .string else { throw Rejection(.wrongType, "kind must be a string") }
        let reading: Reading
        switch RefFrameParser.kind(k, b) {
        case .position?:
            let lat = try number(f.lat, "lat", b)
            let lon = try number(f.lon, "lon", b)
            let acc = try number(f.acc, "acc", b)
            guard lat >= -90, lat <= 90 else { throw Rejection(.outOfRange, "lat \(lat) outside [-90, 90]") }
            guard lon >= -180, lon <= 180 else { throw Rejection(.outOfRange, "lon \(lon) outside [-180, 180]") }
            guard acc > 0, acc.isFinite else { throw Rejection(.outOfRange, "acc \(acc) must be > 0") }
            reading = .position(lat: lat, lon: lon, acc: acc)
        case .presence?:
            reading = .presence(try bool(f.present, "present", b))
        case .strap?:
            reading = .strap(try tamper(f.state, b))
        case .case?:
            reading = .case(try tamper(f.state, b))
        case .battery?:
            let level = try number(f.level, "level", b)
            guard level >= 0, level <= 1 else { throw Rejection(.outOfRange, "level \(level) outside [0, 1]") }
            reading = .battery(level: level, charging: try bool(f.charging, "charging", b))
        case .gnss?:
            guard let st = f.state else { throw Rejection(.missingField, "state") }
            guard st.type == .string else { throw Rejection(.wrongType, "state must be a string") }
            switch st.text(b) {
            case "ok": reading = .gnss(.ok)
            case "lost": reading = .gnss(.lost)
            case "jammed": reading = .gnss(.jammed)
            default: throw Rejection(.outOfRange, "gnss state must be ok, lost or jammed")
            }
        case .power?:
            guard let st = f.state else { throw Rejection(.missingField, "state") }
            guard st.type == .string else { throw Rejection(.wrongType, "state must be a string") }
            switch st.text(b) {
            case "lost": reading = .power(.lost)
            case "restored": reading = .power(.restored)
            default: throw Rejection(.outOfRange, "power state must be lost or restored")
            }
        case .heartbeat?:
            reading = .heartbeat
        case nil:
            throw Rejection(.unknownKind, "kind \(k.text(b).prefix(40))")
        }
        return DeviceEvent(device: device, seq: seq, ts: ts, reading: reading)
    }

    private static func number(_ t: RefToken?, _ name: String, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection)
        -> Double
    {
        guard let t else { throw Rejection(.missingField, name) }
        guard t.type == .number else { throw Rejection(.wrongType, "\(name) must be a number") }
        let x = RefFrameParser.double(t, b)
        guard x.isFinite else { throw Rejection(.outOfRange, "\(name) is not a finite number") }
        return x
    }

    private static func bool(_ t: RefToken?, _ name: String, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> Bool
    {
        guard let t else { throw Rejection(.missingField, name) }
        switch t.type {
        case .trueValue: return true
        case .falseValue: return false
        default: throw Rejection(.wrongType, "\(name) must be true or false")
        }
    }

    private static func tamper(_ t: RefToken?, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> TamperState {
        guard let t else { throw Rejection(.missingField, "state") }
        guard t.type == .string else { throw Rejection(.wrongType, "state must be a string") }
        switch t.text(b) {
        case "opened": return .opened
        case "closed": return .closed
        default: throw Rejection(.outOfRange, "state must be opened or closed")
        }
    }
}

enum RefTimestamp {
    /// Parses RFC 3339 from raw UTF-8 bytes (the event decoder's path: no String is created).
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let n = b.count
        guard n >= 20 else { return nil }
        @inline(__always) func digit(_ i: Int) -> Int64? {
            let c = b[i]
            return c >= 48 && c <= 57 ? Int64(c - 48) : nil
        }
        @inline(__always) func num(_ i: Int, _ len: Int) -> Int64? {
            var v: Int64 = 0
            for k in i..<(i + len) {
                guard let d = digit(k) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
            b[10] == 84 || b[10] == 116, let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58,
            let s = num(17, 2)
        else { return nil }
        guard (1...12).contains(mo), d >= 1, d <= CivilDate.daysInMonth(year: y, month: mo), h <= 23, mi <= 59,
            s <= 59
        else { return nil }
        var i = 19
        var frac: Int64 = 0
        if i < n, b[i] == 46 {
            i += 1
            var digits = 0
            while i < n, let dg = digit(i) {
                if digits < 3 { frac = frac * 10 + dg }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            while digits < 3 { frac *= 10; digits += 1 }
        }
        guard i < n else { return nil }
        var offsetMinutes: Int64 = 0
        switch b[i] {
        case 90, 122:  // Z z
            i += 1
        case 43, 45:  // + -
            guard i + 6 == n, let oh = num(i + 1, 2), b[i + 3] == 58, let om = num(i + 4, 2), oh <= 23, om <= 59
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (b[i] == 45 ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == n else { return nil }
        let days = CivilDate.days(fromYear: y, month: mo, day: d)
        let ms = ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + frac - offsetMinutes * 60_000
        return Timestamp(milliseconds: ms)
    }
}

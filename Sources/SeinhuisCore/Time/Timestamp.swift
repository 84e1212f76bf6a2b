/// A point in time as milliseconds since the Unix epoch, UTC.
///
/// The contract's times are RFC 3339 in UTC with milliseconds, so the whole pipeline works in integer
/// milliseconds: comparisons and arithmetic on the hot path never touch `Date` or `Calendar`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    @inlinable public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    @inlinable public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }
    @inlinable public static func + (a: Timestamp, ms: Int64) -> Timestamp {
        Timestamp(milliseconds: a.milliseconds + ms)
    }
    @inlinable public static func - (a: Timestamp, ms: Int64) -> Timestamp {
        Timestamp(milliseconds: a.milliseconds - ms)
    }
    @inlinable public static func - (a: Timestamp, b: Timestamp) -> Int64 { a.milliseconds - b.milliseconds }

    public static let distantPast = Timestamp(milliseconds: .min / 2)
    public static let distantFuture = Timestamp(milliseconds: .max / 2)

    /// `2026-11-22T09:00:00.000Z`
    public var description: String { rfc3339 }

    /// RFC 3339, UTC, always with milliseconds: `2026-11-22T09:00:00.000Z`.
    public var rfc3339: String {
        var ms = milliseconds
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        ms -= days * 86_400_000
        let (y, m, d) = CivilDate.civil(fromDays: days)
        let h = ms / 3_600_000, mi = (ms / 60_000) % 60, s = (ms / 1000) % 60, f = ms % 1000
        guard (0...9999).contains(y) else {
            func pad(_ v: Int64, _ w: Int) -> String {
                let str = String(v)
                return str.count < w ? String(repeating: "0", count: w - str.count) + str : str
            }
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(f, 3))Z"
        }
        // 24 ASCII bytes written in place (this is on the alert publishing path: no String per field).
        let year = y
        return String(unsafeUninitializedCapacity: 24) { b in
            var i = 0
            func put(_ v: Int64, _ w: Int) {
                var v = v
                var k = w - 1
                while k >= 0 {
                    b[i + k] = UInt8(truncatingIfNeeded: v % 10) + 48
                    v /= 10
                    k -= 1
                }
                i += w
            }
            func sep(_ c: Character) {
                b[i] = c.asciiValue!
                i += 1
            }
            put(year, 4); sep("-"); put(m, 2); sep("-"); put(d, 2); sep("T")
            put(h, 2); sep(":"); put(mi, 2); sep(":"); put(s, 2); sep("."); put(f, 3); sep("Z")
            return i
        }
    }

    /// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`. Fractions beyond milliseconds are truncated.
    /// Returns nil for anything else, including impossible dates (`2026-02-30`).
    public init?(rfc3339 text: String) {
        var text = text
        guard let value = text.withUTF8({ Timestamp.parse($0) }) else { return nil }
        self = value
    }

    /// Parses RFC 3339 from raw UTF-8 bytes (the event decoder's path: no String is created).
    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let n = b.count
        if n == 24, let t = parseCanonical(b) { return t }
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
        guard valid(y, mo, d, h, mi, s) else { return nil }
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

    @inline(__always) private static func valid(
        _ y: Int64, _ mo: Int64, _ d: Int64, _ h: Int64, _ mi: Int64, _ s: Int64
    ) -> Bool {
        (1...12).contains(mo) && d >= 1 && d <= CivilDate.daysInMonth(year: y, month: mo) && h <= 23 && mi <= 59
            && s <= 59
    }

    /// The contract's own form, `2026-11-22T09:00:00.000Z` (24 bytes, upper-case `T` and `Z`), as three words:
    /// the event decoder's common case. Nil for anything else, which `parse` then reads byte by byte.
    @inline(__always) private static func parseCanonical(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        // Per word (little-endian: byte 0 lowest): the separators, and 0xFF where a digit goes.
        guard let w0 = digits(b, 0, separators: 0x2D00_002D_0000_0000, at: 0x00FF_FF00_FFFF_FFFF),  // YYYY-MM-
            let w1 = digits(b, 8, separators: 0x0000_3A00_0054_0000, at: 0xFFFF_00FF_FF00_FFFF),  // DDTHH:MM
            let w2 = digits(b, 16, separators: 0x5A00_0000_2E00_003A, at: 0x00FF_FFFF_00FF_FF00)  // :SS.mmmZ
        else { return nil }
        @inline(__always) func digit(_ w: UInt64, _ k: Int) -> Int64 {
            Int64(truncatingIfNeeded: (w &>> UInt64(8 * k)) & 0xFF)
        }
        @inline(__always) func two(_ w: UInt64, _ k: Int) -> Int64 { digit(w, k) * 10 + digit(w, k + 1) }
        let y = two(w0, 0) * 100 + two(w0, 2), mo = two(w0, 5)
        let d = two(w1, 0), h = two(w1, 3), mi = two(w1, 6)
        let s = two(w2, 1), ms = digit(w2, 4) * 100 + two(w2, 5)
        guard valid(y, mo, d, h, mi, s) else { return nil }
        let days = daysOf4DigitYear(y, mo, d)
        return Timestamp(milliseconds: ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms)
    }

    /// `CivilDate.days` for the years 0-9999 of a 4-digit year, with unsigned divisions (no sign fix-ups): counted
    /// from 400 years later, which is never negative, less the 146 097 days of those 400 years.
    @inline(__always) private static func daysOf4DigitYear(_ y: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let shifted = UInt64(truncatingIfNeeded: m <= 2 ? y + 399 : y + 400)
        let era = shifted / 400, yoe = shifted % 400
        let mp = UInt64(truncatingIfNeeded: m <= 2 ? m + 9 : m - 3)
        let doy = (153 * mp + 2) / 5 + UInt64(truncatingIfNeeded: d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(truncatingIfNeeded: era) * 146_097 + Int64(truncatingIfNeeded: doe) - 719_468 - 146_097
    }

    /// The eight bytes at `k` if they hold exactly `separators` outside `mask` and ASCII digits inside it: the word
    /// with each digit's value (0-9) in its byte, zero elsewhere.
    @inline(__always) private static func digits(
        _ b: UnsafeBufferPointer<UInt8>, _ k: Int, separators: UInt64, at mask: UInt64
    ) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let w = UInt64(littleEndian: UnsafeRawPointer(b.baseAddress!).loadUnaligned(fromByteOffset: k, as: UInt64.self))
        let d = w & mask
        let high = (ones &* 0xF0) & mask, three = (ones &* 0x30) & mask
        // A digit byte is 0x30-0x39: high nibble 3, and still 3 after adding 6 (no carry leaves the byte).
        guard w & ~mask == separators, d & high == three, (d &+ (ones &* 0x06) & mask) & high == three else {
            return nil
        }
        return d &- three
    }
}

/// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (Howard Hinnant's algorithms).
public enum CivilDate {
    public static func days(fromYear y0: Int64, month m: Int64, day d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SeinhuisCore

/// A growable byte buffer written through a raw pointer: the generator's hot path formats every line here by hand
/// (no `String`, no Foundation), which is what lets it write millions of events per second.
struct ByteBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        nb.update(from: base, count: count)
        base.deallocate()
        base = nb
        capacity = c
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { b in
            (base + count).update(from: b.baseAddress!, count: b.count)
            count += b.count
        }
    }

    @inline(__always)
    mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        reserve(n)
        (base + count).update(from: p, count: n)
        count += n
    }

    /// Decimal digits of a non-negative integer.
    @inline(__always)
    mutating func uint(_ v0: UInt64) {
        var v = v0
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        let n = withUnsafeMutableBytes(of: &tmp) { raw -> Int in
            var i = 24
            repeat {
                i -= 1
                raw[i] = UInt8(48 + v % 10)
                v /= 10
            } while v > 0
            (base + count).update(from: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + i, count: 24 - i)
            return 24 - i
        }
        count += n
    }

    @inline(__always)
    mutating func digits(_ v: Int64, width: Int) {
        var v = v
        var i = width - 1
        while i >= 0 {
            base[count + i] = UInt8(48 + v % 10)
            v /= 10
            i -= 1
        }
        count += width
    }

    /// Fixed-point decimal with `decimals` places of an already-rounded value.
    @inline(__always)
    mutating func fixed(_ v: Double, decimals: Int, scale: Double) {
        var x = v
        if x < 0 {
            byte(45)
            x = -x
        }
        let n = Int64((x * scale).rounded())
        let s = Int64(scale)
        uint(UInt64(n / s))
        byte(46)
        digits(n % s, width: decimals)
    }
}

/// Writes contract event lines (PROTOCOL 2) into a `ByteBuffer`, caching the date part of the timestamp.
struct LineFormatter {
    private var cachedDay: Int64 = .min
    private var datePrefix: (UInt64, UInt64) = (0, 0)  // "YYYY-MM-DDT" (11 bytes)

    /// `{"v":1,"device":"…","seq":…,"ts":"…","kind":"…",…}` and a newline. `deviceID` is the raw id bytes.
    mutating func write(_ e: Ev, device: UnsafePointer<UInt8>, deviceLength: Int, seq: UInt64, into b: inout ByteBuffer)
    {
        b.reserve(200 + deviceLength)
        b.append("{\"v\":1,\"device\":\"")
        (b.base + b.count).update(from: device, count: deviceLength)
        b.count += deviceLength
        b.append("\",\"seq\":")
        b.uint(seq)
        b.append(",\"ts\":\"")
        timestamp(e.ts, into: &b)
        b.append("\",\"kind\":\"")
        switch e.kind {
        case .position:
            b.append("position\",\"lat\":")
            b.fixed(e.lat, decimals: 6, scale: 1e6)
            b.append(",\"lon\":")
            b.fixed(e.lon, decimals: 6, scale: 1e6)
            b.append(",\"acc\":")
            b.fixed(e.acc, decimals: 1, scale: 10)
        case .presence:
            if e.flag { b.append("presence\",\"present\":true") } else { b.append("presence\",\"present\":false") }
        case .strap:
            if e.code == 1 {
                b.append("strap\",\"state\":\"opened\"")
            } else {
                b.append("strap\",\"state\":\"closed\"")
            }
        case .case:
            if e.code == 1 { b.append("case\",\"state\":\"opened\"") } else { b.append("case\",\"state\":\"closed\"") }
        case .battery:
            b.append("battery\",\"level\":")
            b.fixed(e.acc, decimals: 3, scale: 1000)
            if e.flag { b.append(",\"charging\":true") } else { b.append(",\"charging\":false") }
        case .gnss:
            switch e.code {
            case 1: b.append("gnss\",\"state\":\"ok\"")
            case 2: b.append("gnss\",\"state\":\"lost\"")
            default: b.append("gnss\",\"state\":\"jammed\"")
            }
        case .power:
            if e.code == 1 {
                b.append("power\",\"state\":\"lost\"")
            } else {
                b.append("power\",\"state\":\"restored\"")
            }
        case .heartbeat:
            b.append("heartbeat\"")
        }
        b.append("}\n")
    }

    private mutating func timestamp(_ ms: Int64, into b: inout ByteBuffer) {
        let day = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        if day != cachedDay {
            cachedDay = day
            let (y, m, d) = CivilDate.civil(fromDays: day)
            var scratch = ByteBuffer(capacity: 16)
            scratch.digits(y, width: 4)
            scratch.byte(45)
            scratch.digits(m, width: 2)
            scratch.byte(45)
            scratch.digits(d, width: 2)
            scratch.byte(84)
            withUnsafeMutableBytes(of: &datePrefix) { $0.baseAddress!.copyMemory(from: scratch.base, byteCount: 11) }
        }
        withUnsafeBytes(of: &datePrefix) { raw in
            (b.base + b.count).update(from: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 11)
        }
        b.count += 11
        let r = ms - day * 86_400_000
        b.digits(r / 3_600_000, width: 2)
        b.byte(58)
        b.digits((r / 60_000) % 60, width: 2)
        b.byte(58)
        b.digits((r / 1000) % 60, width: 2)
        b.byte(46)
        b.digits(r % 1000, width: 3)
        b.byte(90)
    }
}

/// Word-at-a-time (SWAR) helpers of the frame parser: eight frame bytes in one `UInt64`, loaded little-endian, so that
/// the byte at `k + j` is bits `8j..<8j+8` of the word at `k`. Byte-by-byte code stays for the rare cases (escapes,
/// non-ASCII, the last bytes of a frame).
extension FrameParser {
    static let ones: UInt64 = 0x0101_0101_0101_0101

    /// The eight bytes at `k` (the caller checks `k + 8 <= b.count`).
    @inline(__always) static func load(_ b: UnsafeBufferPointer<UInt8>, _ k: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(b.baseAddress!).loadUnaligned(fromByteOffset: k, as: UInt64.self))
    }

    /// 0x80 in every byte of `w` that ends a plain run of string bytes, 0 in the others: `"`, `\`, a control byte
    /// (< 0x20) or a non-ASCII byte (>= 0x80). Exact: on the low seven bits no sum exceeds 0xFE, so no carry crosses
    /// into the next byte.
    @inline(__always) static func stringStops(_ w: UInt64) -> UInt64 {
        let low7 = w & (ones &* 0x7F)
        let notQuote = (low7 ^ (ones &* 0x22)) &+ (ones &* 0x7F)  // high bit clear only where low7 == 0x22
        let notBackslash = (low7 ^ (ones &* 0x5C)) &+ (ones &* 0x7F)  // ... only where low7 == 0x5C
        let notControl = low7 &+ (ones &* 0x60)  // ... only where low7 < 0x20
        return (w | ~(notQuote & notBackslash & notControl)) & (ones &* 0x80)
    }

    /// The `n` bytes (at most 8) at `k` as a word, zero above them: compares a short key or value with a `Word`.
    @inline(__always) static func word(_ b: UnsafeBufferPointer<UInt8>, at k: Int, count n: Int) -> UInt64 {
        if k &+ 8 <= b.count {
            let w = load(b, k)
            return n >= 8 ? w : w & ((1 &<< UInt64(n &* 8)) &- 1)
        }
        var w: UInt64 = 0
        for j in 0..<min(n, 8) { w |= UInt64(b[k + j]) &<< UInt64(j &* 8) }
        return w
    }

    /// A string token of at most 8 raw (unescaped) bytes as a word, or 0 (which no `Word` is).
    @inline(__always) static func word(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard !t.escaped, t.count <= 8 else { return 0 }
        return word(b, at: t.start, count: t.count)
    }
}

/// The field names and values the decoder looks for, as `FrameParser.word`s: `"seq"` is `0x71_65_73` (`s` in the
/// low byte). No name has a zero byte, so each word stands for one string. Checked by `FrameWordTests`.
enum Word {
    static let v: UInt64 = 0x76
    static let ts: UInt64 = 0x7374
    static let seq: UInt64 = 0x71_6573
    static let lat: UInt64 = 0x74_616c
    static let lon: UInt64 = 0x6e_6f6c
    static let acc: UInt64 = 0x63_6361
    static let kind: UInt64 = 0x646e_696b
    static let state: UInt64 = 0x65_7461_7473
    static let level: UInt64 = 0x6c_6576_656c
    static let device: UInt64 = 0x6563_6976_6564
    static let present: UInt64 = 0x74_6e65_7365_7270
    static let charging: UInt64 = 0x676e_6967_7261_6863
    static let opened: UInt64 = 0x6465_6e65_706f
    static let closed: UInt64 = 0x6465_736f_6c63
    static let ok: UInt64 = 0x6b6f
    static let lost: UInt64 = 0x7473_6f6c
    static let jammed: UInt64 = 0x6465_6d6d_616a
    static let restored: UInt64 = 0x6465_726f_7473_6572
    static let position: UInt64 = 0x6e6f_6974_6973_6f70
    static let presence: UInt64 = 0x6563_6e65_7365_7270
    static let strap: UInt64 = 0x70_6172_7473
    static let power: UInt64 = 0x72_6577_6f70
    static let `case`: UInt64 = 0x6573_6163
    static let gnss: UInt64 = 0x7373_6e67
    static let battery: UInt64 = 0x79_7265_7474_6162
    /// `heartbeat` is nine bytes: its first eight.
    static let heartbea: UInt64 = 0x6165_6274_7261_6568
}

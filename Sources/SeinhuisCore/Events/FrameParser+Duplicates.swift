/// The duplicate-key check of `parseTopObject` (1.1: `"device":"A","device":"B"` is rejected, `duplicate_key`). While
/// reading, each top-level key sets a bit: a known name its own, any other a bit chosen by `keyHash`; a bit set twice
/// makes the frame a suspect, and only a suspect is read again by `firstDuplicateKey`, which compares the keys exactly.
/// A frame in the contract's layout cannot repeat a key and is never checked. Keys inside nested values (of unknown
/// fields, which are skipped) are not checked.
extension FrameParser {
    /// One of 64 bits for a key's bytes (unescaped): equal keys get equal bits.
    @inline(__always) static func keyHash(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ n: Int) -> Int {
        let m: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(truncatingIfNeeded: n) &* m
        var k = start
        let end = start &+ n
        while k < end {
            h = (h ^ word(b, at: k, count: min(8, end &- k))) &* m
            k &+= 8
        }
        return Int(truncatingIfNeeded: h &>> 58)
    }

    /// The first top-level key of a well-formed object (`b`, already read by `parseTopObject`) that an earlier key
    /// equals, byte for byte once unescaped (JSON compares names by code points, not canonical equivalence), or nil.
    static func firstDuplicateKey(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        var p = FrameParser(bytes: b, maxDepth: Int.max)
        var seen = Set<[UInt8]>()
        do throws(Rejection) {
            p.skipSpace()
            p.i += 1  // "{"
            while p.i < b.count {
                p.skipSpace()
                guard p.i < b.count, b[p.i] == UInt8(ascii: "\"") else { return nil }
                let key = try p.parseString()
                let bytes = key.escaped ? Array(key.text(b).utf8) : Array(b[key.start..<key.end])
                if !seen.insert(bytes).inserted { return String(decoding: bytes, as: UTF8.self) }
                p.skipSpace()
                p.i += 1  // ":"
                p.skipSpace()
                _ = try p.parseValue(depth: 1)
                p.skipSpace()
                p.i += 1  // "," or "}"
            }
        } catch {
            return nil
        }
        return nil
    }
}

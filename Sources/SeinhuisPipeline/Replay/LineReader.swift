#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file line by line in large chunks and hands each line's bytes (without the newline) to a closure,
/// without copying lines that lie inside a chunk.
struct LineReader {
    let path: String
    var chunkSize = 4 << 20

    struct OpenError: Error, CustomStringConvertible {
        let path: String
        let errno: Int32
        var description: String { "cannot read \(path): \(String(cString: strerror(errno)))" }
    }

    /// Calls `body` for every line; `body` returns false to stop. Returns the bytes read.
    @discardableResult
    func forEachLine(_ body: (UnsafeRawBufferPointer) throws -> Bool) throws -> Int {
        guard let f = fopen(path, "rb") else { throw OpenError(path: path, errno: errno) }
        defer { fclose(f) }
        var buf = [UInt8](repeating: 0, count: chunkSize)
        var carry: [UInt8] = []
        var total = 0
        while true {
            let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, chunkSize, f) }
            if n == 0 { break }
            total += n
            let more = try buf.withUnsafeBytes { (all) throws -> Bool in
                let chunk = UnsafeRawBufferPointer(rebasing: all[0..<n])
                var start = 0
                while start < n, let p = memchr(chunk.baseAddress! + start, 0x0A, n - start) {
                    let nl = chunk.baseAddress!.distance(to: UnsafeRawPointer(p))
                    if carry.isEmpty {
                        if try !body(trim(UnsafeRawBufferPointer(rebasing: chunk[start..<nl]))) { return false }
                    } else {
                        carry.append(contentsOf: chunk[start..<nl])
                        let ok = try carry.withUnsafeBytes { try body(trim($0)) }
                        carry.removeAll(keepingCapacity: true)
                        if !ok { return false }
                    }
                    start = nl + 1
                }
                carry.append(contentsOf: chunk[start..<n])
                return true
            }
            if !more { return total }
        }
        if !carry.isEmpty { _ = try carry.withUnsafeBytes { try body(trim($0)) } }
        return total
    }

    /// Drops a trailing carriage return (files written on Windows).
    private func trim(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if let last = line.last, last == 0x0D { return UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        return line
    }

    static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}

import COpenSSL

/// SHA-256 from the system's OpenSSL libcrypto. Session tokens are stored only as their SHA-256, so a copy of the
/// database cannot be used to take over a session. Tokens are 256 random bits, so a fast hash is the right tool here
/// (passwords use bcrypt).
enum SHA256 {
    static let digestLength = Int(SHA256_DIGEST_LENGTH)

    static func hash(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: digestLength)
        message.withUnsafeBufferPointer { m in
            digest.withUnsafeMutableBufferPointer { d in
                // One-shot SHA256() of <openssl/sha.h>: cannot fail for in-memory input.
                _ = COpenSSL.SHA256(m.baseAddress, m.count, d.baseAddress)
            }
        }
        return digest
    }

    /// The digest as 64 lowercase hex digits (what the session table stores).
    static func hex(_ message: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digestLength * 2)
        for b in hash(message) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

@testable import SeinhuisHTTP
import Testing

/// Session token hashes come from OpenSSL's SHA-256: the NIST vectors pin the binding.
@Suite("SHA-256 of session tokens (OpenSSL)")
struct SHA256Tests {
    @Test func sha256MatchesTheStandardsVectors() {
        // FIPS 180-4 examples and the empty message.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million 'a's crosses many blocks.
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func aTokenHashIsSixtyFourLowercaseHexDigits() {
        let h = SHA256.hex(Array(String(repeating: "ab", count: 32).utf8))
        #expect(h.utf8.count == 64 && h.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(h != SHA256.hex(Array(String(repeating: "ab", count: 31).utf8) + Array("ac".utf8)))
    }
}

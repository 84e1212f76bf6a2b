import CZeroMQ

/// CURVE keys (`man zmq_curve`): 32-byte Curve25519 keys, written as 40 Z85 characters.
public enum Curve {
    /// A new key pair, both halves in Z85 (`zmq_curve_keypair`).
    public static func keyPair() throws(ZMQError) -> (publicKey: String, secretKey: String) {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else { throw ZMQError.last("zmq_curve_keypair") }
        defer { for k in sec.indices { sec[k] = 0 } }
        return (string(pub), string(sec))
    }

    /// The public key of a Z85 secret key (`zmq_curve_public`), or nil if `secret` is not a Z85 key.
    public static func publicKey(ofSecret secret: String) -> String? {
        guard isKey(secret) else { return nil }
        var pub = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&pub, secret) == 0 else { return nil }
        return string(pub)
    }

    /// The 32 bytes of a Z85 key, or nil if it is not 40 valid Z85 characters (`zmq_z85_decode`).
    public static func decode(_ z85: String) -> [UInt8]? {
        guard z85.utf8.count == 40 else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        let ok = out.withUnsafeMutableBufferPointer { zmq_z85_decode($0.baseAddress, z85) != nil }
        return ok ? out : nil
    }

    /// The Z85 text of 32 key bytes (`zmq_z85_encode`).
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 32 else { return nil }
        var out = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&out, bytes, 32) != nil else { return nil }
        return string(out)
    }

    /// Whether `text` is a Z85 key: 40 characters of the Z85 alphabet.
    public static func isKey(_ text: String) -> Bool { decode(text) != nil && text.utf8.allSatisfy(isZ85) }

    private static let alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
    private static func isZ85(_ c: UInt8) -> Bool { alphabet.contains(c) }

    private static func string(_ chars: [CChar]) -> String {
        chars.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

extension ZMQSocket {
    /// Sets a string option (Z85 keys, the ZAP domain).
    public func setOption(_ option: Int32, string: String) throws(ZMQError) {
        try setOption(option, bytes: Array(string.utf8))
    }

    /// Makes this socket a CURVE server with the given Z85 secret key, its peers checked by ZAP in `zapDomain`.
    /// Set before `bind`.
    public func makeCurveServer(secretKey: String, zapDomain: String) throws(ZMQError) {
        try setOption(ZMQ_ZAP_DOMAIN, string: zapDomain)
        try setOption(ZMQ_CURVE_SERVER, 1)
        try setOption(ZMQ_CURVE_SECRETKEY, string: secretKey)
    }

    /// Makes this socket a CURVE client of the server with public key `serverKey` (all keys Z85). Set before
    /// `connect`.
    public func makeCurveClient(serverKey: String, publicKey: String, secretKey: String) throws(ZMQError) {
        try setOption(ZMQ_CURVE_SERVERKEY, string: serverKey)
        try setOption(ZMQ_CURVE_PUBLICKEY, string: publicKey)
        try setOption(ZMQ_CURVE_SECRETKEY, string: secretKey)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import ZeroMQ

/// `seinhuis keys generate NAME --out DIR`: a CURVE key pair as `DIR/NAME.key` (secret, mode 0600 from its creation)
/// and `DIR/NAME.pub` (public, 0644), each one line of 40 Z85 characters.
public enum KeyFiles {
    public struct Written: Sendable {
        public var name: String
        public var publicKey: String
        public var secretPath: String
        public var publicPath: String
    }

    /// A key name: what the server logs as the peer's User-Id, and a subscriber's `.queues` file's name.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix(".")
            && name.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D
                    || c == 0x5F || c == 0x2E
            }
    }

    /// Generates and writes the pair; refuses to replace either file unless `force`. Creates `directory` (0700) if
    /// missing. Each file is written to a new temporary file created with its final mode, then renamed into place:
    /// the secret is never readable by others, not even for a moment, and a crash leaves no half-written key.
    public static func generate(name: String, directory: String, force: Bool) throws -> Written {
        guard isValidName(name) else {
            throw ServeError(description: "key name \"\(name)\": use letters, digits, '-', '_' or '.' (at most 64)")
        }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let secretPath = (directory as NSString).appendingPathComponent("\(name).key")
        let publicPath = (directory as NSString).appendingPathComponent("\(name).pub")
        if !force {
            for p in [secretPath, publicPath] where FileManager.default.fileExists(atPath: p) {
                throw ServeError(description: "\(p) exists; --force replaces it")
            }
        }
        let pair = try Curve.keyPair()
        try write(pair.secretKey + "\n", to: secretPath, mode: 0o600)
        try write(pair.publicKey + "\n", to: publicPath, mode: 0o644)
        return Written(name: name, publicKey: pair.publicKey, secretPath: secretPath, publicPath: publicPath)
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ServeError(description: "cannot create \(temp): \(String(cString: strerror(errno)))") }
        // The umask can only take bits away; set the mode exactly (0644 for a public key under umask 077 is fine).
        fchmod(fd, mode)
        let bytes = Array(text.utf8)
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard n == bytes.count, synced, rename(temp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temp)
            throw ServeError(description: "cannot write \(path): \(why)")
        }
    }
}

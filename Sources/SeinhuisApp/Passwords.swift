import HummingbirdBcrypt

/// The console's passwords: bcrypt hashes (slow on purpose) and generated passwords. `seinhuis user add|passwd` and
/// the console's sign-in both use it; the rules for what a password may be are `Credentials` in SeinhuisCore.
public enum Passwords {
    /// Cost of new password hashes: 2^12 rounds, about a quarter of a second here.
    public static let bcryptCost: UInt8 = 12

    /// A bcrypt hash of a password (slow on purpose).
    public static func hash(_ password: String, cost: UInt8 = bcryptCost) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` matches a bcrypt `hash` (as slow as hashing: call it off any event loop).
    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// A password for a new user when none is given: 20 characters from an unambiguous alphabet (about 110 bits).
    public static func generated() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }
}

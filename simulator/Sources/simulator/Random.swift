import Foundation

/// A small, seedable, fast pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Swift's `SystemRandomNumberGenerator` cannot be seeded, and a generated data set must be reproducible from its
/// seed: every device draws from its own stream (`Rng(seed:stream:)`), so a device's events do not depend on how many
/// devices were generated before it.
struct Rng: RandomNumberGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(seed: UInt64, stream: UInt64 = 0) {
        var sm = SplitMix64(state: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0x5EED_5EED_5EED_5EED)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = Rng.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Rng.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in [a, b).
    @inline(__always)
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }

    /// Uniform integer in [a, b] (inclusive).
    @inline(__always)
    mutating func int(_ a: Int, _ b: Int) -> Int {
        precondition(b >= a)
        return a + Int(next() % UInt64(b - a + 1))
    }

    /// Uniform integer in [a, b] (inclusive), 64-bit.
    @inline(__always)
    mutating func int64(_ a: Int64, _ b: Int64) -> Int64 {
        precondition(b >= a)
        return a + Int64(next() % UInt64(b - a + 1))
    }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box-Muller; one of the pair is discarded, which keeps the state simple).
    mutating func gaussian() -> Double {
        var u = unit()
        if u < 1e-300 { u = 1e-300 }
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0, xs.count - 1)] }
}

/// SplitMix64, used to expand a seed into xoshiro's state.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import SeinhuisCore

/// The receive clock of `serve` (wall-clock UTC), and a monotonic clock for measuring durations.
///
/// Here because the pipeline and the HTTP layer both read it and both stand on the store; the store itself never
/// reads it (every write takes its time as an argument), and Core has no clock at all.
public enum WallClock {
    @inlinable public static func now() -> Timestamp {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Timestamp(milliseconds: Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000)
    }

    /// Monotonic nanoseconds.
    @inlinable public static func monotonicNanos() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

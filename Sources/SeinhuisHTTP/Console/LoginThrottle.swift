import SeinhuisStore
import Synchronization

/// The rules that slow password guessing (docs/TRUST.md), without a clock or a lock of their own: every call is told
/// the time (monotonic nanoseconds), so tests are deterministic.
///
/// - Per source address: after `sourceFailures` failed sign-ins from one address (whatever the names), each further
///   attempt from it waits a delay that starts at `firstDelay` and doubles with each failure to at most `maxDelay`.
///   Spraying one password over many names from one place is slowed by this rule.
/// - Per name: the same after `nameFailures` failures for one name, counting only failures from sources that never
///   signed in as that name, and holding back only those sources. A stranger cannot lock out a user who signs in from
///   their usual place.
/// - A source or a name with no failure for `quiet` is forgotten; so is a known source after `knownFor`.
///
/// A throttled attempt is answered without a password check and does not count as a failure. An attempt let through
/// counts as a failure from the moment it is admitted until it succeeds (`admit`, `succeeded`): attempts sent side
/// by side, each waiting on its password check, cannot all slip through before the first failure is counted.
struct LoginBackoff: Sendable {
    static let sourceFailures = 10
    static let nameFailures = 5
    static let second: UInt64 = 1_000_000_000
    static let firstDelay = second
    static let maxDelay = 60 * second
    static let quiet = 15 * 60 * second
    /// How long a source that signed in as a name stays its usual place (a month of shifts).
    static let knownFor = 30 * 24 * 3600 * second
    /// Bounds: made-up names or many addresses cannot grow memory without limit.
    static let maxKeys = 10_000
    static let maxKnownPerName = 32

    struct Failures: Sendable, Equatable {
        var count: Int
        var last: UInt64
    }

    /// An attempt let through, counted as a failure until `succeeded`.
    struct Attempt: Sendable, Equatable {
        var source: String
        var name: String
        /// Whether it counted for the name too (the source is not a usual place of the name).
        var countedForName: Bool
    }

    /// What `admit` decided.
    enum Admission: Sendable, Equatable {
        case admitted(Attempt)
        /// Nanoseconds to wait.
        case wait(UInt64)
    }

    private(set) var sources: [String: Failures] = [:]
    private(set) var names: [String: Failures] = [:]
    /// Name → source → when it last signed in as that name.
    private(set) var known: [String: [String: UInt64]] = [:]

    /// The delay a record imposes after `threshold` failures: 1 s, 2 s, 4 s, ... at most 60 s after the last one.
    static func delay(after failures: Int, threshold: Int) -> UInt64 {
        guard failures >= threshold else { return 0 }
        let doublings = failures - threshold
        guard doublings < 6 else { return maxDelay }
        return min(maxDelay, firstDelay << UInt64(doublings))
    }

    /// Nanoseconds until `source` may try `name` again (0: now).
    mutating func wait(source: String, name: String, now: UInt64) -> UInt64 {
        forgetQuiet(now: now)
        var until: UInt64 = 0
        if let f = sources[source] {
            until = max(until, f.last + Self.delay(after: f.count, threshold: Self.sourceFailures))
        }
        if !isKnown(source, as: name, now: now), let f = names[name] {
            until = max(until, f.last + Self.delay(after: f.count, threshold: Self.nameFailures))
        }
        return until > now ? until - now : 0
    }

    /// Lets an attempt through, counted as a failure until it succeeds, or tells how long to wait.
    mutating func admit(source: String, name: String, now: UInt64) -> Admission {
        let wait = wait(source: source, name: name, now: now)
        guard wait == 0 else { return .wait(wait) }
        return .admitted(failed(source: source, name: name, now: now))
    }

    /// A failure counted outright (what an admitted attempt is until it succeeds).
    @discardableResult
    mutating func failed(source: String, name: String, now: UInt64) -> Attempt {
        Self.count(&sources[source, default: Failures(count: 0, last: now)], now)
        let forName = !isKnown(source, as: name, now: now)
        if forName { Self.count(&names[name, default: Failures(count: 0, last: now)], now) }
        if sources.count > Self.maxKeys { Self.trim(&sources) }
        if names.count > Self.maxKeys { Self.trim(&names) }
        return Attempt(source: source, name: name, countedForName: forName)
    }

    /// An admitted attempt signed in: its own count is taken back, and its source becomes a usual place of the
    /// name. Earlier failures stay: an insider with an account of their own must not reset their address's count
    /// between guesses.
    mutating func succeeded(_ attempt: Attempt, now: UInt64) {
        sources[attempt.source]?.count -= 1
        if attempt.countedForName { names[attempt.name]?.count -= 1 }
        succeeded(source: attempt.source, name: attempt.name, now: now)
    }

    /// `source` becomes a usual place of `name`.
    mutating func succeeded(source: String, name: String, now: UInt64) {
        var places = known[name, default: [:]]
        places[source] = now
        if places.count > Self.maxKnownPerName, let oldest = places.min(by: { $0.value < $1.value }) {
            places[oldest.key] = nil
        }
        known[name] = places
        if known.count > Self.maxKeys,
            let oldest = known.min(by: { ($0.value.values.max() ?? 0) < ($1.value.values.max() ?? 0) })
        {
            known[oldest.key] = nil
        }
    }

    func isKnown(_ source: String, as name: String, now: UInt64) -> Bool {
        guard let at = known[name]?[source] else { return false }
        return now - at < Self.knownFor
    }

    private static func count(_ f: inout Failures, _ now: UInt64) {
        f.count += 1
        f.last = now
    }

    private mutating func forgetQuiet(now: UInt64) {
        sources = sources.filter { now - $0.value.last < Self.quiet }
        names = names.filter { now - $0.value.last < Self.quiet }
    }

    /// Over the bound: the half with the oldest failures goes.
    private static func trim(_ records: inout [String: Failures]) {
        let keep = records.sorted { $0.value.last > $1.value.last }.prefix(maxKeys / 2)
        records = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}

/// `LoginBackoff` for the server: one shared record behind a lock, on a clock that tests can replace. In memory only:
/// a restart forgets every failure and every usual place (docs/TRUST.md).
final class LoginThrottle: Sendable {
    private let state = Mutex(LoginBackoff())
    /// Monotonic nanoseconds.
    let clock: @Sendable () -> UInt64

    init(clock: @escaping @Sendable () -> UInt64 = { WallClock.monotonicNanos() }) {
        self.clock = clock
    }

    /// The attempt to check the password of (counted as a failure until `succeeded`), or the whole seconds (at
    /// least 1) until `source` may try `name` again.
    func admit(source: String, name: String) -> Result<LoginBackoff.Attempt, RetryAfter> {
        let now = clock()
        switch state.withLock({ $0.admit(source: source, name: name, now: now) }) {
        case .admitted(let attempt): return .success(attempt)
        case .wait(let nanos):
            return .failure(RetryAfter(seconds: Int((nanos + LoginBackoff.second - 1) / LoginBackoff.second)))
        }
    }

    func succeeded(_ attempt: LoginBackoff.Attempt) {
        let now = clock()
        state.withLock { $0.succeeded(attempt, now: now) }
    }

    /// A throttled attempt's wait, for `Retry-After`.
    struct RetryAfter: Error {
        var seconds: Int
    }
}

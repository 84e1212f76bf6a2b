import Foundation
import SeinhuisCore
@testable import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Synchronization
import Testing

/// A clock the test moves by hand (monotonic nanoseconds).
final class HandClock: Sendable {
    private let now = Mutex<UInt64>(1_000 * LoginBackoff.second)
    func read() -> UInt64 { now.withLock { $0 } }
    func advance(seconds: Double) { now.withLock { $0 += UInt64(seconds * 1e9) } }
}

/// The login throttle (docs/TRUST.md): back-off per source address and per name, never a hard lock, on a clock the
/// tests move by hand.
@Suite("login throttling with back-off")
struct LoginThrottleTests {
    let s = LoginBackoff.second

    @Test func theBackOffStartsAtASecondDoublesAndCapsAtAMinute() {
        #expect(LoginBackoff.delay(after: 9, threshold: 10) == 0)
        let delays = (10...18).map { LoginBackoff.delay(after: $0, threshold: 10) / s }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60])
        #expect(LoginBackoff.delay(after: 10_000, threshold: 5) == 60 * s)

        var b = LoginBackoff()
        var now: UInt64 = 1_000 * s
        for _ in 0..<LoginBackoff.sourceFailures { b.failed(source: "10.0.0.9", name: "x\(now)", now: now) }
        #expect(b.wait(source: "10.0.0.9", name: "anyone", now: now) == s)
        now += s
        #expect(b.wait(source: "10.0.0.9", name: "anyone", now: now) == 0)
        b.failed(source: "10.0.0.9", name: "anyone", now: now)
        #expect(b.wait(source: "10.0.0.9", name: "anyone", now: now) == 2 * s)
        // A throttled attempt counts for nothing: asking again does not push the delay out.
        #expect(b.wait(source: "10.0.0.9", name: "anyone", now: now + s) == s)
    }

    @Test func sprayingOnePasswordOverManyNamesIsSlowedPerSource() {
        var b = LoginBackoff()
        let now: UInt64 = 1_000 * s
        for i in 0..<LoginBackoff.sourceFailures {
            #expect(b.wait(source: "10.0.0.66", name: "user-\(i)", now: now) == 0)
            b.failed(source: "10.0.0.66", name: "user-\(i)", now: now)
        }
        // Every name is new, so no name rule applies; the address's rule does.
        #expect(b.wait(source: "10.0.0.66", name: "user-99", now: now) == s)
        // Another address is not held back.
        #expect(b.wait(source: "10.0.0.7", name: "user-99", now: now) == 0)
    }

    @Test func aStrangerIsThrottledForANameButNotTheUserFromTheirUsualPlace() {
        var b = LoginBackoff()
        var now: UInt64 = 1_000 * s
        b.succeeded(source: "10.1.1.1", name: "anna", now: now)
        for _ in 0..<20 {
            now += 61 * s
            b.failed(source: "10.6.6.6", name: "anna", now: now)
        }
        #expect(b.wait(source: "10.6.6.6", name: "anna", now: now) == 60 * s)
        // Any other address that never signed in as anna is held back too (a spread-out attack) ...
        #expect(b.wait(source: "10.7.7.7", name: "anna", now: now) == 60 * s)
        // ... but not anna's own workstation, nor the stranger trying another name before its address's limit.
        #expect(b.wait(source: "10.1.1.1", name: "anna", now: now) == 0)
        #expect(b.wait(source: "10.7.7.7", name: "bert", now: now) == 0)
        // Anna's own typos do not count for the name rule.
        var c = LoginBackoff()
        c.succeeded(source: "10.1.1.1", name: "anna", now: now)
        for _ in 0..<LoginBackoff.nameFailures { c.failed(source: "10.1.1.1", name: "anna", now: now) }
        #expect(c.wait(source: "10.2.2.2", name: "anna", now: now) == 0)
    }

    @Test func attemptsSideBySideCountBeforeTheirPasswordsAreChecked() {
        var b = LoginBackoff()
        let now: UInt64 = 1_000 * s
        // Ten guesses sent at once, all still waiting on bcrypt: the eleventh is held back already.
        var pending: [LoginBackoff.Attempt] = []
        for i in 0..<LoginBackoff.sourceFailures {
            guard case .admitted(let a) = b.admit(source: "10.0.0.66", name: "user-\(i)", now: now) else {
                Issue.record("attempt \(i) held back")
                return
            }
            pending.append(a)
        }
        #expect(b.admit(source: "10.0.0.66", name: "user-99", now: now) == .wait(s))
        // A success takes back its own count only: the user signs in as often as they like.
        var c = LoginBackoff()
        for i in 0..<50 {
            guard case .admitted(let a) = c.admit(source: "10.1.1.1", name: "anna", now: now + UInt64(i) * s) else {
                Issue.record("sign-in \(i) held back")
                return
            }
            c.succeeded(a, now: now + UInt64(i) * s)
        }
        #expect(c.sources["10.1.1.1"]?.count == 0 && c.names["anna"]?.count == 0)
    }

    @Test func aKeyIsForgottenAfterFifteenQuietMinutes() {
        var b = LoginBackoff()
        let now: UInt64 = 1_000 * s
        for _ in 0..<30 { b.failed(source: "10.0.0.5", name: "carla", now: now) }
        #expect(b.wait(source: "10.0.0.5", name: "carla", now: now) == 60 * s)
        // After 14 quiet minutes the delay is over but the count is not: one more failure waits the full minute.
        var early = b
        #expect(early.wait(source: "10.0.0.5", name: "carla", now: now + 14 * 60 * s) == 0)
        early.failed(source: "10.0.0.5", name: "carla", now: now + 14 * 60 * s)
        #expect(early.wait(source: "10.0.0.5", name: "carla", now: now + 14 * 60 * s) == 60 * s)
        // After 15 both keys are gone, and the next failures count from zero.
        #expect(b.wait(source: "10.0.0.5", name: "carla", now: now + 15 * 60 * s) == 0)
        #expect(b.sources.isEmpty && b.names.isEmpty)
        b.failed(source: "10.0.0.5", name: "carla", now: now + 15 * 60 * s)
        #expect(b.wait(source: "10.0.0.5", name: "carla", now: now + 15 * 60 * s) == 0)
    }

    @Test func theVictimSignsInFromTheirOwnPlaceWhileAStrangerIsThrottled() async throws {
        let db = temporaryDatabase()
        try addUser(db, "anna", .operator)
        let clock = HandClock()
        let store = APIStore(path: db)
        let sessions = Sessions(store: store, clock: { clock.read() })
        func login(_ password: String, from source: String) async throws -> String {
            switch try await sessions.login(name: "anna", password: password, from: source) {
            case .signedIn: return "signed in"
            case .refused: return "refused"
            case .throttled(let seconds): return "throttled \(seconds)"
            }
        }
        #expect(try await login("pw-of-anna-123", from: "10.1.1.1") == "signed in")
        for _ in 0..<LoginBackoff.nameFailures { #expect(try await login("guess", from: "10.6.6.6") == "refused") }
        // Not checked, however right the password.
        #expect(try await login("pw-of-anna-123", from: "10.6.6.6") == "throttled 1")
        #expect(try await login("pw-of-anna-123", from: "10.1.1.1") == "signed in")
        clock.advance(seconds: 1)
        #expect(try await login("guess", from: "10.6.6.6") == "refused")
        #expect(try await login("guess", from: "10.6.6.6") == "throttled 2")
        clock.advance(seconds: 15 * 60)
        #expect(try await login("pw-of-anna-123", from: "10.6.6.6") == "signed in")
        let reasons = try Store(path: db).auditTrail(subject: "anna").filter { $0.action == "session.login_failed" }
            .map(\.detail)
        #expect(reasons.filter { $0 == "throttled" }.count == 2)
        #expect(reasons.filter { $0 == "wrong password" }.count == LoginBackoff.nameFailures + 1)
    }
}

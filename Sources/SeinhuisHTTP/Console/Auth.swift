import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Synchronization

/// The request context of the console and the API: the signed-in user, once `RequireRole` has checked the session.
public struct ConsoleContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `RequireRole`; nil on open routes.
    public var user: SessionUser?
    /// The peer of the connection (a reverse proxy's address behind one); `X-Forwarded-For` is never read, since
    /// anyone can send it.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// The source address the login throttle counts by: the peer's IP address without its port.
    var sourceAddress: String {
        guard let remoteAddress else { return "unknown" }
        return remoteAddress.ipAddress ?? remoteAddress.pathname ?? "unknown"
    }

    /// The signed-in user (routes behind `RequireRole` always have one).
    func requireUser() throws -> SessionUser {
        guard let user else { throw HTTPError(.unauthorized) }
        return user
    }
}

/// Sessions of the console: random 256-bit tokens in an HttpOnly, SameSite=Strict cookie (or an
/// `Authorization: Bearer` header for systems such as a CIC's catch-up client), stored only as their SHA-256.
public struct Sessions: Sendable {
    let store: APIStore
    /// How long a session lasts from login (a shift, with margin).
    var lifetimeSeconds: Int64
    static let cookieName = "seinhuis_session"
    let throttle: LoginThrottle

    /// `clock` (monotonic nanoseconds) times the login throttle's back-off; tests give their own.
    public init(
        store: APIStore, lifetimeSeconds: Int64 = 12 * 3600,
        clock: @escaping @Sendable () -> UInt64 = { WallClock.monotonicNanos() }
    ) {
        self.store = store
        self.lifetimeSeconds = lifetimeSeconds
        throttle = LoginThrottle(clock: clock)
    }

    /// The token a request carries, if any.
    static func token(_ request: Request) -> String? {
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer ") {
            return String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return request.cookies[cookieName]?.value
    }

    /// The user of the request's session, if it is live.
    func user(for request: Request) async throws -> SessionUser? {
        guard let token = Self.token(request), token.utf8.count == 64 else { return nil }
        let hash = SHA256.hex(Array(token.utf8))
        let now = WallClock.now()
        return try await store.with { try $0.sessionUser(tokenHash: hash, at: now) }
    }

    /// What a login attempt came to.
    enum LoginOutcome: Sendable {
        case signedIn(token: String, user: SessionUser)
        case refused
        /// Too many failures lately from this source, or for this name from places it never signed in from: not
        /// even checked. Try again after this many seconds.
        case throttled(retryAfter: Int)
    }

    /// Checks the password (bcrypt, off the event loop) and starts a session (audited either way), unless the login
    /// throttle holds `source` (the peer's address) back for this name (`LoginBackoff`).
    func login(name: String, password: String, from source: String) async throws -> LoginOutcome {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let attempt: LoginBackoff.Attempt
        switch throttle.admit(source: source, name: trimmed) {
        case .success(let a): attempt = a
        case .failure(let wait):
            let now = WallClock.now()
            try await store.with { try $0.auditFailedLogin(name: trimmed, reason: "throttled", at: now) }
            return .throttled(retryAfter: wait.seconds)
        }
        let found = try await store.with { try $0.user(name: trimmed) }
        // An unknown user costs the same time as a wrong password: the answer's timing tells nothing.
        let hash = found?.passwordHash
        let matches = await Self.verify(password, hash: hash)
        let now = WallClock.now()
        guard let user = found, matches, !user.disabled else {
            let reason = found == nil ? "unknown user" : (found!.disabled ? "user disabled" : "wrong password")
            try await store.with { try $0.auditFailedLogin(name: trimmed, reason: reason, at: now) }
            return .refused  // the throttle counted the attempt as a failure when it admitted it
        }
        throttle.succeeded(attempt)
        let token = Self.newToken()
        let expires = Timestamp(milliseconds: now.milliseconds + lifetimeSeconds * 1000)
        try await store.with {
            try $0.startSession(tokenHash: SHA256.hex(Array(token.utf8)), user: user.name, at: now, expiresAt: expires)
        }
        return .signedIn(token: token, user: SessionUser(name: user.name, role: user.role, expiresAt: expires))
    }

    func logout(_ request: Request) async throws {
        guard let token = Self.token(request) else { return }
        let hash = SHA256.hex(Array(token.utf8))
        let now = WallClock.now()
        try await store.with { try $0.endSession(tokenHash: hash, at: now) }
    }

    /// The session cookie (`maxAge` 0 clears it).
    static func cookie(_ token: String, maxAge: Int) -> Cookie {
        Cookie(name: cookieName, value: token, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }

    /// 32 bytes from the system's cryptographic generator, as 64 hex digits.
    static func newToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let b = UInt8.random(in: 0...255, using: &g)
            return String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16)
        }.joined()
    }

    private static let decoyHash = Passwords.hash("decoy password that matches nothing")

    /// bcrypt on a thread of its own: a quarter of a second must not stall the HTTP event loop or the task pool.
    /// Without a hash (unknown user) it checks against a decoy, made on first use on that thread too.
    static func verify(_ password: String, hash: String?) async -> Bool {
        await withCheckedContinuation { cont in
            let t = Thread {
                cont.resume(returning: Passwords.verify(password, hash: hash ?? decoyHash) && hash != nil)
            }
            t.name = "seinhuis-bcrypt"
            t.start()
        }
    }
}

/// Lets a request through only with a live session of one of `roles`; puts the user in the context.
/// API routes answer 401 (no session) or 403 (wrong role) with a JSON error; pages redirect to the login page or show
/// a refusal.
public struct RequireRole: RouterMiddleware {
    public typealias Context = ConsoleContext
    public enum Style: Sendable { case api, page }

    let roles: Set<Role>
    let sessions: Sessions
    let style: Style

    public func handle(
        _ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response
    ) async throws -> Response {
        guard let user = try await sessions.user(for: request) else {
            switch style {
            case .api: return HTTPAPI.error(.unauthorized, "sign in first: no session, or it expired")
            case .page:
                var next = request.uri.path
                if let q = request.uri.query { next += "?" + q }
                return Response(
                    status: .seeOther,
                    headers: [
                        .location: "/login?next="
                            + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
                    ])
            }
        }
        guard roles.contains(user.role) else {
            switch style {
            case .api: return HTTPAPI.error(.forbidden, "role \(user.role.rawValue) may not do this")
            case .page: return Pages.refused(user, ConsoleLanguage.of(request, user: user))
            }
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }
}

extension RouterMethods where Context == ConsoleContext {
    /// Routes under `path` for the roles allowed `permission`: `router.requiring(.readDossiers, sessions).get(...)`.
    /// Mounting another module's routes behind the console's login is one call per group.
    public func requiring(
        _ permission: Permission, _ sessions: Sessions, path: RouterPath = "", style: RequireRole.Style = .api
    ) -> RouterGroup<ConsoleContext> {
        requiring(AccessPolicy.roles(for: permission), sessions, path: path, style: style)
    }

    public func requiring(
        _ roles: Set<Role>, _ sessions: Sessions, path: RouterPath = "", style: RequireRole.Style = .api
    ) -> RouterGroup<ConsoleContext> {
        group(path).add(middleware: RequireRole(roles: roles, sessions: sessions, style: style))
    }
}

import HTTPTypes
import Hummingbird
import Synchronization

/// The guard in front of every state-changing request (POST, PUT, PATCH, DELETE) of the console and the API, before
/// any route sees it (docs/TRUST.md). SameSite=Strict does not stop a page on another port of the same host: every
/// port is the same site, so the browser sends the session cookie along.
///
/// - A request with `Origin` must come from the server's own origin (`http://` and the request's `Host`) or one given
///   by `serve --http-origin` (a reverse proxy's); `Origin: null` is never one of them. Else 403.
/// - A request signed in with the session cookie and without `Origin` must carry `X-CSRF-Token`: the session's
///   `CSRFToken`. A bearer token needs none (a system, not a browser); nor does a login, which uses no session.
/// - A request with a body must say `Content-Type: application/json`. Else 415: no HTML form can send that.
public struct RequestGuard: RouterMiddleware {
    public typealias Context = ConsoleContext

    /// The origins beside the request's own, normalised (`serve --http-origin`).
    let extraOrigins: Set<String>
    let refusals: RequestRefusals

    public init(extraOrigins: [String] = [], refusals: RequestRefusals = RequestRefusals()) {
        self.extraOrigins = Set(extraOrigins.compactMap(Self.normalised))
        self.refusals = refusals
    }

    static let stateChanging: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]
    /// Routes that start a session rather than use one: the token rule does not apply (the origin rule does).
    static let signIn: Set<String> = ["/login", "/api/v1/login"]

    /// Why a request was turned away.
    enum Refusal: Equatable, Sendable {
        case crossOrigin(String)
        case missingToken
        case wrongToken
        case notJSON(String?)

        var status: HTTPResponse.Status {
            if case .notJSON = self { return .unsupportedMediaType }
            return .forbidden
        }

        /// The counter's label in /metrics.
        var reason: String {
            switch self {
            case .crossOrigin: "origin"
            case .missingToken, .wrongToken: "csrf_token"
            case .notJSON: "content_type"
            }
        }

        var message: String {
            switch self {
            case .crossOrigin(let o): "refused: a request from origin \(o), not this server's"
            case .missingToken: "refused: a request with the session cookie and no Origin needs X-CSRF-Token"
            case .wrongToken: "refused: X-CSRF-Token is not this session's"
            case .notJSON(let t): "the body must be Content-Type application/json, not \(t ?? "none")"
            }
        }
    }

    /// What the guard looks at, read from a request.
    struct Facts: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var origin: String?
        /// The request's `Host` (authority).
        var host: String?
        var sessionCookie: String?
        var bearer: Bool
        var csrfToken: String?
        var contentType: String?
        var hasBody: Bool

        init(_ request: Request) {
            method = request.method
            path = request.uri.path
            origin = request.headers[.origin]
            host = request.head.authority
            sessionCookie = request.cookies[Sessions.cookieName]?.value
            bearer = request.headers[.authorization]?.hasPrefix("Bearer ") == true
            csrfToken = request.headers[CSRFToken.header]
            contentType = request.headers[.contentType]
            let length = request.headers[.contentLength].flatMap { Int($0) } ?? 0
            hasBody = length > 0 || request.headers[.transferEncoding] != nil
        }

        init(
            method: HTTPRequest.Method, path: String = "/api/v1/alerts/A-1/close", origin: String? = nil,
            host: String? = "127.0.0.1:8460", sessionCookie: String? = nil, bearer: Bool = false,
            csrfToken: String? = nil, contentType: String? = nil, hasBody: Bool = false
        ) {
            self.method = method
            self.path = path
            self.origin = origin
            self.host = host
            self.sessionCookie = sessionCookie
            self.bearer = bearer
            self.csrfToken = csrfToken
            self.contentType = contentType
            self.hasBody = hasBody
        }
    }

    /// The refusal for a request, or nil to let it through.
    func refusal(_ f: Facts) -> Refusal? {
        guard Self.stateChanging.contains(f.method) else { return nil }
        if let origin = f.origin {
            let own = f.host.flatMap { Self.normalised("http://" + $0) }
            guard let o = Self.normalised(origin), o == own || extraOrigins.contains(o) else {
                return .crossOrigin(origin)
            }
        } else if let cookie = f.sessionCookie, !f.bearer, !Self.signIn.contains(f.path) {
            guard let sent = f.csrfToken else { return .missingToken }
            guard CSRFToken.matches(sent, session: cookie) else { return .wrongToken }
        }
        if f.hasBody, !Self.isJSON(f.contentType) { return .notJSON(f.contentType) }
        return nil
    }

    public func handle(
        _ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response
    ) async throws -> Response {
        guard let refused = refusal(Facts(request)) else { return try await next(request, context) }
        refusals.count(refused.reason)
        return HTTPAPI.error(refused.status, refused.message)
    }

    /// `application/json`, parameters allowed (`; charset=utf-8`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let type = contentType?.split(separator: ";", maxSplits: 1).first else { return false }
        return type.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    /// `scheme://host[:port]` in lower case, without the scheme's default port; nil for anything else (`null`, a
    /// path, user info).
    public static func normalised(_ origin: String) -> String? {
        let lower = origin.trimmingCharacters(in: .whitespaces).lowercased()
        let scheme: String
        let defaultPort: String
        if lower.hasPrefix("http://") {
            (scheme, defaultPort) = ("http://", ":80")
        } else if lower.hasPrefix("https://") {
            (scheme, defaultPort) = ("https://", ":443")
        } else {
            return nil
        }
        var authority = String(lower.dropFirst(scheme.count))
        if authority.hasSuffix("/") { authority.removeLast() }
        guard !authority.isEmpty, !authority.contains(where: { "/?#@ ".contains($0) }) else { return nil }
        if authority.hasSuffix(defaultPort) { authority.removeLast(defaultPort.count) }
        return scheme + authority
    }
}

/// The per-session token of `X-CSRF-Token`: hex SHA-256 of `"csrf:"` and the session token. Derived, so no state of
/// its own; a page on another origin cannot read it (the cookie is HttpOnly, the API's answers are not shared).
enum CSRFToken {
    static let header = HTTPField.Name("X-CSRF-Token")!

    static func of(session token: String) -> String { SHA256.hex(Array(("csrf:" + token).utf8)) }

    /// Compared in constant time.
    static func matches(_ sent: String, session token: String) -> Bool {
        let want = Array(of(session: token).utf8)
        let got = Array(sent.utf8)
        guard want.count == got.count else { return false }
        var diff: UInt8 = 0
        for i in want.indices { diff |= want[i] ^ got[i] }
        return diff == 0
    }
}

/// Requests the guard turned away, by reason, for /metrics (`seinhuis_http_requests_refused_total`).
public final class RequestRefusals: Sendable {
    static let reasons = ["origin", "csrf_token", "content_type"]
    private let counts = Mutex<[String: Int]>([:])

    public init() {}

    func count(_ reason: String) { counts.withLock { $0[reason, default: 0] += 1 } }

    /// The counters in Prometheus's text format.
    func text() -> String {
        let now = counts.withLock { $0 }
        var out = "# HELP seinhuis_http_requests_refused_total State-changing requests refused by the request guard.\n"
        out += "# TYPE seinhuis_http_requests_refused_total counter\n"
        for r in Self.reasons { out += "seinhuis_http_requests_refused_total{reason=\"\(r)\"} \(now[r] ?? 0)\n" }
        return out
    }
}

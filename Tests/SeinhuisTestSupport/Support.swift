import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Logging
import SeinhuisApp
import SeinhuisCore
import SeinhuisPipeline
import SeinhuisServer
import SeinhuisStore

#if canImport(Glibc)
    import Glibc
#endif

/// What the pipeline's and the HTTP layer's tests share: a real `serve` on free loopback ports, a database file of
/// its own, test dossiers and users, and an HTTP client that signs in.

/// A free TCP port on loopback (one that binds now).
public func freePort() -> Int {
    // Below Linux's ephemeral range (32768-60999): a port the kernel hands out for outgoing connections (Chromium's,
    // the ZeroMQ clients') can be taken between this check and serve's bind; these are only taken by binding.
    while true {
        let port = Int.random(in: 20_000..<32_000)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        if bound == 0 { return port }
    }
}

public func temporaryDatabase() -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-svc-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("test.sqlite").path
}

/// A real `serve` pipeline on free loopback ports, running in a task until `stop()`.
public final class RunningServer: @unchecked Sendable {
    // @unchecked: `task` is set once in `start` before any other use, and read only by the test's own task.
    public let config: ServeConfig
    private var task: Task<Void, any Error>?

    public init(db: String, policy: RoutingPolicy = .v1, configure: (inout ServeConfig) -> Void = { _ in }) {
        var c = ServeConfig()
        c.policy = policy
        c.databasePath = db
        c.ingestEndpoint = "tcp://127.0.0.1:\(freePort())"
        c.reliableEndpoint = "tcp://127.0.0.1:\(freePort())"
        c.alertsEndpoint = "tcp://127.0.0.1:\(freePort())"
        c.httpPort = freePort()
        configure(&c)
        config = c
    }

    public func start() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let server = Server(config: config, logger: logger)
        let (ready, readyCont) = AsyncStream<Void>.makeStream()
        // The stream also ends if the server fails before it is ready (a port taken by another process, say), so
        // a failed start is an error, not a test waiting for ever.
        task = Task {
            defer { readyCont.finish() }
            try await server.run(onReady: { readyCont.yield() })
        }
        var isReady = false
        for await _ in ready {
            isReady = true
            break
        }
        if !isReady {
            _ = try await task?.value
            struct NotReady: Error {}
            throw NotReady()
        }
        // The ingest loop is ready; the HTTP server starts on its own: wait until it answers too.
        let health = URL(string: "http://127.0.0.1:\(config.httpPort)/healthz")!
        for _ in 0..<100 {
            if let (_, response) = try? await URLSession.shared.data(from: health),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    public func stop() async throws {
        task?.cancel()
        _ = try await task?.value
    }
}

public let testDossiers = """
    [{"id":"D-T-1","subject":"S-T1","radex":true,"mandate":"pretrial","start":"2020-01-01","timezone":"Europe/Brussels",
      "devices":["TAG-T1"],"home":{"lat":51.0,"lon":3.7,"radius_m":100},"comms_timeout_s":86400},
     {"id":"D-T-2","subject":"S-T2","radex":false,"mandate":"sentence","start":"2020-01-01","timezone":"Europe/Brussels",
      "devices":["TAG-T2"],"home":{"lat":51.1,"lon":3.8,"radius_m":100},"comms_timeout_s":86400}]
    """

public func importTestDossiers(_ db: String) throws {
    let store = try Store(path: db)
    try DossierImport.run(
        data: Data(testDossiers.utf8), source: "test", store: store, by: "test", at: Timestamp(milliseconds: 0))
}

public func frame(_ device: String, _ seq: Int, _ kind: String, _ extra: String = "", ts: String? = nil) -> String {
    let t = ts ?? Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).rfc3339
    return #"{"v":1,"device":"\#(device)","seq":\#(seq),"ts":"\#(t)","kind":"\#(kind)"\#(extra)}"#
}

/// Adds a console user straight to the database (bcrypt at the lowest cost: tests need no slow hashes).
public func addUser(_ db: String, _ name: String, _ role: Role, password: String? = nil) throws {
    try Store(path: db).addUser(
        name: name, role: role, passwordHash: Passwords.hash(password ?? "pw-of-\(name)-123", cost: 4), by: "test",
        at: Timestamp(milliseconds: 0))
}

/// One HTTP exchange with a running server: the status, the body, and the body as a JSON object (if it is one).
public struct Reply {
    public var status: Int
    public var body: Data
    public var headers: [AnyHashable: Any] = [:]
    public var object: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    public var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? [] }
    public var text: String { String(decoding: body, as: UTF8.self) }
    public var error: String { object["error"] as? String ?? "" }
    public var alert: [String: Any] { object["alert"] as? [String: Any] ?? [:] }
    public var state: String? { alert["state"] as? String }
    public var recorded: [String]? { object["recorded"] as? [String] }
}

/// Signs users in on a running server (JSON login, bearer tokens) and sends requests in their name.
public final class Client: @unchecked Sendable {
    // @unchecked: used by one test task at a time.
    public let port: Int
    private var tokens: [String: String] = [:]

    /// No cookie jar: each request carries exactly the credentials the test gives it.
    private let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.httpCookieStorage = nil
        c.httpShouldSetCookies = false
        return URLSession(configuration: c)
    }()

    public init(_ server: RunningServer) { port = server.config.httpPort }

    public func login(_ user: String, password: String? = nil) async throws -> Reply {
        try await send(
            "POST", "/api/v1/login", #"{"user":"\#(user)","password":"\#(password ?? "pw-of-\(user)-123")"}"#)
    }

    public func token(_ user: String) async throws -> String {
        if let t = tokens[user] { return t }
        let r = try await login(user)
        guard let t = r.object["token"] as? String else {
            throw SupportError(description: "login of \(user): \(r.status) \(r.text)")
        }
        tokens[user] = t
        return t
    }

    /// A request as `user` (nil: without any session); `cookie` sends the token as the browser's session cookie.
    /// A body goes as `contentType`; `headers` are added last (`Origin`, `X-CSRF-Token`, `Accept-Language`: `en`
    /// unless given).
    public func send(
        _ method: String, _ path: String, _ body: String? = nil, as user: String? = nil, token: String? = nil,
        cookie: String? = nil, contentType: String = "application/json", headers: [String: String] = [:]
    ) async throws -> Reply {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        r.httpMethod = method
        r.timeoutInterval = 20
        if let body {
            r.httpBody = Data(body.utf8)
            r.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        // English unless a test asks for a language: URLSession would otherwise send the machine's own.
        r.setValue("en", forHTTPHeaderField: "Accept-Language")
        for (name, value) in headers { r.setValue(value, forHTTPHeaderField: name) }
        if let user { r.setValue("Bearer \(try await self.token(user))", forHTTPHeaderField: "Authorization") }
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let cookie { r.setValue("seinhuis_session=\(cookie)", forHTTPHeaderField: "Cookie") }
        let (data, response) = try await session.data(for: r)
        guard let http = response as? HTTPURLResponse else {
            throw SupportError(description: "\(method) \(path): not an HTTP response")
        }
        return Reply(status: http.statusCode, body: data, headers: http.allHeaderFields)
    }
}

/// Dossiers whose six-monthly review deadline lies some days from today (the review tests of serve and of the API).
public enum ReviewFixtures {
    /// Today in Brussels, the dossiers' time zone, as serve counts days (PROTOCOL 5: the dossier's calendar). The
    /// UTC date is a day behind from 22:00 or 23:00 UTC to midnight.
    public static func today() -> LocalDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Brussels")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: c.year!, month: c.month!, day: c.day!)
    }

    /// The start of a dossier whose six months end about `days` after `today`: six calendar months before that
    /// day. Months clamp to their end, so the deadline can come up to 3 days earlier (today - 10 = 31 December:
    /// start 30 June, deadline 30 December); `deadline(in:from:)` gives it exactly.
    public static func start(deadlineIn days: Int, from today: LocalDate) -> LocalDate {
        ReviewCalendar.adding(months: -6, to: today.adding(days: days))
    }

    public static func deadline(in days: Int, from today: LocalDate) -> LocalDate {
        ReviewCalendar.deadline(from: start(deadlineIn: days, from: today))
    }

    /// A radex dossier whose six months (from `start`) end about `deadlineIn` days after `today` (the test keeps
    /// clear of the statuses' boundaries by using deadlines days away). Each test reads `today` once, so that its
    /// dossiers and its expectations agree even if Brussels midnight passes while it runs.
    public static func dossier(
        _ id: String, device: String, deadlineIn days: Int, radex: Bool = true, from today: LocalDate
    ) -> String {
        let start = start(deadlineIn: days, from: today)
        return """
            {"id":"\(id)","subject":"S1-\(id)","radex":\(radex),"mandate":"pretrial","start":"\(start)",
             "timezone":"Europe/Brussels","devices":["\(device)"],"home":{"lat":51.0,"lon":3.7,"radius_m":100},
             "comms_timeout_s":86400}
            """
    }

    public static func importDossiers(_ db: String, _ json: String) throws {
        try DossierImport.run(
            data: Data(json.utf8), source: "test", store: try Store(path: db), by: "test", at: .init(milliseconds: 0))
    }
}

/// A request that did not come back as the tests expect (no token from a login, not an HTTP response).
public struct SupportError: Error, CustomStringConvertible {
    public var description: String
}

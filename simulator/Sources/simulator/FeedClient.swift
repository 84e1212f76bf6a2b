import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The HTTP side of a consumer: signs in with `POST /api/v1/login` and pages through a queue's change feed, `GET
/// /api/v1/queues/{queue}/alerts?after_rev=R&limit=N` (PROTOCOL 4.3, 1.1). Synchronous; serve being away (restart)
/// is an error the caller retries.
final class FeedClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// Worth trying again (serve is away, starting, or the session ended); otherwise the caller's mistake.
        var retry: Bool
    }

    /// One alert of a page: its id and rev, and its JSON exactly as served.
    struct FeedAlert {
        var id: String
        var rev: Int64
        var json: String
    }

    let base: URL
    let user: String
    let password: String
    private var token: String?
    /// The signed-in account's role, from the login's answer.
    private(set) var role: String?
    private let session: URLSession

    init(base: URL, user: String, password: String) {
        self.base = base
        self.user = user
        self.password = password
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 10
        session = URLSession(configuration: config)
    }

    /// A page of the feed after `afterRev`: its alerts in rev order and the rev to ask for the next page with.
    func page(queue: String, afterRev: Int64, limit: Int) throws -> (alerts: [FeedAlert], next: Int64) {
        if token == nil { try login() }
        var url = base.appendingPathComponent("api/v1/queues/\(queue)/alerts")
        url = URL(string: url.absoluteString + "?after_rev=\(afterRev)&limit=\(limit)")!
        var request = URLRequest(url: url)
        var (status, body) = try send(&request)
        if status == 401 {
            // The session ended (expired, the password changed): sign in again, once.
            try login()
            (status, body) = try send(&request)
        }
        guard status == 200 else { throw Self.failure(status, body, "the change feed of \(queue)") }
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        guard let next = (object?["next_after_rev"] as? NSNumber)?.int64Value else {
            throw Failure(description: "the change feed answered without next_after_rev: \(body.prefix(200))", retry: false)
        }
        var alerts: [FeedAlert] = []
        for json in RawJSON.arrayElements(named: "alerts", in: body) {
            let o = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
            guard let id = o?["id"] as? String, let rev = (o?["rev"] as? NSNumber)?.int64Value else {
                throw Failure(description: "an alert of the feed has no id or rev: \(json.prefix(200))", retry: false)
            }
            alerts.append(FeedAlert(id: id, rev: rev, json: json))
        }
        return (alerts, next)
    }

    func login() throws {
        token = nil
        var request = URLRequest(url: base.appendingPathComponent("api/v1/login"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body = ["user": user, "password": password]
        request.httpBody = try? JSONSerialization.data(withJSONObject: body)
        let (status, text) = try send(&request, signedIn: false)
        guard status == 200 else {
            // A wrong password is not worth retrying; a throttled name or a server away is.
            var f = Self.failure(status, text, "signing in as \(user)")
            f.retry = status == 429 || status >= 500
            throw f
        }
        let o = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        guard let t = o?["token"] as? String else {
            throw Failure(description: "the login answered without a token", retry: false)
        }
        token = t
        role = o?["role"] as? String
    }

    /// `POST /api/v1/alerts/{id}/{action}` (`ack`, `respond`, `close`) with a JSON body, for the account's queue
    /// (docs/API.md): the HTTP status and the answer's error, if any. 409 (the queue closed it, say) is an answer,
    /// not a failure; a server away is (retry).
    func act(_ action: String, alert id: String, body: String) throws -> (status: Int, error: String?) {
        if token == nil { try login() }
        var request = URLRequest(url: base.appendingPathComponent("api/v1/alerts/\(id)/\(action)"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        var (status, text) = try send(&request)
        if status == 401 {
            try login()
            (status, text) = try send(&request)
        }
        if status == 200 { return (200, nil) }
        if status >= 500 { throw Self.failure(status, text, "\(action) \(id)") }
        let o = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        return (status, o?["error"] as? String ?? String(text.prefix(200)))
    }

    private func send(_ request: inout URLRequest, signedIn: Bool = true) throws -> (Int, String) {
        if signedIn, let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String)?
        nonisolated(unsafe) var failure: String?
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                failure = error.localizedDescription
            } else {
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                result = (status, String(decoding: data ?? Data(), as: UTF8.self))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        guard let result else {
            throw Failure(description: "\(request.url?.absoluteString ?? "?"): \(failure ?? "no answer")", retry: true)
        }
        return result
    }

    private static func failure(_ status: Int, _ body: String, _ what: String) -> Failure {
        let o = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        let reason = o?["error"] as? String ?? String(body.prefix(200))
        // 503: serve is starting (`/readyz`); 5xx and 401 after a fresh login are worth another try.
        return Failure(description: "\(what): HTTP \(status): \(reason)", retry: status >= 500 || status == 0)
    }
}

/// The elements of a JSON array in a served document, as the exact text served (so a consumer prints and stores
/// what serve wrote, byte for byte, as it does for PUB).
enum RawJSON {
    static func arrayElements(named key: String, in text: String) -> [String] {
        let bytes = Array(text.utf8)
        let marker = Array("\"\(key)\":[".utf8)
        guard let start = bytes.firstRange(of: marker)?.upperBound else { return [] }
        var out: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var elementStart = -1
        for i in start..<bytes.count {
            let b = bytes[i]
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { elementStart = i }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return out }  // the array's own closing bracket
                depth -= 1
                if depth == 0 { out.append(String(decoding: bytes[elementStart...i], as: UTF8.self)) }
            default: break
            }
        }
        return out
    }
}

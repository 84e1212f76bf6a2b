import Foundation
import SeinhuisCore
import SeinhuisHTTP
import SeinhuisStore
import SeinhuisTestSupport
import Testing
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// A raw HTTP connection reading a Server-Sent Events stream (URLSession on Linux cannot stream a body).
final class EventStreamReader {
    let fd: Int32
    private var buffered = ""

    init(port: Int, path: String, token: String) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(rc == 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    deinit { close(fd) }

    /// The `data:` payloads of `event: alert` messages received until `until` is true of one or the time is up.
    func alerts(within seconds: Double, until: ([String: Any]) -> Bool) -> [[String: Any]] {
        var out: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buf = [UInt8](repeating: 0, count: 8192)
        while Date() < deadline {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { buffered += String(decoding: buf[..<n], as: UTF8.self) }
            while let r = buffered.range(of: "\n\n") {
                let message = buffered[..<r.lowerBound]
                buffered.removeSubrange(..<r.upperBound)
                guard message.contains("event: alert"),
                    let line = message.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }),
                    let obj = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
                else { continue }
                out.append(obj)
                if until(obj) { return out }
            }
        }
        return out
    }
}

@Suite("live alerts on the consoles' event streams", .serialized)
struct LiveStreamTests {
    @Test func newAlertsAndActionsReachEveryConsoleWatchingTheAlertsQueues() async throws {
        let db = temporaryDatabase()
        try importTestDossiers(db)
        try addUser(db, "anna", .operator)
        try addUser(db, "piet", .police)
        try addUser(db, "cel", .cell)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        let port = server.config.httpPort
        let vcet = try EventStreamReader(
            port: port, path: "/api/v1/stream?queue=vcet", token: try await client.token("anna"))
        let police = try EventStreamReader(
            port: port, path: "/api/v1/stream?queue=police", token: try await client.token("piet"))
        let cell = try EventStreamReader(
            port: port, path: "/api/v1/stream?queue=cell", token: try await client.token("cel"))
        try await Task.sleep(for: .milliseconds(300))  // the SUB socket has joined before anything is published

        // A Radex strap tamper reaches vcet and police (and coordinator, cic), not the cell.
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try push.connect(server.config.ingestEndpoint)
        try push.send(frame("TAG-T1", 1, "strap", #","state":"opened""#))
        let raised = vcet.alerts(within: 10) { $0["breach"] as? String == "strap_tamper" }
        let id = try #require(raised.last?["id"] as? String)
        #expect(police.alerts(within: 5) { $0["id"] as? String == id }.last?["state"] as? String == "open")

        // The operator acknowledges through the API: both consoles see the new state.
        #expect(try await client.send("POST", "/api/v1/alerts/\(id)/ack", as: "anna").status == 200)
        let seenByOperator = vcet.alerts(within: 5) {
            $0["id"] as? String == id && $0["state"] as? String == "acknowledged"
        }
        let seenByPolice = police.alerts(within: 5) {
            $0["id"] as? String == id && $0["state"] as? String == "acknowledged"
        }
        #expect(seenByOperator.last?["state"] as? String == "acknowledged")
        #expect(seenByPolice.last?["state"] as? String == "acknowledged")
        // The cell's console got nothing of it (the test dossier's overdue review notice may reach it: no breach alert).
        #expect(cell.alerts(within: 0.5) { _ in false }.filter { $0["device"] is String }.isEmpty)
        try await server.stop()
    }
}

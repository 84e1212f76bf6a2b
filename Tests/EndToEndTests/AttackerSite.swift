import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny web server for a hostile page on another port of 127.0.0.1 (the same site as the console, to the
/// browser): one thread, fixed pages by path, each connection answered and closed. Every wait is bounded (poll
/// and socket timeouts), and `stop()` (or deinit) ends the thread within a second.
final class AttackerSite: Sendable {
    let port: Int
    private let loop: Loop

    /// The request lines it answered, in order.
    var requests: [String] { loop.seen.withLock { $0 } }

    init(pages: [String: String]) throws {
        var bound: (Int32, Int)?
        for _ in 0..<50 where bound == nil {
            let port = Int.random(in: 20_000..<32_000)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(port).bigEndian
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if ok == 0, listen(fd, 16) == 0 { bound = (fd, port) } else { close(fd) }
        }
        guard let (fd, port) = bound else { throw Chromium.Failure(description: "no port for the attacker's site") }
        self.port = port
        let loop = Loop(listener: fd, pages: pages)
        self.loop = loop
        let thread = Thread { loop.run() }
        thread.name = "attacker-site"
        thread.start()
    }

    deinit { loop.stop() }

    /// Ends the thread (waiting at most 2 s) and closes the socket; safe to call twice.
    func stop() { loop.stop() }

    /// The thread's side: it holds this, not the site, so the site's deinit can stop it.
    private final class Loop: Sendable {
        let listener: Int32
        let pages: [String: String]
        let stopped = Atomic<Bool>(false)
        let finished = DispatchSemaphore(value: 0)
        let seen = Mutex<[String]>([])

        init(listener: Int32, pages: [String: String]) {
            self.listener = listener
            self.pages = pages
        }

        func run() {
            defer { finished.signal() }
            while !stopped.load(ordering: .relaxed) {
                var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 100) > 0 else { continue }
                let client = accept(listener, nil, nil)
                guard client >= 0 else { continue }
                answer(client)
                close(client)
            }
        }

        func stop() {
            guard !stopped.exchange(true, ordering: .relaxed) else { return }
            _ = finished.wait(timeout: .now() + 2)
            close(listener)
        }

        private func answer(_ client: Int32) {
            var tv = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var request: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 4096)
            while request.count < 64 * 1024, !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
                let n = recv(client, &buf, buf.count, 0)
                guard n > 0 else { break }
                request.append(contentsOf: buf[..<n])
            }
            let line = String(decoding: request, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
            seen.withLock { $0.append(line) }
            let path = line.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            let page = pages[path]
            let body = Array((page ?? "not here\n").utf8)
            let head =
                "HTTP/1.1 \(page == nil ? "404 Not Found" : "200 OK")\r\nContent-Type: text/html; charset=utf-8\r\n"
                + "Content-Length: \(body.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
            let out = Array(head.utf8) + body
            _ = out.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }
}

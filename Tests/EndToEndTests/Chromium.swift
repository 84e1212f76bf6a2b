import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: NUL-terminated JSON,
/// commands in on file descriptor 3, answers and events out on 4). No WebSocket client, no npm.
final class Chromium {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var pending: [UInt8] = []
    private var nextID = 0
    private var session: String?
    let profile: String

    /// The browser's binary: `$CHROMIUM`, else Debian's `chromium`.
    static func executable() -> String? {
        let candidates = [
            ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser",
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `language`: the browser's language (its `--lang`, and what it sends as `Accept-Language`); English unless a
    /// test is about another.
    init(width: Int = 1400, height: Int = 900, language: String = "en-GB") throws {
        guard let exe = Self.executable() else {
            throw Failure(
                description:
                    "Chromium is not installed: the browser test needs it (apt-get install -y chromium, or set CHROMIUM)"
            )
        }
        profile =
            FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-chromium-\(UUID().uuidString)")
            .path
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0]
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0 else { throw Failure(description: "pipe() failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 3)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 4)
        let devnull = open("/dev/null", O_WRONLY)
        posix_spawn_file_actions_adddup2(&actions, devnull, 1)
        posix_spawn_file_actions_adddup2(&actions, devnull, 2)
        var args = [
            exe, "--headless", "--disable-gpu", "--remote-debugging-pipe", "--user-data-dir=\(profile)",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
            "--disable-dev-shm-usage", "--lang=\(language)", "--accept-lang=\(Self.acceptLanguage(language))",
            "--window-size=\(width),\(height)", "about:blank",
        ]
        if getuid() == 0 { args.insert("--no-sandbox", at: 1) }
        let cargs = args.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        let env = Self.browserEnvironment() + ["LANGUAGE=\(language.replacingOccurrences(of: "-", with: "_"))"]
        let cenv = env.map { strdup($0) } + [nil]
        defer { for e in cenv { free(e) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, exe, &actions, nil, cargs, cenv)
        close(inPipe[0])
        close(outPipe[1])
        close(devnull)
        guard rc == 0 else { throw Failure(description: "cannot start \(exe): \(String(cString: strerror(rc)))") }
        pid = child
        toBrowser = inPipe[1]
        fromBrowser = outPipe[0]
        // One page, attached with a flat session: every later command goes to it.
        let target = try call("Target.createTarget", ["url": "about:blank"], toPage: false)
        let targetID = try Self.string(target["targetId"])
        let attached = try call("Target.attachToTarget", ["targetId": targetID, "flatten": true], toPage: false)
        session = try Self.string(attached["sessionId"])
        _ = try call("Page.enable")
        _ = try call("Runtime.enable")
        // The flags set the language on start; the override makes sure every request of this page says it too.
        let agent = try Self.string(try call("Browser.getVersion", toPage: false)["userAgent"])
        _ = try call(
            "Emulation.setUserAgentOverride",
            ["userAgent": agent, "acceptLanguage": Self.acceptLanguage(language)])
        try resize(width: width, height: height)
    }

    /// `fr-BE` → `fr-BE,fr`: the tag, then its language alone.
    static func acceptLanguage(_ tag: String) -> String {
        let primary = tag.split(separator: "-").first.map(String.init) ?? tag
        return primary == tag ? tag : "\(tag),\(primary)"
    }

    /// The test process's environment for the browser, without a fake clock: when the suite runs at another time
    /// (scripts/test-at, or libfaketime), the server and the tests share it, but the browser keeps the machine's
    /// clock (Chromium's scheduler stalls under libfaketime: DevTools answers stop coming). The console only uses
    /// the browser's clock to tick the alerts' ages.
    static func browserEnvironment() -> [String] {
        ProcessInfo.processInfo.environment.compactMap { key, value in
            if key.hasPrefix("FAKETIME") || key == "WALLCLOCK_OFFSET_S" || key == "LANGUAGE" { return nil }
            if key == "LD_PRELOAD" {
                let kept = value.split(whereSeparator: { $0 == ":" || $0 == " " }).filter {
                    !$0.contains("faketime") && !$0.contains("fakewallclock")
                }
                return kept.isEmpty ? nil : "LD_PRELOAD=" + kept.joined(separator: ":")
            }
            return key + "=" + value
        }
    }

    deinit {
        _ = try? call("Browser.close", toPage: false)
        close(toBrowser)
        close(fromBrowser)
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: profile)
    }

    static func string(_ v: Any?) throws -> String {
        guard let s = v as? String else {
            throw Failure(description: "unexpected DevTools answer: \(String(describing: v))")
        }
        return s
    }

    /// Sends a command and waits (at most `timeout`) for its answer; events on the way are skipped.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], toPage: Bool = true, timeout: Double = 20) throws
        -> [String: Any]
    {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if toPage, let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(toBrowser, raw.baseAddress! + off, raw.count - off)
                guard n > 0 else { throw Failure(description: "the browser closed its pipe") }
                off += n
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = pending.firstIndex(of: 0) {
                let one = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let obj = try JSONSerialization.jsonObject(with: one) as? [String: Any],
                    obj["id"] as? Int == nextID
                else { continue }
                if let error = obj["error"] as? [String: Any] {
                    throw Failure(description: "\(method): \(error["message"] ?? error)")
                }
                return obj["result"] as? [String: Any] ?? [:]
            }
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            guard left > 0 else { throw Failure(description: "\(method): no answer within \(timeout) s") }
            var pfd = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, left) > 0 else { continue }
            var buf = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(fromBrowser, &buf, buf.count)
            guard n > 0 else { throw Failure(description: "the browser went away during \(method)") }
            pending.append(contentsOf: buf[..<n])
        }
    }

    func resize(width: Int, height: Int) throws {
        try call(
            "Emulation.setDeviceMetricsOverride",
            ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false])
    }

    /// Evaluates JavaScript in the page (promises awaited) and returns its value.
    @discardableResult
    func evaluate(_ js: String) throws -> Any? {
        let r = try call("Runtime.evaluate", ["expression": js, "awaitPromise": true, "returnByValue": true])
        if let ex = r["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "script failed: \((ex["exception"] as? [String: Any])?["description"] ?? ex)")
        }
        return (r["result"] as? [String: Any])?["value"]
    }

    func navigate(_ url: String) throws {
        try call("Page.navigate", ["url": url])
        try waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", what: "the page \(url)")
    }

    /// Polls a JavaScript condition until it is true.
    func waitFor(_ condition: String, what: String, timeout: Double = 15) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? evaluate("!!(\(condition))")) as? Bool == true { return }
            usleep(100_000)
        }
        let url = (try? evaluate("location.href")) as? String ?? "?"
        throw Failure(description: "timed out after \(timeout) s waiting for \(what) (page \(url))")
    }

    /// Saves a PNG of the page (the viewport, or the whole page).
    func screenshot(to path: String, fullPage: Bool = false) throws {
        var params: [String: Any] = ["format": "png"]
        if fullPage { params["captureBeyondViewport"] = true }
        let r = try call("Page.captureScreenshot", params)
        guard let b64 = r["data"] as? String, let data = Data(base64Encoded: b64) else {
            throw Failure(description: "no screenshot data")
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }
}

import ArgumentParser
import Foundation
import SeinhuisCore
import Synchronization
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// `simulator loadrun`: the pipeline's speed measured honestly, side by side with its ceiling, in one run.
struct LoadRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadrun",
        abstract: "Measure seinhuis serve against bare libzmq with the same frames, in one run (docs/PERFORMANCE.md).",
        discussion: """
            Generates a realistic stream (10,000 devices with dossiers, zones and curfews; mostly positions, some
            breaches), starts the real `seinhuis serve` (the binary next to this simulator) on a fresh SQLite file in
            a temporary directory, and measures:
              throughput  bare libzmq PUSH -> PULL with the same frames (before and after), then the frames through
                          serve as fast as PUSH takes them; the clock stops when the alert of a probe event sent
                          after the last frame arrives (serve handles a socket's frames in order).
              fairness    the reliable endpoint's rate (batches of 500, 4 in flight) alone for --seconds, then while
                          another client floods PULL with new events: reliable_ratio = loaded / alone (issue 14's
                          target: at least 0.5).
              startup     --devices over --hours (a fix every --fix-interval s) replayed into a fresh database but
                          for the last --tail-events; serve starts on it, takes the tail over the reliable
                          endpoint, is killed (kill -9) and started again (the tail read after the latest snapshot),
                          then stopped gracefully and started a third time; each start timed to `pipeline ready`.
                          With --seinhuis an older build can be timed the same way.
              latency     the frames paced at --rate events/s, with probe events (a strap opened on a dedicated
                          device) interleaved; latency = PUSH send of the probe -> its alert received on SUB
                          (client side: both ZeroMQ hops, decode, rules, journal commit, publication). The same
                          paced run through a bare PULL -> PUB echo first gives the machine's floor
                          (libzmq_p50_us, libzmq_p99_us, libzmq_p999_us).
            The last line of the output is one JSON object with the figures; ratio = events_per_s / libzmq_msg_per_s
            (the faster of the two bare runs).

            Build both binaries first (`swift build -c release`), then for example:
              swift run -c release simulator loadrun --mode throughput
              swift run -c release simulator loadrun --mode latency --rate 100000
            """)

    enum Mode: String, ExpressibleByArgument, CaseIterable { case throughput, latency, fairness, startup }

    @Option(help: "throughput, latency, fairness or startup.") var mode: Mode = .throughput
    @Option(help: "Startup mode: hours of stream in the journal.") var hours: Double = 24
    @Option(help: "Startup mode: seconds between two fixes of a device.") var fixInterval: Int = 15
    @Option(help: "Startup mode: events after the latest snapshot at the crash.") var tailEvents: Int = 500_000
    @Option(help: "Latency mode: events per second offered.") var rate: Int = 100_000
    @Option(help: "Latency mode: seconds of paced load.") var seconds: Double = 10
    @Option(help: "Throughput mode: events to send (latency mode sends rate × seconds).") var events: Int = 2_000_000
    @Option(help: "Devices of the generated stream.") var devices: Int = 10_000
    @Option(help: "Latency probes per second (half of them are timed `opened` events).") var probes: Int = 2000
    @Option(help: "The seinhuis binary (default: next to this simulator).") var seinhuis: String?
    @Option(help: "First of six consecutive TCP ports to use (default: random).") var port: Int?
    @Flag(help: "Keep the temporary directory (stream, database, serve.log).") var keep = false
    @Option(help: "Events older than the retention period put into the database before serve starts.")
    var oldEvents = 0
    @Flag(help: "Run serve's purge during the load (1.5 s after ready; with --old-events).") var purge = false
    @Flag(
        help: """
            Throughput and latency: run serve with --curve (keys generated in the temporary directory) and connect \
            with CURVE, to compare with a run without it.
            """)
    var curve = false

    func validate() throws {
        guard oldEvents >= 0, !purge || oldEvents > 0 else { throw ValidationError("--purge needs --old-events N") }
        guard rate >= 1000, seconds > 0, events >= 10_000, devices >= 10, probes >= 1 else {
            throw ValidationError("--rate >= 1000, --seconds > 0, --events >= 10000, --devices >= 10, --probes >= 1")
        }
    }

    func run() throws {
        let selfPath = SeinhuisBinary.selfPath
        let binary = try SeinhuisBinary.path(seinhuis)
        let work = NSTemporaryDirectory() + "seinhuis-loadrun-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: work) } else { note("kept \(work)") } }
        let base = port ?? (20_000 + Int.random(in: 0..<7000) * 6)

        if mode == .startup {
            let run = StartupRun(
                binary: binary, simulator: selfPath, work: work, base: base, devices: devices, hours: hours,
                fixInterval: fixInterval, tailEvents: tailEvents)
            print(try run.run())
            return
        }
        let frames = try makeStream(in: work, simulator: selfPath)
        if mode == .fairness {
            let serve = try ServeProcess(
                binary: binary, db: work + "/serve.sqlite", dossiers: work + "/dossiers.json", base: base,
                workDir: work)
            defer { serve.stop() }
            let line = try FairnessRun(frames: frames, serve: serve, reliable: serve.reliable, seconds: seconds).run()
            note("machine: \(loadAverage())")
            print(line)
            return
        }
        let before = try baselines(frames, simulator: selfPath, base: base)
        var result = try measureServe(binary: binary, frames, work: work, base: base)
        note("serve: \(Int(result.eventsPerSecond)) events/s")
        let (bare2, bareCPU2) = try BareLibzmq.measure(
            frames, endpoint: "tcp://127.0.0.1:\(base + 4)", simulator: selfPath)
        note(
            "bare libzmq again: \(Int(bare2)) msg/s, receiver CPU \(r3(bareCPU2)) µs per frame; machine: \(loadAverage())"
        )
        note(
            "CPU per event: serve \(r3(result.cpuPerEvent)) µs (all threads), bare receiver \(r3(min(before.bareCPU, bareCPU2))) µs"
        )
        result.libzmq = max(before.bare, bare2)
        result.decodeOnly = before.decodeOnly
        result.libzmqCPUPerMessage = min(before.bareCPU, bareCPU2)
        result.floor = before.floor
        result.floorCPUPerEvent = before.floorCPU
        print(old.annotate(result.json(mode: mode.rawValue, curve: curve), log: work + "/serve.log"))
    }

    var old: OldEvents { OldEvents(count: oldEvents, purge: purge) }

    /// The stream: about `wanted` events of 10k devices with 1 s fixes, ending a minute ago (live devices), with
    /// the probes' dossiers added.
    func makeStream(in work: String, simulator selfPath: String) throws -> FrameSet {
        let wanted = mode == .latency ? Int(Double(rate) * seconds) : events
        let hours = max(0.001, Double(wanted) / Double(devices) / 3600 / 1.02)
        let start = Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 - hours * 3600 - 60) * 1000))
        note("generating about \(wanted) events of \(devices) devices")
        try ServeProcess.runToEnd(
            selfPath,
            [
                "generate", "--devices", String(devices), "--hours", String(hours), "--fix-interval", "1",
                "--seed", "11", "--start", start.rfc3339, "--out", work, "--quiet",
            ])
        try addProbeDossiers(work + "/dossiers.json")
        let frames = try FrameSet(file: work + "/events.ndjson")
        let meanBytes = frames.totalBytes / max(1, frames.count)
        note("stream: \(frames.count) frames, \(meanBytes) bytes on average; machine: \(loadAverage())")
        return frames
    }

    /// What bare libzmq does with the same frames before serve runs: throughput (and, in throughput mode, with the
    /// receiver decoding every frame), and in latency mode the latency floor.
    struct Baselines {
        var bare: Double
        var bareCPU: Double
        var decodeOnly = (Double.nan, Double.nan)
        var floor: [Double] = []
        var floorCPU = Double.nan
    }

    func baselines(_ frames: FrameSet, simulator selfPath: String, base: Int) throws -> Baselines {
        let (bare1, bareCPU1) = try BareLibzmq.measure(
            frames, endpoint: "tcp://127.0.0.1:\(base + 4)", simulator: selfPath)
        note("bare libzmq: \(Int(bare1)) msg/s, receiver CPU \(r3(bareCPU1)) µs per frame")
        var b = Baselines(bare: bare1, bareCPU: bareCPU1)
        if mode == .throughput {
            b.decodeOnly = try BareLibzmq.measure(
                frames, endpoint: "tcp://127.0.0.1:\(base + 5)", simulator: selfPath, decode: true)
            note(
                "bare libzmq, the receiver decoding every frame: \(Int(b.decodeOnly.0)) msg/s, receiver CPU \(r3(b.decodeOnly.1)) µs per frame"
            )
        }
        if mode == .latency {
            (b.floor, b.floorCPU) = try latencyFloor(frames, simulator: selfPath, base: base)
            note(
                "bare libzmq latency (PUSH -> PULL -> PUB -> SUB, same pacing): p50 \(Int(percentile(b.floor, 50))) µs, p99 \(Int(percentile(b.floor, 99))) µs, p99.9 \(Int(percentile(b.floor, 99.9))) µs; receiver CPU \(r3(b.floorCPU)) µs per frame"
            )
        }
        return b
    }

    /// Starts serve, sends the frames (all at once, or paced) with the probes, and stops it: the run's result.
    func measureServe(binary: String, _ frames: FrameSet, work: String, base: Int) throws -> Result {
        let db = work + "/serve.sqlite"
        try ServeProcess.runToEnd(binary, ["dossier", "import", work + "/dossiers.json", "--db", db])
        try old.fill(db: db, note: note)
        let keys = curve ? try LoadCurve.make(binary: binary, work: work) : nil
        let serve = try ServeProcess(
            binary: binary, db: db, dossiers: nil, base: base, workDir: work,
            extraArguments: old.serveArguments + (keys.map { ["--curve", $0.dir] } ?? []), readyTimeout: 900)
        let probeSet = Probes()
        let stop = StopSignal()
        let listener = probeSet.listen(to: serve.alerts, stop: stop, curve: keys?.client)
        var result: Result
        let cpuBefore = serve.cpuSeconds
        do {
            result =
                try mode == .throughput
                ? pushAll(frames, serve, probeSet, curve: keys?.client)
                : paced(frames, serve.ingest, probeSet, curve: keys?.client)
        } catch {
            stop.set()
            listener.wait()
            serve.stop()
            throw error
        }
        stop.set()
        listener.wait()
        result.rssMB = serve.peakRSSMegabytes
        result.cpuPerEvent = (serve.cpuSeconds - cpuBefore) * 1e6 / Double(result.events)
        note(
            "worst probe latency per second of the run (µs): \(probeSet.worstPerSecond().map(String.init).joined(separator: " "))"
        )
        serve.stop()
        result.serveDetection = serve.detectionPercentiles()
        let loop = serve.loopCounts()
        if loop.count == 4 {
            note(
                "serve's loop (whole run): \(Int(loop[0])) turns, \(Int(loop[1])) commits, commit p50 \(Int(loop[2])) µs, p99 \(Int(loop[3])) µs"
            )
        }
        return result
    }

    struct Result {
        var events = 0
        var seconds = 0.0
        var offered = 0.0
        var latencies: [Double] = []
        var missing = 0
        var libzmq = 0.0
        var rssMB = 0.0
        /// CPU time (µs, user + system, all threads) per event: serve during the measured phase; the bare receiver.
        var cpuPerEvent = Double.nan
        var libzmqCPUPerMessage = Double.nan
        /// serve's own detection latency (frame taken in a turn → alert published), p50/p99/p99.9 µs, from its log.
        var serveDetection: [Double] = []
        /// Latency mode: the probes' latencies through bare libzmq (`simulator bare-echo`), µs, sorted.
        var floor: [Double] = []
        /// Throughput mode: bare libzmq with a receiver that decodes every frame (msg/s, CPU µs per frame).
        var decodeOnly = (Double.nan, Double.nan)
        /// Latency mode: the bare echo's CPU time per frame (µs) at the same pacing.
        var floorCPUPerEvent = Double.nan
        var eventsPerSecond: Double { Double(events) / seconds }

        func json(mode: String, curve: Bool = false) -> String {
            func r(_ x: Double, _ digits: Double = 1) -> String {
                x.isFinite ? String((x * digits).rounded() / digits) : "null"
            }
            var o = JSONObjectWriter()
            o.string("mode", mode)
            o.raw("curve", curve ? "true" : "false")
            o.int("events", events)
            o.raw("seconds", r(seconds, 1000))
            o.raw("events_per_s", r(eventsPerSecond))
            o.raw("libzmq_msg_per_s", r(libzmq))
            o.raw("ratio", r(eventsPerSecond / libzmq, 1000))
            o.raw("offered_per_s", r(offered))
            o.raw("p50_us", r(percentile(latencies, 50)))
            o.raw("p99_us", r(percentile(latencies, 99)))
            o.raw("p999_us", r(percentile(latencies, 99.9)))
            o.int("probes", latencies.count)
            o.int("probes_missing", missing)
            o.raw("rss_mb", r(rssMB))
            if serveDetection.count == 3 {
                o.raw("serve_p50_us", r(serveDetection[0]))
                o.raw("serve_p99_us", r(serveDetection[1]))
                o.raw("serve_p999_us", r(serveDetection[2]))
            }
            o.raw("cpu_us_per_event", r(cpuPerEvent, 1000))
            o.raw("libzmq_cpu_us_per_msg", r(libzmqCPUPerMessage, 1000))
            if decodeOnly.0.isFinite {
                o.raw("decode_only_msg_per_s", r(decodeOnly.0))
                o.raw("decode_only_ratio", r(decodeOnly.0 / libzmq, 1000))
                o.raw("decode_only_cpu_us_per_msg", r(decodeOnly.1, 1000))
            }
            if !floor.isEmpty {
                o.raw("libzmq_p50_us", r(percentile(floor, 50)))
                o.raw("libzmq_p99_us", r(percentile(floor, 99)))
                o.raw("libzmq_p999_us", r(percentile(floor, 99.9)))
                o.raw("libzmq_cpu_us_per_event_paced", r(floorCPUPerEvent, 1000))
            }
            return o.finish()
        }
    }

    /// Throughput: every frame as fast as PUSH takes it, a probe every 1000 frames, then a final probe whose
    /// alert stops the clock.
    private func pushAll(_ frames: FrameSet, _ serve: ServeProcess, _ probeSet: Probes, curve: ClientCurve? = nil) throws
        -> Result
    {
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try curve?.apply(to: push)
        try push.setSendHighWaterMark(100_000)
        try push.setLinger(10_000)
        try push.connect(serve.ingest)
        Thread.sleep(forTimeInterval: 0.3)  // connections (and the subscription) are up before the clock starts
        let t0 = monoNanos()
        var k = 0
        try frames.forEach { f in
            try push.send(f)
            k += 1
            if k % 1000 == 0 { try probeSet.sendNext(on: push) }
        }
        let sentAt = monoNanos()
        var last: String?
        while last == nil { last = try probeSet.sendNext(on: push) }
        let deadline = Date().addingTimeInterval(120)
        var doneAt: UInt64?
        while doneAt == nil, Date() < deadline {
            doneAt = probeSet.arrival(of: last!)
            if doneAt == nil { usleep(200) }
        }
        guard let doneAt else { throw LoadRunError("the final probe's alert did not arrive within 120 s") }
        var r = Result()
        r.events = frames.count
        r.seconds = Double(doneAt - t0) / 1e9
        r.offered = Double(frames.count) / (Double(sentAt - t0) / 1e9)
        (r.latencies, r.missing) = probeSet.latencies()
        return r
    }

    /// Latency: frames paced at `rate` per second in batches per 1 ms tick (the sender sleeps between ticks, so it
    /// leaves the CPU to serve), probes interleaved.
    private func paced(_ frames: FrameSet, _ ingest: String, _ probeSet: Probes, curve: ClientCurve? = nil) throws
        -> Result
    {
        let ctx = try ZMQContext()
        let push = try ZMQSocket(ctx, .push)
        try curve?.apply(to: push)
        try push.setSendHighWaterMark(100_000)
        try push.setLinger(10_000)
        try push.connect(ingest)
        Thread.sleep(forTimeInterval: 0.3)
        let total = min(frames.count, Int(Double(rate) * seconds))
        let probeEvery = max(1, rate / probes)
        let t0 = monoNanos()
        var k = 0
        while k < total {
            let elapsed = monoNanos() - t0
            let due = min(total, Int(Double(elapsed) / 1e9 * Double(rate)) + 1)
            while k < due {
                _ = try frames.withFrame(k) { try push.send($0) }
                k += 1
                if k % probeEvery == 0 { try probeSet.sendNext(on: push) }
            }
            // Sleep to the next millisecond tick.
            let next = (elapsed / 1_000_000 + 1) * 1_000_000
            let now = monoNanos() - t0
            if next > now { usleep(UInt32((next - now) / 1000)) }
        }
        let sentAt = monoNanos()
        // Wait for the last probes' alerts (at most 5 s).
        let deadline = Date().addingTimeInterval(5)
        while probeSet.arrived < probeSet.timed, Date() < deadline { usleep(1000) }
        var r = Result()
        r.events = total
        r.seconds = Double(sentAt - t0) / 1e9
        r.offered = Double(rate)
        (r.latencies, r.missing) = probeSet.latencies()
        return r
    }

    /// The same paced run through `simulator bare-echo` instead of serve: the probes' latencies (µs, sorted), and
    /// the echo process's CPU time per frame (µs).
    private func latencyFloor(_ frames: FrameSet, simulator: String, base: Int) throws -> ([Double], Double) {
        let ingest = "tcp://127.0.0.1:\(base + 4)"
        let echo = try BareEcho.start(simulator: simulator, ingest: ingest, alerts: "tcp://127.0.0.1:\(base + 5)")
        defer {
            echo.terminate()
            echo.waitUntilExit()
        }
        let probeSet = Probes()
        let stop = StopSignal()
        let listener = probeSet.listen(to: "tcp://127.0.0.1:\(base + 5)", stop: stop)
        defer {
            stop.set()
            listener.wait()
        }
        let cpuBefore = ServeProcess.cpuSeconds(pid: echo.processIdentifier)
        let r = try paced(frames, ingest, probeSet)
        let cpu = (ServeProcess.cpuSeconds(pid: echo.processIdentifier) - cpuBefore) * 1e6 / Double(max(1, r.events))
        return (r.latencies, cpu)
    }

    private func addProbeDossiers(_ path: String) throws {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        guard let close = text.lastIndex(of: "]") else { throw LoadRunError("unexpected dossier file \(path)") }
        text.replaceSubrange(close..., with: "," + Probes.dossierObjects().joined(separator: ",\n") + "\n]\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    private func note(_ s: String) { FileHandle.standardError.write(Data("loadrun: \(s)\n".utf8)) }

    private func loadAverage() -> String {
        let s = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
        return "load average " + s.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

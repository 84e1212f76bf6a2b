import Foundation
import SeinhuisCore

#if canImport(Glibc)
    import Glibc
#endif

/// `simulator loadrun --mode startup`: how long `serve` takes to start on a long journal (PROTOCOL 2.4: start-up
/// reads a snapshot and the journal after it, not the whole history). A stream of `devices` devices over `hours`
/// (a fix every `fixInterval` s) is replayed into a fresh database but for its last `tailEvents` events; serve then
/// starts on it (first start), takes the tail over the reliable endpoint, and is killed with `kill -9`; the second
/// start has the tail to read after the latest snapshot (the worst case: a crash just before a snapshot was due).
/// A graceful stop and a third start give the best case. Each start is timed from the process's launch to its
/// `pipeline ready` log line.
struct StartupRun {
    let binary: String
    let simulator: String
    let work: String
    let base: Int
    let devices: Int
    let hours: Double
    let fixInterval: Int
    let tailEvents: Int

    func note(_ s: String) { FileHandle.standardError.write(Data("loadrun: \(s)\n".utf8)) }

    func run() throws -> String {
        let start = Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 - hours * 3600 - 3600) * 1000))
        note("generating \(devices) devices over \(hours) h, a fix every \(fixInterval) s")
        try ServeProcess.runToEnd(
            simulator,
            [
                "generate", "--devices", String(devices), "--hours", String(hours), "--fix-interval",
                String(fixInterval), "--seed", "14", "--start", start.rfc3339, "--out", work, "--quiet",
            ])
        let events = work + "/events.ndjson"
        let lines = try countLines(events)
        let head = max(0, lines - tailEvents)
        try split(events, at: head, into: work + "/head.ndjson", work + "/tail.ndjson")
        try FileManager.default.removeItem(atPath: events)
        let db = work + "/startup.sqlite"
        try SeinhuisBinary.importDossiers(work + "/dossiers.json", db: db) { try ServeProcess.runToEnd(binary, $0) }
        note("replaying \(head) lines into \(db)")
        let t0 = Date()
        try ServeProcess.runToEnd(binary, ["replay", work + "/head.ndjson", "--db", db, "--quiet"])
        note("replayed in \(Int(Date().timeIntervalSince(t0))) s")
        // Snapshots only at a graceful stop during this run, so the tail is all journal after the latest.
        let options = ["--snapshot-events", String(Int32.max), "--snapshot-interval-ms", String(Int32.max)]
        let help = (try? output(binary, ["serve", "--help"])) ?? ""
        let extra = help.contains("--snapshot-events") ? options : []

        let first = try ServeProcess(
            binary: binary, db: db, dossiers: nil, base: base, workDir: work, extraArguments: extra,
            logName: "serve-1.log", readyTimeout: 3600)
        note("first start: \(r3(first.readySeconds)) s; streaming the last \(lines - head) lines")
        try ServeProcess.runToEnd(
            simulator,
            ["stream", work + "/tail.ndjson", "--reliable", first.reliable, "--batch", "500", "--window", "4", "--quiet"])
        first.kill9()
        let second = try ServeProcess(
            binary: binary, db: db, dossiers: nil, base: base, workDir: work, extraArguments: extra,
            logName: "serve-2.log", readyTimeout: 3600)
        note("after kill -9 with \(lines - head) events after the latest snapshot: \(r3(second.readySeconds)) s")
        second.stop()
        let third = try ServeProcess(
            binary: binary, db: db, dossiers: nil, base: base, workDir: work, extraArguments: extra,
            logName: "serve-3.log", readyTimeout: 3600)
        note("after a graceful stop: \(r3(third.readySeconds)) s")
        third.stop()
        var o = JSONObjectWriter()
        o.string("mode", "startup")
        o.int("journal_events", lines)
        o.int("tail_events", lines - head)
        o.raw("first_start_s", String(r3(first.readySeconds)))
        o.raw("after_kill9_s", String(r3(second.readySeconds)))
        o.raw("after_graceful_stop_s", String(r3(third.readySeconds)))
        o.raw("db_gb", String(r3(Double(fileSize(db)) / 1e9)))
        return o.finish()
    }

    private func countLines(_ path: String) throws -> Int {
        var n = 0
        try forEachLine(path) { _ in
            n += 1
            return true
        }
        return n
    }

    /// Writes the first `head` lines of `path` to `a`, the rest to `b`.
    private func split(_ path: String, at head: Int, into a: String, _ b: String) throws {
        for f in [a, b] { _ = FileManager.default.createFile(atPath: f, contents: nil) }
        let outA = try FileHandle(forWritingTo: URL(fileURLWithPath: a))
        let outB = try FileHandle(forWritingTo: URL(fileURLWithPath: b))
        defer {
            try? outA.close()
            try? outB.close()
        }
        var k = 0
        var buffer: [UInt8] = []
        var target = outA
        try forEachLine(path) { line in
            if k == head {
                target.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
                target = outB
            }
            buffer.append(contentsOf: line)
            buffer.append(0x0A)
            if buffer.count > 1 << 22 {
                target.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
            k += 1
            return true
        }
        target.write(Data(buffer))
    }

    private func output(_ binary: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 0
    }

    private func r3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}

import Benchmark
import Fixtures
import Foundation

#if canImport(Glibc)
    import Glibc
#endif
import SeinhuisCore
import SeinhuisStore

// Names are identifiers (no spaces or commas): package-benchmark 1.38.1 writes threshold files with shell-safe names
// but reads them with the raw name, so any other name never matches its thresholds.
// The ingest hot path piece by piece: decode per kind, duplicate filter, rule evaluation per kind, journal encode and
// append (a real SQLite file), routing and the alert's JSON. Thresholds: docs/PERFORMANCE.md, "Benchmarks".

let frames: [(String, [UInt8])] = [
    (
        "position",
        #"{"v":1,"device":"TAG-0001","seq":1201,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51.0543,"lon":3.7174,"acc":8.5}"#
    ),
    (
        "presence",
        #"{"v":1,"device":"TAG-0001","seq":1205,"ts":"2026-11-22T09:02:00.000Z","kind":"presence","present":true}"#
    ),
    ("heartbeat", #"{"v":1,"device":"TAG-0001","seq":1202,"ts":"2026-11-22T09:00:30.000Z","kind":"heartbeat"}"#),
    (
        "battery",
        #"{"v":1,"device":"TAG-0001","seq":1203,"ts":"2026-11-22T09:01:00.000Z","kind":"battery","level":0.42,"charging":false}"#
    ),
    (
        "strap",
        #"{"v":1,"device":"TAG-0001","seq":1204,"ts":"2026-11-22T09:01:30.000Z","kind":"strap","state":"opened"}"#
    ),
    ("case", #"{"v":1,"device":"TAG-0001","seq":1206,"ts":"2026-11-22T09:02:30.000Z","kind":"case","state":"closed"}"#),
    ("gnss", #"{"v":1,"device":"TAG-0001","seq":1207,"ts":"2026-11-22T09:03:00.000Z","kind":"gnss","state":"ok"}"#),
    (
        "power",
        #"{"v":1,"device":"TAG-0001","seq":1208,"ts":"2026-11-22T09:03:30.000Z","kind":"power","state":"restored"}"#
    ),
    // Not in the contract's layout, so read by the general pass (where the duplicate-key check runs): fields in
    // another order with spaces, and the same with three unknown fields.
    (
        "positionReordered",
        #"{"kind": "position", "lat": 51.0543, "lon": 3.7174, "acc": 8.5, "ts": "2026-11-22T09:00:00.000Z", "seq": 1201, "device": "TAG-0001", "v": 1}"#
    ),
    (
        "positionUnknownFields",
        #"{"v":1,"device":"TAG-0001","seq":1201,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51.0543,"lon":3.7174,"acc":8.5,"fw":"2.1.0","rssi":-71,"gateway_id":"GW-17"}"#
    ),
].map { ($0.0, Array($0.1.utf8)) }

/// `n` dossiers like the simulator's (`Fixtures.dossierJSON`), parsed; one device each (`TAG-00001`...).
func dossiers(_ n: Int) -> [Dossier] {
    try! Dossier.parse(Data(("[" + (1...n).map(dossierJSON).joined(separator: ",") + "]").utf8))
}

func device(_ k: Int) -> String { "TAG-" + String(format: "%05d", k) }

/// A rule engine with `n` devices loaded, and the devices' indices.
func makeEngine(devices n: Int, _ list: [Dossier]? = nil) -> (RuleEngine, [Int]) {
    var e = RuleEngine()
    var changes: [BreachChange] = []
    e.load(list ?? dossiers(n), at: .distantPast, into: &changes)
    return (e, (1...n).map { e.deviceIndex(of: device($0))! })
}

/// Returns freed heap memory to the system (glibc's `malloc_trim`, looked up: `<malloc.h>` is not in Glibc's module).
func trimHeap() {
    typealias Trim = @convention(c) (Int) -> Int32
    if let f = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(f, to: Trim.self)(0) }
}

/// Resident memory of this process, in bytes.
func residentBytes() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let pages = Int(s.split(separator: " ")[1]) ?? 0
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(2),
        thresholds: defaultThresholds)

    for (name, frame) in frames {
        Benchmark("Decode.\(name)") { benchmark in
            let decoder = EventDecoder()
            for _ in benchmark.scaledIterations {
                blackHole(frame.withUnsafeBytes { decoder.decode($0) })
            }
        }
    }

    Benchmark("DuplicateFilter.countingDevices") { benchmark in
        var seen = SeenSequences()
        var seq: UInt64 = 0
        for _ in benchmark.scaledIterations {
            seq += 1
            blackHole(seen.insert(slot: Int(seq % 10_000), seq: seq / 10_000))
        }
    }

    // The device directory's lookup per frame, round-robin over 10k device ids: the ingest's `[String: Int]`, and the
    // rule engine's `NameIndex` (smaller: 10 bytes per name besides the name; kept off the ingest's hot path because
    // it measured 10-20 ns slower per lookup here).
    let directoryNames = (1...10_000).map(device)
    Benchmark("Directory.nameIndex10kDevices") { benchmark in
        var index = NameIndex()
        for name in directoryNames { _ = index.insert(name) }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { blackHole(index.index(of: directoryNames[i % 10_000])) }
    }
    Benchmark("Directory.dictionary10kDevices") { benchmark in
        var index: [String: Int] = [:]
        for (k, name) in directoryNames.enumerated() { index[name] = k }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { blackHole(index[directoryNames[i % 10_000]]) }
    }

    // Rule evaluation: one event per iteration, each device's a second after its previous one, of one device or
    // round-robin over 10k devices (the live mix: the device's state is rarely in cache). The engine is built once
    // and warmed up (every device has had an event), so the figures are the steady state.
    let readings: [(String, @Sendable (Int) -> Reading)] = [
        ("position", { i in .position(lat: 50.8 + Double(i % 7) * 0.0001, lon: 4.3, acc: 8) }),
        ("heartbeat", { _ in .heartbeat }),
        ("battery", { i in .battery(level: 0.5 + Double(i % 3) * 0.1, charging: false) }),
        ("strap", { i in .strap(i % 2 == 0 ? .opened : .closed) }),
    ]
    for (name, reading) in readings {
        for n in [1, 10_000] {
            let fixture = RulesFixture(devices: n)
            Benchmark("Rules.\(name).\(n == 1 ? "oneDevice" : "10kDevices")") { benchmark in
                fixture.run(benchmark.scaledIterations.count, reading)
            }
        }
    }

    // What the pipeline keeps per tracked device: the parsed dossier (the catalog), the rule engine's state after a
    // position, the duplicate filter and the device directory. Resident memory grown / devices (an upper bound:
    // memory freed while parsing stays resident). Target: at most 2048 bytes (1M devices in 2 GB).
    Benchmark(
        "State.perTrackedDevice100k",
        configuration: .init(
            metrics: [.custom("bytes per device"), .custom("of which dossiers")], warmupIterations: 0,
            scalingFactor: .one, maxIterations: 1,
            thresholds: [
                .custom("bytes per device"): .init(relative: [.p50: 10]),
                .custom("of which dossiers"): .init(relative: [.p50: 10]),
            ])
    ) { benchmark in
        let n = 100_000
        trimHeap()
        let before = residentBytes()
        let catalog = dossiers(n)
        trimHeap()
        let parsed = residentBytes()
        var (e, index) = makeEngine(devices: n, catalog)
        var seen = SeenSequences()
        var directory: [String: Int] = [:]  // the ingest's device directory (its per-device record is not counted)
        var changes: [BreachChange] = []
        for k in 1...n {
            let name = device(k)
            directory[name] = k
            _ = seen.insert(slot: k, seq: 1)
            let ev = DeviceEvent(
                device: name, seq: 1, ts: Timestamp(milliseconds: start),
                reading: .position(lat: 50.8, lon: 4.3, acc: 8))
            e.process(ev, deviceIndex: index[k - 1], into: &changes)
        }
        trimHeap()  // what parsing left behind is not state
        benchmark.measurement(.custom("bytes per device"), (residentBytes() - before) / n)
        benchmark.measurement(.custom("of which dossiers"), (parsed - before) / n)
        blackHole(e)
        blackHole(catalog)
        blackHole(seen)
        blackHole(directory)
        index.removeAll()
    }

    Benchmark("Journal.encodePosition") { benchmark in
        var block = JournalBlockBuilder()
        let e = DeviceEvent(
            device: "TAG-0001", seq: 1, ts: Timestamp(milliseconds: 1_790_000_000_000),
            reading: .position(lat: 51.0543, lon: 3.7174, acc: 8.5))
        for i in benchmark.scaledIterations {
            if i % 8192 == 0 { block.reset() }
            block.append(deviceID: 42, e)
        }
        blackHole(block.count)
    }

    // A committed batch of 4096 positions of 4096 devices: encode, one row, commit (WAL, synchronous=NORMAL).
    Benchmark(
        "Journal.appendBatch4096",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one, maxDuration: .seconds(2))
    ) { benchmark in
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try! Store(path: dir.appendingPathComponent("journal.sqlite").path)
        var block = JournalBlockBuilder()
        var seq: UInt64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            seq += 1
            for d in 0..<4096 {
                block.append(
                    deviceID: Int64(d),
                    DeviceEvent(
                        device: "", seq: seq, ts: Timestamp(milliseconds: start + Int64(seq) * 1000),
                        reading: .position(lat: 51.05, lon: 3.71, acc: 8)))
            }
            try! store.transaction { try store.appendJournal(block, receivedAt: Timestamp(milliseconds: start)) }
            block.reset()
        }
    }

    pipelineBenchmarks()
    catchUpBenchmarks()
    auditBenchmarks()

    Benchmark("Routing.routeAndAlertJSON") { benchmark in
        let policy = RoutingPolicy.v1
        let severities: [Severity] = [.critical, .high, .medium, .low]
        for i in benchmark.scaledIterations {
            let route = policy.route(radex: i % 3 == 0, severity: severities[i % 4])
            let a = Alert(
                id: Alert.id(forNumber: Int64(i)), dossier: "D-2026-0001", device: "TAG-00001",
                kind: .breach(.strap_tamper), severity: severities[i % 4], radex: i % 3 == 0, queues: route.queues,
                zone: nil,
                eventTs: Timestamp(milliseconds: start), detectedAt: Timestamp(milliseconds: start + 5), policy: "v1")
            blackHole(a.json)
        }
    }
}

/// A warmed-up rule engine that benchmark iterations keep feeding (time moves on across iterations).
final class RulesFixture: @unchecked Sendable {
    // @unchecked: package-benchmark runs one benchmark at a time, on one thread.
    let n: Int
    let names: [String]
    /// Built at the first iteration (not when the suite is listed), then fed in place (no copy of the engine).
    var engine: RuleEngine?
    var index: [Int] = []

    func setUp() {
        var (e, index) = makeEngine(devices: n)
        var changes: [BreachChange] = []
        for d in 0..<n {  // every device has had an event
            let ev = DeviceEvent(device: names[d], seq: 0, ts: Timestamp(milliseconds: start), reading: .heartbeat)
            e.process(ev, deviceIndex: index[d], into: &changes)
        }
        self.engine = e
        self.index = index
    }
    var i = 0
    var changes: [BreachChange] = []

    init(devices n: Int) {
        self.n = n
        names = (1...n).map(device)
        changes.reserveCapacity(1024)
    }

    func run(_ count: Int, _ reading: (Int) -> Reading) {
        if engine == nil { setUp() }
        for _ in 0..<count {
            i += 1
            let d = i % n
            let ts = Timestamp(milliseconds: start + Int64(i / n + 1) * 1000)
            let ev = DeviceEvent(device: names[d], seq: UInt64(i), ts: ts, reading: reading(i / n))
            if d == 0 { engine!.advance(to: ts, into: &changes) }
            blackHole(engine!.process(ev, deviceIndex: index[d], into: &changes))
            if changes.count > 512 { changes.removeAll(keepingCapacity: true) }
        }
    }
}

import Foundation
import Testing

@testable import SeinhuisCore

/// The contract's worked example and edge cases (`../shared/spec`), replayed through `EventDecoder`, the duplicate
/// rule, `ReplaySequencer` and `RuleEngine`: the breaches raised must be `expected.json` exactly, and the counts
/// `counts.json`.
@Suite("Spec: replay of the contract's example and edge cases")
struct SpecReplayTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
    static let spec = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/spec")

    /// One breach occurrence as expected.json gives it.
    struct Breach: Hashable, CustomStringConvertible {
        var dossier: String
        var device: String?
        var breach: String
        var zone: String?
        var severity: String
        var raised: String
        var cleared: String?
        var description: String {
            "\(dossier) \(device ?? "-") \(breach) \(zone ?? "-") \(severity) \(raised) → \(cleared ?? "open")"
        }
    }

    struct Outcome {
        var breaches: [Breach] = []
        var counts: [String: Int] = [:]
        var detectedAt: [Breach: Timestamp] = [:]
    }

    /// Replays a spec folder as `seinhuis replay` does (without the store).
    static func replay(_ folder: String, config: RuleConfig = .init()) throws -> Outcome {
        let dir = spec.appendingPathComponent(folder)
        let dossiers = try Dossier.parse(Data(contentsOf: dir.appendingPathComponent("dossiers.json")))
        var engine = RuleEngine(config: config)
        var boot: [BreachChange] = []
        engine.load(dossiers, at: .distantPast, into: &boot)
        var sequencer = ReplaySequencer(engine: engine)
        let decoder = EventDecoder()
        let text = try Data(contentsOf: dir.appendingPathComponent("events.ndjson"))
        var out = Outcome()
        var lines = 0
        var blank = 0
        var rejected = 0
        var duplicates = 0
        var accepted = 0
        var seen = Set<String>()
        var changes: [TimedBreachChange] = []
        var open: [BreachKey: Int] = [:]
        func collect() {
            for c in changes {
                switch c.change {
                case .raised(let k, let at):
                    precondition(open[k] == nil, "raised twice: \(k)")
                    open[k] = out.breaches.count
                    let b = Breach(
                        dossier: k.dossier, device: k.device, breach: k.kind.rawValue, zone: k.zone,
                        severity: k.kind.severity.rawValue, raised: at.rfc3339, cleared: nil)
                    out.breaches.append(b)
                case .cleared(let k, let at):
                    let i = open.removeValue(forKey: k)!
                    out.breaches[i].cleared = at.rfc3339
                }
            }
            changes.removeAll(keepingCapacity: true)
        }
        let bytes = [UInt8](text)
        var start = 0
        func line(_ r: Range<Int>) {
            lines += 1
            if bytes[r].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                blank += 1
                return
            }
            let outcome = bytes.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[r])) }
            guard case .event(let e) = outcome, engine.isKnownDevice(e.device) else {
                rejected += 1
                return
            }
            guard seen.insert("\(e.device)\u{0}\(e.seq)").inserted else {
                duplicates += 1
                return
            }
            accepted += 1
            sequencer.push(e, into: &changes)
            collect()
        }
        for i in bytes.indices where bytes[i] == 0x0A {
            line(start..<i)
            start = i + 1
        }
        if start < bytes.count { line(start..<bytes.count) }
        sequencer.finish(into: &changes)
        collect()
        out.counts = [
            "lines": lines, "accepted": accepted, "duplicates": duplicates, "rejected": rejected, "blank": blank,
            "stored_not_evaluated": sequencer.counts.notEvaluated, "late": sequencer.counts.late,
        ]
        return out
    }

    static func expected(_ folder: String) throws -> (breaches: [Breach], keys: Set<String>) {
        let url = spec.appendingPathComponent(folder).appendingPathComponent("expected.json")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        let keys = Set(items.flatMap(\.keys))
        let breaches = items.map { o in
            Breach(
                dossier: o["dossier"] as! String, device: o["device"] as? String, breach: o["breach"] as! String,
                zone: o["zone"] as? String, severity: o["severity"] as! String,
                raised: o["raised_at_event_ts"] as! String, cleared: o["cleared_at_event_ts"] as? String)
        }
        return (breaches, keys)
    }

    @Test(arguments: ["example", "edge/autumn", "edge/spring"])
    func breachesMatchExpected(_ folder: String) throws {
        let got = try Self.replay(folder)
        let (want, keys) = try Self.expected(folder)
        // The example gives neither device nor zone: compare on what expected.json gives.
        let project: (Breach) -> Breach = { b in
            var b = b
            if !keys.contains("device") { b.device = nil }
            if !keys.contains("zone") { b.zone = nil }
            return b
        }
        let gotList = got.breaches.map(project)
        let missing = want.filter { !gotList.contains($0) }
        let extra = gotList.filter { !want.contains($0) }
        #expect(missing.isEmpty, "missing \(missing.count):\n\(missing.map(\.description).joined(separator: "\n"))")
        #expect(extra.isEmpty, "unexpected \(extra.count):\n\(extra.map(\.description).joined(separator: "\n"))")
        #expect(gotList.count == want.count)
    }

    @Test(arguments: ["edge/autumn", "edge/spring"])
    func countsMatch(_ folder: String) throws {
        let got = try Self.replay(folder)
        let url = Self.spec.appendingPathComponent(folder).appendingPathComponent("counts.json")
        let want = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Int])
        for (k, v) in want.sorted(by: { $0.key < $1.key }) {
            #expect(got.counts[k] == v, "\(k): got \(got.counts[k] ?? -1), want \(v)")
        }
    }
}

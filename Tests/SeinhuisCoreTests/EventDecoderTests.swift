import Foundation
import Testing

@testable import SeinhuisCore

@Suite("Event decoding (PROTOCOL 2, 2.2)")
struct EventDecoderTests {
    let decoder = EventDecoder()

    func event(_ s: String) -> DeviceEvent? {
        if case .event(let e) = decoder.decode(s) { return e }
        return nil
    }

    func reason(_ s: String) -> RejectReason? {
        if case .rejected(let r) = decoder.decode(s) { return r.reason }
        return nil
    }

    @Test func decodesEveryKind() throws {
        let base = #""v":1,"device":"TAG-0001","seq":1201,"ts":"2026-11-22T09:00:00.000Z""#
        let cases: [(String, Reading)] = [
            (
                #""kind":"position","lat":51.0543,"lon":3.7174,"acc":8.5"#,
                .position(lat: 51.0543, lon: 3.7174, acc: 8.5)
            ),
            (#""kind":"presence","present":false"#, .presence(false)),
            (#""kind":"strap","state":"opened""#, .strap(.opened)),
            (#""kind":"case","state":"closed""#, .case(.closed)),
            (#""kind":"battery","level":0.15,"charging":true"#, .battery(level: 0.15, charging: true)),
            (#""kind":"gnss","state":"jammed""#, .gnss(.jammed)),
            (#""kind":"gnss","state":"lost""#, .gnss(.lost)),
            (#""kind":"gnss","state":"ok""#, .gnss(.ok)),
            (#""kind":"power","state":"lost""#, .power(.lost)),
            (#""kind":"power","state":"restored""#, .power(.restored)),
            (#""kind":"heartbeat""#, .heartbeat),
        ]
        for (fields, reading) in cases {
            let e = try #require(event("{\(base),\(fields)}"), "\(fields)")
            #expect(e.device == "TAG-0001")
            #expect(e.seq == 1201)
            #expect(e.ts == Timestamp(rfc3339: "2026-11-22T09:00:00.000Z"))
            #expect(e.reading == reading)
        }
    }

    @Test func acceptsSpacesFieldOrderUnknownFieldsAndEscapes() throws {
        let e = try #require(
            event(
                #" { "kind" : "position", "acc": 8.5e0, "fw": {"a": [1, 2, {"b": null}]}, "lon": -3.7, "lat": 51, "ts": "2026-11-22T09:00:00Z", "seq": 0, "device": "TAG-0001", "v": 1 } "#
            ))
        #expect(e.reading == .position(lat: 51, lon: -3.7, acc: 8.5))
        #expect(e.seq == 0)
        let esc = try #require(
            event(#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"he\u0061rtbeat"}"#))
        #expect(esc.reading == .heartbeat)
    }

    @Test func seqCoversTheWholeUInt64Range() throws {
        let max = try #require(
            event(
                #"{"v":1,"device":"T","seq":18446744073709551615,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#))
        #expect(max.seq == UInt64.max)
        #expect(
            reason(
                #"{"v":1,"device":"T","seq":18446744073709551616,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#)
                == .outOfRange)
    }

    @Test(arguments: [
        (#"{"v":1,"device":"T","seq":"#, RejectReason.malformedJSON),
        ("this is not json", .notAnObject),
        ("42", .notAnObject),
        ("[]", .notAnObject),
        ("null", .notAnObject),
        (String(repeating: "[", count: 60_000), .notAnObject),
        (#"{"v":1,"device":"\#u{FFFD}","seq":1}"#, .badDevice),
        (#"{"v":"1","device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .wrongType),
        (#"{"v":2,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .unsupportedVersion),
        (#"{"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .missingField),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":7}"#, .wrongType),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"teleport"}"#, .unknownKind),
        (#"{"v":1,"device":"TAG 01","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .badDevice),
        (#"{"v":1,"device":"","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .badDevice),
        (
            "{\"v\":1,\"device\":\"\(String(repeating: "x", count: 65))\",\"seq\":1,\"ts\":\"2026-11-22T09:00:00.000Z\",\"kind\":\"heartbeat\"}",
            .badDevice
        ),
        (#"{"v":1,"device":"T","seq":-1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .outOfRange),
        (#"{"v":1,"device":"T","seq":1.5,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .wrongType),
        (#"{"v":1,"device":"T","seq":1,"ts":"yesterday","kind":"heartbeat"}"#, .badTimestamp),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-02-30T09:00:00.000Z","kind":"heartbeat"}"#, .badTimestamp),
        (#"{"v":1,"device":"T","seq":1,"ts":1700000000,"kind":"heartbeat"}"#, .wrongType),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":91,"lon":3,"acc":5}"#,
            .outOfRange
        ),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51,"lon":181,"acc":5}"#,
            .outOfRange
        ),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51,"lon":3,"acc":0}"#,
            .outOfRange
        ),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":NaN,"lon":3,"acc":5}"#,
            .outOfRange
        ),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51,"acc":5}"#,
            .missingField
        ),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":"51","lon":3,"acc":5}"#,
            .wrongType
        ),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"battery","level":1.2,"charging":false}"#,
            .outOfRange
        ),
        (
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"battery","level":0.5,"charging":"no"}"#,
            .wrongType
        ),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"presence"}"#, .missingField),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"strap","state":"broken"}"#, .outOfRange),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"gnss","state":"fine"}"#, .outOfRange),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"} trailing"#, .malformedJSON),
        (#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat","x":[1,2}"#, .malformedJSON),
        (#"{"v":1,"device":"T","seq":01,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#, .malformedJSON),
        ("", .malformedJSON),
    ])
    func rejectsEveryBadInputClass(line: String, expected: RejectReason) {
        #expect(reason(line) == expected, "\(line.prefix(100))")
    }

    @Test func rejectsOversizeFramesWithoutParsing() {
        let pad = String(repeating: "q", count: 70_000)
        let line =
            #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat","pad":""# + pad + "\"}"
        #expect(reason(line) == .oversize)
        if case .event(let e) = EventDecoder(maxFrameBytes: 100_000).decode(line) {
            #expect(e.seq == 1)
        } else {
            Issue.record("a frame under a larger limit must decode")
        }
    }

    @Test func rejectsInvalidUTF8() {
        var bytes = Array(#"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat","x":""#.utf8)
        bytes += [0xC3, 0x28, 0x22, 0x7D]
        if case .rejected(let r) = decoder.decode(bytes) {
            #expect(r.reason == .malformedJSON)
        } else {
            Issue.record("invalid UTF-8 accepted")
        }
    }

    @Test func deepNestingInsideUnknownFieldsIsRejectedNotRecursed() {
        let deep = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        #expect(reason(#"{"v":1,"x":"# + deep + "}") == .malformedJSON)
    }

    @Test func roundTripsThroughItsOwnJSON() throws {
        let e = DeviceEvent(
            device: "TAG-9", seq: 18_446_744_073_709_451_616, ts: Timestamp(milliseconds: 1_790_000_000_123),
            reading: .position(lat: 51.0316293, lon: -0.1170209, acc: 29.9))
        #expect(event(e.json) == e)
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test func parsesAndFormatsRFC3339() throws {
        let t = try #require(Timestamp(rfc3339: "2026-11-22T09:00:00.004Z"))
        #expect(t.milliseconds == 1_795_338_000_004)
        #expect(t.rfc3339 == "2026-11-22T09:00:00.004Z")
        #expect(Timestamp(rfc3339: "2026-11-22T10:00:00.004+01:00") == t)
        #expect(Timestamp(rfc3339: "2026-11-22T09:00:00.0049Z") == t)
        #expect(Timestamp(milliseconds: -1).rfc3339 == "1969-12-31T23:59:59.999Z")
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        #expect(Timestamp(rfc3339: "2026-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-22 09:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2026-11-22T09:00:00") == nil)
    }
}

@Suite("Duplicate filter (PROTOCOL 2.1)")
struct SeenSequencesTests {
    @Test func countingDeviceCostsOneRange() {
        var s = SeenSequences()
        var fresh = 0
        for q in UInt64(1)...10_000 where s.insert(slot: 0, seq: q) { fresh += 1 }
        #expect(fresh == 10_000)
        #expect(s.rangeCount == 1)
        let again = s.insert(slot: 0, seq: 5000)
        let otherDevice = s.insert(slot: 1, seq: 5000)
        #expect(!again)
        #expect(otherDevice)
    }

    @Test func outOfOrderAndGapsMergeRanges() {
        var s = SeenSequences()
        let order: [UInt64] = [10, 12, 11, 1, 3, 2, UInt64.max, 0]
        let firsts = order.map { s.insert(slot: 3, seq: $0) }
        #expect(firsts.allSatisfy { $0 })
        #expect(s.rangeCount == 3)  // 0-3, 10-12, max
        let seconds = order.map { s.insert(slot: 3, seq: $0) }
        #expect(seconds.allSatisfy { !$0 })
        let removed = s.remove(slot: 3, seq: 11)
        let reinserted = s.insert(slot: 3, seq: 11)
        #expect(removed && reinserted)
        #expect(s.rangeCount == 3)
    }

    @Test func matchesASetOnRandomSequences() {
        var rng = SystemRandomNumberGenerator()
        var s = SeenSequences()
        var reference = Set<UInt64>()
        var mismatches = 0
        for _ in 0..<20_000 {
            let q = UInt64.random(in: 0..<2000, using: &rng)
            if s.insert(slot: 0, seq: q) != reference.insert(q).inserted { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
}

@Suite("Edge files through the decoder")
struct EdgeDecodingTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "../../../shared/spec")

    @Test(arguments: ["edge/autumn", "edge/spring", "example"])
    func countsMatch(_ folder: String) throws {
        let dir = Self.shared.appendingPathComponent(folder)
        let dossiers = try JSONSerialization.jsonObject(
            with: Data(contentsOf: dir.appendingPathComponent("dossiers.json")))
        let devices = Set(((dossiers as? [[String: Any]]) ?? []).flatMap { ($0["devices"] as? [String]) ?? [] })
        let data = try Data(contentsOf: dir.appendingPathComponent("events.ndjson"))
        var accepted = 0, duplicates = 0, rejected = 0, blank = 0, lines = 0
        var seen = Set<String>()
        let decoder = EventDecoder()
        data.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = all[start...].firstIndex(of: 0x0A) ?? all.count
                let line = UnsafeRawBufferPointer(rebasing: all[start..<end])
                start = end + 1
                lines += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { blank += 1; continue }
                switch decoder.decode(line) {
                case .rejected: rejected += 1
                case .event(let e):
                    if !devices.contains(e.device) {
                        rejected += 1
                    } else if seen.insert("\(e.device)#\(e.seq)").inserted {
                        accepted += 1
                    } else {
                        duplicates += 1
                    }
                }
            }
        }
        let countsURL = dir.appendingPathComponent("counts.json")
        if let counts = try? JSONSerialization.jsonObject(with: Data(contentsOf: countsURL)) as? [String: Int] {
            #expect(lines == counts["lines"])
            #expect(accepted == counts["accepted"])
            #expect(duplicates == counts["duplicates"])
            #expect(rejected == counts["rejected"])
            #expect(blank == counts["blank"])
        } else {
            #expect(rejected == 0)
            #expect(accepted == 200)
        }
    }
}

/// The newest range of each device lives apart from the older ones; crossing between them keeps the rule.
struct SeenSequencesNewestRangeTests {
    @Test func gapsResendsAndRemovalsAcrossTheNewestRange() {
        var s = SeenSequences()
        let first = [5, 6, 7, 20, 21, 9].map { s.insert(slot: 3, seq: UInt64($0)) }
        #expect(first == [true, true, true, true, true, true])
        let again = [5, 7, 20, 21, 9].map { s.insert(slot: 3, seq: UInt64($0)) }
        #expect(again == [false, false, false, false, false])
        #expect(s.rangeCount == 3)  // 5-7, 9, 20-21
        let joins = s.insert(slot: 3, seq: 8)  // joins 5-7 and 9
        #expect(joins && s.rangeCount == 2)
        let below = s.insert(slot: 3, seq: 19)  // joins the newest range from below
        #expect(below && s.rangeCount == 2)
        let removed = s.remove(slot: 3, seq: 21)
        #expect(removed && !s.contains(slot: 3, seq: 21))
        let resent = s.insert(slot: 3, seq: 21)
        #expect(resent)
        let removedOld = [s.remove(slot: 3, seq: 5), s.remove(slot: 3, seq: 6)]
        #expect(removedOld == [true, true])
        #expect(s.contains(slot: 3, seq: 7) && !s.contains(slot: 3, seq: 6))
        let zero = [s.insert(slot: 0, seq: 0), s.insert(slot: 0, seq: 0)]
        #expect(zero == [true, false])
        #expect(!s.contains(slot: 1, seq: 0) && !s.contains(slot: 99, seq: 0))
    }
}

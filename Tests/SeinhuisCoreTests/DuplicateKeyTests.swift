import Foundation
import Testing

@testable import SeinhuisCore

/// Issue 16: a repeated key is rejected (`duplicate_key`), in events and in dossier files.
@Suite("Duplicate keys: events rejected, dossier files refused")
struct DuplicateKeyTests {
    let decoder = EventDecoder()
    static let base = #""v":1,"device":"TAG-G1","seq":7,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat""#

    func rejection(_ s: String) -> Rejection? {
        if case .rejected(let r) = decoder.decode(s) { return r }
        return nil
    }

    @Test func theProbesFrameIsRejected() throws {
        let frame =
            #"{"v":1,"device":"TAG-G1","device":"TAG-N1","seq":7,"ts":"2026-11-22T09:00:00.000Z","kind":"heartbeat"}"#
        let r = try #require(rejection(frame))
        #expect(r.reason == .duplicateKey)
        #expect(r.detail == #"key "device" appears more than once"#)
        #expect(RejectReason.duplicateKey.rawValue == "duplicate_key")
    }

    @Test(arguments: ["v", "ts", "seq", "kind", "device"])
    func everyKnownKeyTwiceIsRejected(_ key: String) throws {
        let value = key == "v" || key == "seq" ? "1" : #""x""#
        let r = try #require(rejection("{\(Self.base),\"\(key)\":\(value)}"))
        #expect(r.reason == .duplicateKey)
        #expect(r.detail.contains("\"\(key)\""))
    }

    @Test func aKindsFieldTwiceIsRejected() throws {
        let strap = #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"strap","state":"opened","state":"closed"}"#
        #expect(rejection(strap)?.reason == .duplicateKey)
        let pos = #"{"v":1,"device":"T","seq":1,"ts":"2026-11-22T09:00:00.000Z","kind":"position","lat":51,"lon":3,"acc":5,"lat":52}"#
        #expect(rejection(pos)?.reason == .duplicateKey)
    }

    @Test func unknownKeysTwiceAreRejected() throws {
        for key in ["fw", "firmware_version", "a", "x-very-long-unknown-key-name-over-eight-bytes", "é€😀"] {
            let r = try #require(rejection("{\(Self.base),\"\(key)\":1,\"other\":2,\"\(key)\":{\"n\":[1]}}"), "\(key)")
            #expect(r.reason == .duplicateKey, "\(key)")
            #expect(r.detail == "key \"\(key.prefix(40))\" appears more than once")
        }
    }

    @Test func anEscapedKeyEqualsItsPlainSpelling() {
        #expect(rejection("{\(Self.base),\"d\\u0065vice\":\"TAG-N1\"}")?.reason == .duplicateKey)
        #expect(rejection("{\(Self.base),\"fw\":1,\"f\\u0077\":2}")?.reason == .duplicateKey)
    }

    /// Keys that share a prefix, a length or a first word are different keys: accepted.
    @Test func aPrefixOrNearKeyIsNotADuplicate() {
        let keys = [
            "s", "se", "seqq", "seq2", "device_", "devic", "kinds", "t", "tss", "vv", "state2",
            "abcdefgh", "abcdefghi", "abcdefghij", "abcdefgh1", "chargin", "chargings",
        ]
        let frame = "{\(Self.base)," + keys.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        guard case .event(let e) = decoder.decode(frame) else {
            Issue.record("rejected: \(decoder.decode(frame))")
            return
        }
        #expect(e.device == "TAG-G1")
    }

    /// Many distinct unknown keys fill the 64-bit mask (suspects): each is checked exactly and accepted.
    @Test func manyDistinctUnknownKeysAreAccepted() {
        let extra = (0..<300).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(decoder.decode("{\(Self.base),\(extra)}").isEvent)
        #expect(rejection("{\(Self.base),\(extra),\"k299\":1}")?.reason == .duplicateKey)
    }

    /// A nested object's keys (in an unknown field) are not the event's: a repeat there is not a duplicate.
    @Test func nestedKeysAreNotTheEvents() {
        #expect(decoder.decode(#"{"# + Self.base + #","fw":{"device":1,"device":2},"x":[{"seq":1}]}"#).isEvent)
    }

    /// Malformed JSON is reported as such even with a repeated key before the error.
    @Test func malformedWinsOverDuplicate() {
        #expect(rejection("{\(Self.base),\"seq\":1,}")?.reason == .malformedJSON)
    }

    // MARK: dossiers

    static let dossier = #"""
        {"id": "D-1", "subject": "S-7F3A", "radex": false, "mandate": "pretrial", "start": "2026-01-15", "devices": ["T1"],
         "home": {"lat": 51.05, "lon": 3.72, "radius_m": 100}, "zones": [
           {"id": "Z-1", "kind": "exclusion", "circle": {"lat": 51.0, "lon": 3.7, "radius_m": 50}}]}
        """#

    static func error(_ text: String) -> String {
        do {
            _ = try Dossier.parse(text)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func aDossierFileWithADuplicateKeyIsRefusedNamingThePath() throws {
        #expect(Self.error(Self.dossier) == "no error")
        let cases: [(String, String)] = [
            (Self.dossier.replacingOccurrences(of: #""devices""#, with: #""devices": ["T9"], "devices""#),
                "dossier D-1: devices: a duplicate key (it appears more than once)"),
            (Self.dossier.replacingOccurrences(of: #""kind": "exclusion""#, with: #""kind": "exclusion", "kind": "inclusion""#),
                "dossier D-1: zones[0].kind: a duplicate key (it appears more than once)"),
            (Self.dossier.replacingOccurrences(of: #""radius_m": 50"#, with: #""radius_m": 50, "radius_m": 5000"#),
                "dossier D-1: zones[0].circle.radius_m: a duplicate key (it appears more than once)"),
            ("[" + Self.dossier + ", " + Self.dossier.replacingOccurrences(of: #""id": "D-1","#, with: #""id": "D-2", "subject": "S-1","#) + "]",
                "dossier D-2: subject: a duplicate key (it appears more than once)"),
            (#"[{"x": 1, "x": 2}]"#, "dossier #1: x: a duplicate key (it appears more than once)"),
            (Self.dossier.replacingOccurrences(of: #""id": "D-1","#, with: #""id": "D-1", "i\u0064": "D-2","#),
                "dossier D-1: id: a duplicate key (it appears more than once)"),
            ("\u{FEFF}" + Self.dossier.replacingOccurrences(of: #""start""#, with: #""start": "2026-01-01", "start""#),
                "dossier D-1: start: a duplicate key (it appears more than once)"),
        ]
        for (text, expected) in cases {
            #expect(Self.error(text) == expected, "\(text)")
        }
    }

    /// Nothing of a refused file is read: the scanner never names a key of a file without duplicates.
    @Test func theScannerFindsNothingInTheSpecsDossiers() throws {
        for folder in ["example", "edge/autumn", "edge/spring"] {
            let url = SpecReplayTests.spec.appendingPathComponent(folder).appendingPathComponent("dossiers.json")
            let bytes = Array(try Data(contentsOf: url))
            #expect(bytes.withUnsafeBufferPointer { DossierKeyScanner.firstDuplicate($0) } == nil, "\(folder)")
        }
    }
}

extension DecodeOutcome {
    var isEvent: Bool {
        if case .event = self { return true }
        return false
    }
}

import Foundation
import Logging
import SeinhuisCore
import Testing

@testable import SeinhuisServer

/// The JSON log line (`serve --log-format json`): its fields, flattened metadata, escaping.
@Suite("JSON log handler")
struct JSONLogHandlerTests {
    static func object(_ line: [UInt8]) throws -> [String: String] {
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") }, "one line")
        return try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: String])
    }

    @Test func aLineHoldsTheFieldsAndTheMetadataFlattened() throws {
        let line = JSONLogHandler.line(
            ts: Timestamp(milliseconds: 1_764_752_400_123), level: .warning, label: "seinhuis",
            message: "batch \"b\"\nnot stored",
            metadata: [
                "events": "12", "error": .stringConvertible(42),
                "snapshot": ["id": "7", "age": ["ms": "9"]], "queues": ["vcet", "police"], "message": "shadow",
                "weird \"key\"": "\u{01}",
            ])
        let o = try Self.object(line)
        #expect(o["ts"] == "2025-12-03T09:00:00.123Z")
        #expect(o["level"] == "warning")
        #expect(o["label"] == "seinhuis")
        #expect(o["message"] == "batch \"b\"\nnot stored")
        #expect(o["events"] == "12")
        #expect(o["error"] == "42")
        #expect(o["snapshot.id"] == "7")
        #expect(o["snapshot.age.ms"] == "9")
        #expect(o["queues.0"] == "vcet")
        #expect(o["queues.1"] == "police")
        #expect(o["_message"] == "shadow")
        #expect(o["weird \"key\""] == "\u{01}")
        #expect(o.count == 12)
    }

    @Test func theHandlerMergesItsOwnMetadataAndHonoursTheLevel() throws {
        let lines = LockedLines()
        var handler = JSONLogHandler(label: "t") { lines.append($0) }
        handler.logLevel = .notice
        handler[metadataKey: "component"] = "ingest"
        let logger = Logger(label: "t") { _ in handler }
        logger.info("dropped: below the level")
        logger.notice("kept", metadata: ["component": "rules", "n": "1"])
        let got = lines.all
        #expect(got.count == 1)
        let o = try Self.object(try #require(got.first))
        #expect(o["message"] == "kept")
        #expect(o["component"] == "rules")
        #expect(o["n"] == "1")
        #expect(o["level"] == "notice")
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [[UInt8]] = []
    func append(_ l: [UInt8]) { lock.withLock { lines.append(l) } }
    var all: [[UInt8]] { lock.withLock { lines } }
}

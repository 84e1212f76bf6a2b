#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Logging
import SeinhuisCore
import SeinhuisStore

/// `serve --log-format json` (issue 16): one JSON object per line, for log collectors.
///
/// `{"ts":"2026-12-03T08:20:00.123Z","level":"info","label":"seinhuis","message":"pipeline ready","dossiers":"13",...}`:
/// the time (RFC 3339, UTC, milliseconds), the level, the logger's label and the message, then the metadata
/// (the handler's, the provider's and the call's, the call's winning) flattened into the same object: a nested
/// dictionary's keys joined with dots (`a.b`), an array's items as `a.0`, `a.1`; every value a string. A metadata key
/// that is one of the four fields above is written with a leading underscore (`_message`). What serve logs holds ids,
/// counts, endpoints and paths only: no subject beyond the dossier's pseudonym (docs/EXTENSIONS.md, "Logs").
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: @Sendable ([UInt8]) -> Void

    static let reserved: Set<String> = ["ts", "level", "label", "message"]

    /// A handler writing each line to standard error with one `write(2)` (a line is never split between writers).
    public static func standardError(label: String, metadataProvider: Logger.MetadataProvider? = nil) -> JSONLogHandler
    {
        JSONLogHandler(label: label, metadataProvider: metadataProvider) { line in
            line.withUnsafeBytes { b in
                var off = 0
                while off < b.count {
                    let n = write(2, b.baseAddress! + off, b.count - off)
                    if n <= 0 { return }
                    off += n
                }
            }
        }
    }

    /// A handler giving each line (newline included) to `write`.
    public init(
        label: String, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.label = label
        self.metadataProvider = metadataProvider
        self.sink = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let m = event.metadata { all.merge(m) { _, new in new } }
        sink(Self.line(
            ts: WallClock.now(), level: event.level, label: label, message: "\(event.message)", metadata: all))
    }

    /// The line for one log event (tests call it directly).
    static func line(ts: Timestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata)
        -> [UInt8]
    {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(UInt8(ascii: "{"))
        field("ts", ts.rfc3339, &out)
        field("level", level.rawValue, &out)
        field("label", label, &out)
        field("message", message, &out)
        var flat: [(String, String)] = []
        for (k, v) in metadata { flatten(reserved.contains(k) ? "_" + k : k, v, into: &flat) }
        for (k, v) in flat.sorted(by: { $0.0 < $1.0 }) { field(k, v, &out) }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        return out
    }

    private static func field(_ k: String, _ v: String, _ out: inout [UInt8]) {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        JSONObjectWriter.appendQuoted(k, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONObjectWriter.appendQuoted(v, to: &out)
    }

    private static func flatten(_ key: String, _ v: Logger.Metadata.Value, into out: inout [(String, String)]) {
        switch v {
        case .string(let s): out.append((key, s))
        case .stringConvertible(let c): out.append((key, c.description))
        case .dictionary(let d):
            if d.isEmpty { out.append((key, "")) }
            for (k, x) in d { flatten(key + "." + k, x, into: &out) }
        case .array(let a):
            if a.isEmpty { out.append((key, "")) }
            for (i, x) in a.enumerated() { flatten(key + "." + String(i), x, into: &out) }
        }
    }
}

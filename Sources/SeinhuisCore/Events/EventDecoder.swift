#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a frame was rejected (PROTOCOL 2.2). The raw value is the label used in metrics and the quarantine.
public enum RejectReason: String, Sendable, CaseIterable, Equatable {
    case oversize = "oversize"
    case malformedJSON = "malformed_json"
    case notAnObject = "not_an_object"
    case unsupportedVersion = "unsupported_version"
    case unknownKind = "unknown_kind"
    case missingField = "missing_field"
    case wrongType = "wrong_type"
    case badDevice = "bad_device"
    case badTimestamp = "bad_timestamp"
    case outOfRange = "out_of_range"
    /// A key appears twice in the event object (`"device":"A","device":"B"`): which one holds is ambiguous (1.1).
    case duplicateKey = "duplicate_key"
    /// Well-formed, but no dossier names the device (checked by the pipeline, not the decoder).
    case unknownDevice = "unknown_device"
}

/// A rejected frame: the reason and a short human detail (`"lat: 91.2 outside [-90, 90]"`).
public struct Rejection: Sendable, Equatable, Error, CustomStringConvertible {
    public var reason: RejectReason
    public var detail: String
    public init(_ reason: RejectReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
    public var description: String { "\(reason.rawValue): \(detail)" }
}

/// The result of decoding one frame.
public enum DecodeOutcome: Sendable, Equatable {
    case event(DeviceEvent)
    case rejected(Rejection)
}

/// Decodes one event frame (one JSON object, PROTOCOL 2) straight from its bytes.
///
/// No Foundation, no intermediate `Data` or dictionary; strings are created only for the device id (inline, without
/// allocation, up to 15 bytes). A frame in the contract's own layout is tokenised by comparing its keys as literals
/// (FrameParser+Layout.swift); any other in a single general pass (`parseTopObject`), with the same fields. Unknown
/// fields are skipped (the contract may grow), nesting is bounded, so no input can crash it or make it recurse
/// deeply. DecoderEquivalenceTests hold it to the decoder before these fast paths (Tests/.../Reference).
public struct EventDecoder: Sendable {
    public var maxFrameBytes: Int
    /// Nesting allowed inside unknown fields.
    public var maxDepth: Int = 32

    public init(maxFrameBytes: Int = 65536) { self.maxFrameBytes = maxFrameBytes }

    public func decode(_ bytes: [UInt8]) -> DecodeOutcome {
        bytes.withUnsafeBytes { decode($0) }
    }

    public func decode(_ text: String) -> DecodeOutcome {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    public func decode(_ frame: UnsafeRawBufferPointer) -> DecodeOutcome {
        if frame.count > maxFrameBytes {
            return .rejected(Rejection(.oversize, "frame of \(frame.count) bytes exceeds \(maxFrameBytes)"))
        }
        var p = FrameParser(bytes: frame.bindMemory(to: UInt8.self), maxDepth: maxDepth)
        do throws(Rejection) {
            var fields = Fields()
            try p.parseEvent(into: &fields)
            return try .event(Self.validate(fields, p.bytes))
        } catch {
            return .rejected(error)
        }
    }

    // MARK: validation

    private static func validate(_ f: Fields, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> DeviceEvent {
        // version
        guard let v = f.v else { throw Rejection(.missingField, "v") }
        guard v.type == .number else { throw Rejection(.wrongType, "v must be a number") }
        guard FrameParser.isIntegerLiteral(v, b, equalTo: 1) else {
            throw Rejection(.unsupportedVersion, "v = \(v.text(b))")
        }
        // device
        guard let d = f.device else { throw Rejection(.missingField, "device") }
        guard d.type == .string else { throw Rejection(.wrongType, "device must be a string") }
        guard !d.escaped, d.count >= 1, d.count <= 64, FrameParser.isDeviceID(d, b) else {
            throw Rejection(.badDevice, "device must be 1-64 characters of [A-Za-z0-9._-]")
        }
        // ASCII, checked above: copied in, without `String(decoding:)`'s repair pass.
        let device = String(unsafeUninitializedCapacity: d.count) {
            $0.initialize(fromContentsOf: UnsafeBufferPointer(rebasing: b[d.start..<d.end]))
        }
        // seq
        guard let s = f.seq else { throw Rejection(.missingField, "seq") }
        guard s.type == .number else { throw Rejection(.wrongType, "seq must be a number") }
        let seq = try FrameParser.uint64(s, b)
        // ts
        guard let t = f.ts else { throw Rejection(.missingField, "ts") }
        guard t.type == .string else { throw Rejection(.wrongType, "ts must be a string") }
        guard !t.escaped, let ts = Timestamp.parse(UnsafeBufferPointer(rebasing: b[t.start..<t.end])) else {
            throw Rejection(.badTimestamp, "ts is not an RFC 3339 time: \(t.text(b))")
        }
        // kind
        guard let k = f.kind else { throw Rejection(.missingField, "kind") }
        guard k.type == .string else { throw Rejection(.wrongType, "kind must be a string") }
        let reading: Reading
        switch FrameParser.kind(k, b) {
        case .position?:
            let lat = try number(f.lat, "lat", b)
            let lon = try number(f.lon, "lon", b)
            let acc = try number(f.acc, "acc", b)
            guard lat >= -90, lat <= 90 else { throw Rejection(.outOfRange, "lat \(lat) outside [-90, 90]") }
            guard lon >= -180, lon <= 180 else { throw Rejection(.outOfRange, "lon \(lon) outside [-180, 180]") }
            guard acc > 0, acc.isFinite else { throw Rejection(.outOfRange, "acc \(acc) must be > 0") }
            reading = .position(lat: lat, lon: lon, acc: acc)
        case .presence?:
            reading = .presence(try bool(f.present, "present", b))
        case .strap?:
            reading = .strap(try tamper(f.state, b))
        case .case?:
            reading = .case(try tamper(f.state, b))
        case .battery?:
            let level = try number(f.level, "level", b)
            guard level >= 0, level <= 1 else { throw Rejection(.outOfRange, "level \(level) outside [0, 1]") }
            reading = .battery(level: level, charging: try bool(f.charging, "charging", b))
        case .gnss?:
            guard let st = f.state else { throw Rejection(.missingField, "state") }
            guard st.type == .string else { throw Rejection(.wrongType, "state must be a string") }
            switch word(st, b) {
            case Word.ok: reading = .gnss(.ok)
            case Word.lost: reading = .gnss(.lost)
            case Word.jammed: reading = .gnss(.jammed)
            default: throw Rejection(.outOfRange, "gnss state must be ok, lost or jammed")
            }
        case .power?:
            guard let st = f.state else { throw Rejection(.missingField, "state") }
            guard st.type == .string else { throw Rejection(.wrongType, "state must be a string") }
            switch word(st, b) {
            case Word.lost: reading = .power(.lost)
            case Word.restored: reading = .power(.restored)
            default: throw Rejection(.outOfRange, "power state must be lost or restored")
            }
        case .heartbeat?:
            reading = .heartbeat
        case nil:
            throw Rejection(.unknownKind, "kind \(k.text(b).prefix(40))")
        }
        return DeviceEvent(device: device, seq: seq, ts: ts, reading: reading)
    }

    private static func number(_ t: Token?, _ name: String, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection)
        -> Double
    {
        guard let t else { throw Rejection(.missingField, name) }
        guard t.type == .number else { throw Rejection(.wrongType, "\(name) must be a number") }
        let x = FrameParser.double(t, b)
        guard x.isFinite else { throw Rejection(.outOfRange, "\(name) is not a finite number") }
        return x
    }

    private static func bool(_ t: Token?, _ name: String, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> Bool {
        guard let t else { throw Rejection(.missingField, name) }
        switch t.type {
        case .trueValue: return true
        case .falseValue: return false
        default: throw Rejection(.wrongType, "\(name) must be true or false")
        }
    }

    private static func tamper(_ t: Token?, _ b: UnsafeBufferPointer<UInt8>) throws(Rejection) -> TamperState {
        guard let t else { throw Rejection(.missingField, "state") }
        guard t.type == .string else { throw Rejection(.wrongType, "state must be a string") }
        switch word(t, b) {
        case Word.opened: return .opened
        case Word.closed: return .closed
        default: throw Rejection(.outOfRange, "state must be opened or closed")
        }
    }

    /// A state value as a `Word` (0 for anything else). A raw value is compared byte for byte: the same as String
    /// equality here, as no name contains the only ASCII letters with canonical equivalents (`K`; `;` and `` ` ``).
    /// An escaped value (`"op\u0065ned"`) is unescaped and compared as a String, as before.
    private static func word(_ t: Token, _ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard t.escaped else { return FrameParser.word(t, b) }
        switch t.text(b) {
        case "opened": return Word.opened
        case "closed": return Word.closed
        case "ok": return Word.ok
        case "lost": return Word.lost
        case "jammed": return Word.jammed
        case "restored": return Word.restored
        default: return 0
        }
    }
}

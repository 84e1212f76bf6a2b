import Foundation

/// A dossier file that does not hold valid dossiers: names the dossier (or its place in the file) and the field.
///
/// `description` reads `dossier D-1: zones[2].polygon: needs at least 3 points`.
public struct DossierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dossier's id, or `#3` (its position in the file) when it has no readable id; nil for the file itself.
    public var dossier: String?
    /// The field path inside the dossier (`zones[2].polygon`); empty for the dossier or file as a whole.
    public var path: String
    public var message: String

    public init(dossier: String?, path: String, message: String) {
        self.dossier = dossier
        self.path = path
        self.message = message
    }

    public var description: String {
        var s = ""
        if let dossier { s += "dossier \(dossier): " }
        if !path.isEmpty { s += "\(path): " }
        return s + message
    }
}

/// A parsed JSON value (dossier files are small: a generic tree, then validation with paths).
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        if var a = try? decoder.unkeyedContainer() {
            var out: [JSONValue] = []
            while !a.isAtEnd { out.append(try a.decode(JSONValue.self)) }
            self = .array(out)
            return
        }
        if let o = try? decoder.container(keyedBy: AnyKey.self) {
            var out: [String: JSONValue] = [:]
            for k in o.allKeys { out[k.stringValue] = try o.decode(JSONValue.self, forKey: k) }
            self = .object(out)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else {
            self = .string(try c.decode(String.self))
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension Dossier {
    /// Parses a dossier file: one JSON object or an array of them (PROTOCOL 3). Unknown fields are ignored (the
    /// contract may grow); everything known is validated, and the first problem is thrown as a `DossierError`.
    public static func parse(_ data: Data) throws(DossierError) -> [Dossier] {
        let root = try tree(data)
        switch root {
        case .object:
            return [try parseOne(root, position: 0)]
        case .array(let items):
            var out: [Dossier] = []
            out.reserveCapacity(items.count)
            for (i, item) in items.enumerated() { out.append(try parseOne(item, position: i)) }
            return out
        default:
            throw DossierError(dossier: nil, path: "", message: "a dossier file holds an object or an array of them")
        }
    }

    /// The file's JSON tree: the byte-level reader, or Foundation's `JSONDecoder` where that reader declines
    /// (anything but plain JSON: see `DossierJSONReader`), so both give the same tree and the same errors. A file
    /// with a duplicate key anywhere is refused, naming it (`DossierKeyScanner`): Foundation would keep the last.
    static func tree(_ data: Data) throws(DossierError) -> JSONValue {
        if let v = data.withUnsafeBytes({ DossierJSONReader.read($0.bindMemory(to: UInt8.self)) }) { return v }
        if let e = data.withUnsafeBytes({ DossierKeyScanner.firstDuplicate($0.bindMemory(to: UInt8.self)) }) {
            throw e
        }
        return try foundationTree(data)
    }

    /// The slow path, and the reference the byte-level reader is tested against.
    static func foundationTree(_ data: Data) throws(DossierError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw DossierError(dossier: nil, path: "", message: "not valid JSON")
        }
    }

    /// Parses the JSON text of one dossier (or a file of one).
    public static func parse(_ text: String) throws(DossierError) -> [Dossier] {
        try parse(Data(text.utf8))
    }

    static func parseOne(_ value: JSONValue, position: Int) throws(DossierError) -> Dossier {
        guard case .object(let o) = value else {
            throw DossierError(
                dossier: "#\(position + 1)", path: "", message: "must be an object, found \(value.typeName)")
        }
        var r = FieldReader(dossier: "#\(position + 1)")
        let id = try r.string(o, "id", path: "id")
        guard !id.isEmpty, id.count <= 128 else { throw r.error("id", "must be 1-128 characters") }
        r.dossier = id
        let subject = try r.string(o, "subject", path: "subject")
        let radex = try r.bool(o, "radex", path: "radex")
        let mandateText = try r.string(o, "mandate", path: "mandate")
        guard let mandate = Mandate(rawValue: mandateText) else {
            throw r.error("mandate", "must be pretrial or sentence, found \"\(mandateText)\"")
        }
        let start = try r.date(o, "start", path: "start")
        let end = try r.optional(o, "end") { (v) throws(DossierError) in try r.date(v, path: "end") }
        if let end, end < start { throw r.error("end", "\(end) is before start \(start)") }
        let timezone =
            try r.optional(o, "timezone") { (v) throws(DossierError) in try r.string(v, path: "timezone") }
            ?? Dossier.defaultTimeZone
        guard TimeZone(identifier: timezone) != nil else {
            throw r.error("timezone", "unknown IANA time zone \"\(timezone)\"")
        }
        let (devices, networks) = try r.devices(try r.array(o, "devices", path: "devices"))
        guard let homeValue = o["home"], homeValue.isPresent else { throw r.error("home", "missing") }
        let home = try r.circle(homeValue, path: "home")
        let curfew =
            try r.optional(o, "curfew") { (v) throws(DossierError) in try r.windows(v, path: "curfew") } ?? []
        let zoneValues = try r.optional(o, "zones") { (v) throws(DossierError) in try r.array(v, path: "zones") } ?? []
        var zones: [Zone] = []
        var zoneIDs = Set<String>()
        for (i, v) in zoneValues.enumerated() {
            let z = try r.zone(v, path: "zones[\(i)]")
            guard zoneIDs.insert(z.id).inserted else { throw r.error("zones[\(i)].id", "\(z.id) appears twice") }
            zones.append(z)
        }
        let timeout =
            try r.optional(o, "comms_timeout_s") { (v) throws(DossierError) in
                try r.integer(v, path: "comms_timeout_s", range: 1...31_536_000)
            } ?? Int64(Dossier.defaultCommsTimeoutSeconds)
        let lastReview = try r.optional(o, "last_review") { (v) throws(DossierError) in
            try r.date(v, path: "last_review")
        }
        let rules = try r.optional(o, "rules") { (v) throws(DossierError) in try r.overrides(v, path: "rules") }
        let protected =
            try r.optional(o, "protected") { (v) throws(DossierError) in
                try r.protectedPersons(v, tags: Set(devices))
            } ?? []
        return Dossier(
            id: id, subject: subject, radex: radex, mandate: mandate, start: start, end: end, timezone: timezone,
            devices: devices, home: home, curfew: curfew, zones: zones, commsTimeoutSeconds: Int(timeout),
            lastReview: lastReview, rules: rules, networks: networks, protected: protected)
    }

    /// The contract's device id: 1-64 characters of `[A-Za-z0-9._-]`.
    public static func isValidDeviceID(_ s: String) -> Bool {
        let u = s.utf8
        guard !u.isEmpty, u.count <= 64 else { return false }
        return u.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 45
        }
    }
}

extension JSONValue {
    /// Present and not null (the contract reads a null optional field as absent).
    var isPresent: Bool {
        if case .null = self { return false }
        return true
    }
}

/// Reads typed fields with their path, throwing `DossierError`s that name the dossier.
struct FieldReader {
    var dossier: String

    func error(_ path: String, _ message: String) -> DossierError {
        DossierError(dossier: dossier, path: path, message: message)
    }

    func value(_ o: [String: JSONValue], _ key: String, path: String) throws(DossierError) -> JSONValue {
        guard let v = o[key], v.isPresent else { throw error(path, "missing") }
        return v
    }

    func optional<T>(_ o: [String: JSONValue], _ key: String, _ read: (JSONValue) throws(DossierError) -> T)
        throws(DossierError) -> T?
    {
        guard let v = o[key], v.isPresent else { return nil }
        return try read(v)
    }

    func string(_ o: [String: JSONValue], _ key: String, path: String) throws(DossierError) -> String {
        try string(try value(o, key, path: path), path: path)
    }

    func string(_ v: JSONValue, path: String) throws(DossierError) -> String {
        guard case .string(let s) = v else { throw error(path, "must be a string, found \(v.typeName)") }
        return s
    }

    func bool(_ o: [String: JSONValue], _ key: String, path: String) throws(DossierError) -> Bool {
        let v = try value(o, key, path: path)
        guard case .bool(let b) = v else { throw error(path, "must be true or false, found \(v.typeName)") }
        return b
    }

    func number(_ o: [String: JSONValue], _ key: String, path: String) throws(DossierError) -> Double {
        try number(try value(o, key, path: path), path: path)
    }

    func number(_ v: JSONValue, path: String) throws(DossierError) -> Double {
        guard case .number(let d) = v else { throw error(path, "must be a number, found \(v.typeName)") }
        guard d.isFinite else { throw error(path, "must be a finite number") }
        return d
    }

    func integer(_ v: JSONValue, path: String, range: ClosedRange<Int64>) throws(DossierError) -> Int64 {
        let d = try number(v, path: path)
        guard d == d.rounded(), d >= Double(range.lowerBound), d <= Double(range.upperBound) else {
            throw error(path, "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int64(d)
    }

    func array(_ o: [String: JSONValue], _ key: String, path: String) throws(DossierError) -> [JSONValue] {
        try array(try value(o, key, path: path), path: path)
    }

    func array(_ v: JSONValue, path: String) throws(DossierError) -> [JSONValue] {
        guard case .array(let a) = v else { throw error(path, "must be an array, found \(v.typeName)") }
        return a
    }

    func object(_ v: JSONValue, path: String) throws(DossierError) -> [String: JSONValue] {
        guard case .object(let o) = v else { throw error(path, "must be an object, found \(v.typeName)") }
        return o
    }

    func date(_ o: [String: JSONValue], _ key: String, path: String) throws(DossierError) -> LocalDate {
        try date(try value(o, key, path: path), path: path)
    }

    func date(_ v: JSONValue, path: String) throws(DossierError) -> LocalDate {
        let s = try string(v, path: path)
        guard let d = LocalDate(s) else { throw error(path, "must be a date YYYY-MM-DD, found \"\(s)\"") }
        return d
    }

    func latLon(_ lat: Double, _ lon: Double, path: String) throws(DossierError) -> GeoPoint {
        guard (-90...90).contains(lat) else { throw error(path, "latitude \(lat) outside [-90, 90]") }
        guard (-180...180).contains(lon) else { throw error(path, "longitude \(lon) outside [-180, 180]") }
        return GeoPoint(lat: lat, lon: lon)
    }

    func circle(_ v: JSONValue, path: String) throws(DossierError) -> GeoCircle {
        let o = try object(v, path: path)
        let lat = try number(o, "lat", path: path + ".lat")
        let lon = try number(o, "lon", path: path + ".lon")
        let center = try latLon(lat, lon, path: path)
        let r = try number(o, "radius_m", path: path + ".radius_m")
        guard r > 0 else { throw error(path + ".radius_m", "must be more than 0") }
        return GeoCircle(center: center, radiusMetres: r)
    }

    func polygon(_ v: JSONValue, path: String) throws(DossierError) -> GeoPolygon {
        let points = try array(v, path: path)
        var vertices: [GeoPoint] = []
        for (i, p) in points.enumerated() {
            let pair = try array(p, path: "\(path)[\(i)]")
            guard pair.count == 2 else { throw error("\(path)[\(i)]", "must be a [lat, lon] pair") }
            let lat = try number(pair[0], path: "\(path)[\(i)][0]")
            let lon = try number(pair[1], path: "\(path)[\(i)][1]")
            vertices.append(try latLon(lat, lon, path: "\(path)[\(i)]"))
        }
        let polygon = GeoPolygon(vertices: vertices)
        guard polygon.vertices.count >= 3 else {
            throw error(path, "needs at least 3 points (a closing point equal to the first does not count)")
        }
        guard Set(polygon.vertices).count >= 3 else { throw error(path, "needs at least 3 distinct points") }
        return polygon
    }

    func windows(_ v: JSONValue, path: String) throws(DossierError) -> [TimeWindow] {
        let items = try array(v, path: path)
        var out: [TimeWindow] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            let o = try object(item, path: p)
            let dayValues = try array(o, "days", path: p + ".days")
            guard !dayValues.isEmpty else { throw error(p + ".days", "needs at least one day") }
            var days: [Weekday] = []
            for (k, dv) in dayValues.enumerated() {
                let name = try string(dv, path: "\(p).days[\(k)]")
                guard let d = Weekday(name: name) else {
                    throw error("\(p).days[\(k)]", "must be one of mon tue wed thu fri sat sun, found \"\(name)\"")
                }
                guard !days.contains(d) else { throw error("\(p).days[\(k)]", "\(name) appears twice") }
                days.append(d)
            }
            let fromText = try string(o, "from", path: p + ".from")
            guard let from = TimeWindow.minutes(fromText, allowEndOfDay: false) else {
                throw error(p + ".from", "must be a time HH:MM from 00:00 to 23:59, found \"\(fromText)\"")
            }
            let toText = try string(o, "to", path: p + ".to")
            guard let to = TimeWindow.minutes(toText, allowEndOfDay: true) else {
                throw error(p + ".to", "must be a time HH:MM from 00:00 to 24:00, found \"\(toText)\"")
            }
            out.append(TimeWindow(days: days, from: from, to: to))
        }
        return out
    }

    func zone(_ v: JSONValue, path: String) throws(DossierError) -> Zone {
        let o = try object(v, path: path)
        let id = try string(o, "id", path: path + ".id")
        guard !id.isEmpty, id.count <= 128 else { throw error(path + ".id", "must be 1-128 characters") }
        let kindText = try string(o, "kind", path: path + ".kind")
        guard let kind = ZoneKind(rawValue: kindText) else {
            throw error(path + ".kind", "must be exclusion or inclusion, found \"\(kindText)\"")
        }
        let circleValue = o["circle"].flatMap { $0.isPresent ? $0 : nil }
        let polygonValue = o["polygon"].flatMap { $0.isPresent ? $0 : nil }
        let shape: ZoneShape
        switch (circleValue, polygonValue) {
        case (let c?, nil): shape = .circle(try circle(c, path: path + ".circle"))
        case (nil, let p?): shape = .polygon(try polygon(p, path: path + ".polygon"))
        case (nil, nil): throw error(path, "needs a circle or a polygon")
        case (_?, _?): throw error(path, "has both a circle and a polygon")
        }
        let schedule =
            try optional(o, "schedule") { (s) throws(DossierError) in try windows(s, path: path + ".schedule") }
            ?? []
        let crossing = try self.crossing(o, kind: kind, path: path)
        return Zone(id: id, kind: kind, shape: shape, schedule: schedule, crossing: crossing)
    }

    func overrides(_ v: JSONValue, path: String) throws(DossierError) -> RuleOverrides {
        let o = try object(v, path: path)
        var r = RuleOverrides()
        r.maxAccuracyMetres = try optional(o, "max_acc_m") { (m) throws(DossierError) in
            let d = try number(m, path: path + ".max_acc_m")
            guard d > 0 else { throw error(path + ".max_acc_m", "must be more than 0") }
            return d
        }
        r.consecutiveFixes = try optional(o, "consecutive_fixes") { (c) throws(DossierError) in
            Int(try integer(c, path: path + ".consecutive_fixes", range: 1...32))
        }
        return r
    }
}

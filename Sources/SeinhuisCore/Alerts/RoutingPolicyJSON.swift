import Foundation

/// A policy file that does not hold a valid routing policy: every problem found, each naming its field.
///
/// `description` has one line per problem, e.g. `routes[2].queues[3]: unknown queue "polce"; one of vcet,
/// coordinator, cic, police, cell`.
public struct RoutingPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One thing wrong with the file, at one place in it.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// Where in the file: `version`, `routes[2].queues[1]`; empty for the file as a whole.
        public var path: String
        public var message: String

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }

        public var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// A policy as a file (docs/POLICY.md). Parsing is strict: an unknown field, an unknown queue or severity, or
/// a combination of radex flag and severity that no route matches is an error, so a typo never passes silently
/// and no alert is ever routed by `RoutingPolicy.route`'s fallback.
extension RoutingPolicy {
    /// The severities a policy routes, in the contract's order.
    public static let severities = Severity.allCases
    /// At most this many escalations per alert.
    public static let maxEscalationsLimit = 10
    /// The longest escalation time or response target a policy may name (one year; keeps timer arithmetic sane).
    public static let longestSeconds: Int64 = 365 * 24 * 3600

    static let topFields = ["version", "max_escalations", "routes"]
    static let routeFields = [
        "radex", "severities", "queues", "escalate_after_s", "escalate_to", "target_s", "stops_on",
    ]

    /// Whether `version` can name a policy: 1-32 characters of `[A-Za-z0-9._-]`.
    public static func isValidVersion(_ version: String) -> Bool {
        (1...32).contains(version.utf8.count)
            && version.utf8.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E
                    || c == 0x5F || c == 0x2D
            }
    }

    /// Parses and validates a policy file. All problems found are reported together.
    public static func parse(_ data: Data) throws(RoutingPolicyError) -> RoutingPolicy {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw RoutingPolicyError(problems: [.init(path: "", message: "not valid JSON: \(Self.reason(data))")])
        }
        var p = PolicyReader()
        let policy = p.policy(root)
        guard let policy, p.problems.isEmpty else { throw RoutingPolicyError(problems: p.problems) }
        return policy
    }

    /// Parses the JSON text of a policy file.
    public static func parse(_ text: String) throws(RoutingPolicyError) -> RoutingPolicy {
        try parse(Data(text.utf8))
    }

    /// The combinations of radex flag and severity that no rule matches (they would be routed by the fallback).
    public var unroutedCombinations: [(radex: Bool, severity: Severity)] {
        var out: [(radex: Bool, severity: Severity)] = []
        for radex in [true, false] {
            for s in Self.severities where !rules.contains(where: { $0.matches(radex: radex, severity: s) }) {
                out.append((radex, s))
            }
        }
        return out
    }

    /// Indices of rules that never apply: every combination they match is taken by an earlier rule.
    public var unreachableRules: [Int] {
        rules.indices.filter { i in
            let rule = rules[i]
            let radexes = rule.radex.map { [$0] } ?? [true, false]
            return radexes.allSatisfy { radex in
                rule.severities.allSatisfy { s in rules[..<i].contains { $0.matches(radex: radex, severity: s) } }
            }
        }
    }

    /// The policy as a policy file: fixed field order, one route per line, severities in the contract's order,
    /// `target_s` written out, `radex` left out when a route matches both. `parse` reads it back to an equal
    /// policy, and equal policies give equal text.
    public var canonicalJSON: String {
        """
        {
          "version": \(Self.quoted(version)),
          "max_escalations": \(maxEscalations),
          "routes": [
        \(rules.map { "    " + Self.ruleJSON($0) }.joined(separator: ",\n"))
          ]
        }
        """
    }

    /// The same policy file on one line (for JSON output that embeds it).
    public var json: String {
        var o = JSONObjectWriter()
        o.string("version", version)
        o.int("max_escalations", maxEscalations)
        o.raw("routes", "[" + rules.map(Self.ruleJSON).joined(separator: ",") + "]")
        return o.finish()
    }

    static func ruleJSON(_ rule: Rule) -> String {
        var o = JSONObjectWriter()
        if let radex = rule.radex { o.bool("radex", radex) }
        o.strings("severities", severities.filter { rule.severities.contains($0) }.map(\.rawValue))
        o.strings("queues", rule.route.queues.map(\.rawValue))
        o.int("escalate_after_s", rule.route.escalateAfterSeconds)
        o.strings("escalate_to", rule.route.escalateTo.map(\.rawValue))
        o.int("target_s", rule.route.targetSeconds)
        if let stopsOn = rule.route.stopsOn { o.strings("stops_on", stopsOn.sorted().map(\.rawValue)) }
        return o.finish()
    }

    static func quoted(_ s: String) -> String {
        var out = ""
        JSONObjectWriter.appendQuoted(s, to: &out)
        return out
    }

    /// Why `data` is not JSON, in a line. `JSONDecoder` drops the position; `JSONSerialization` says where.
    private static func reason(_ data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            if let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String { return text }
        }
        return "cannot be read as UTF-8 JSON"
    }
}

extension RoutingPolicy.Rule {
    /// Whether this rule applies to an alert of this dossier kind and severity (the matching of `route`).
    public func matches(radex: Bool, severity: Severity) -> Bool {
        (self.radex == nil || self.radex == radex) && severities.contains(severity)
    }
}

/// Reads a policy file's tree, collecting every problem instead of stopping at the first.
private struct PolicyReader {
    var problems: [RoutingPolicyError.Problem] = []

    mutating func problem(_ path: String, _ message: String) {
        problems.append(.init(path: path, message: message))
    }

    mutating func policy(_ root: JSONValue) -> RoutingPolicy? {
        guard case .object(let o) = root else {
            problem("", "a policy file holds one JSON object, found \(root.typeName)")
            return nil
        }
        unknownFields(o, known: RoutingPolicy.topFields, path: "")
        let version = string(o["version"], path: "version")
        if let version, !RoutingPolicy.isValidVersion(version) {
            problem("version", "must be 1-32 characters of [A-Za-z0-9._-], found \"\(version)\"")
        }
        let maxEscalations = integer(
            o["max_escalations"], path: "max_escalations", range: 0...Int64(RoutingPolicy.maxEscalationsLimit))
        var rules: [RoutingPolicy.Rule?] = []
        switch o["routes"] {
        case nil, .null?:
            problem("routes", "missing")
        case .array(let items)?:
            if items.isEmpty { problem("routes", "must hold at least one route") }
            rules = items.enumerated().map { i, item in rule(item, path: "routes[\(i)]") }
        case let v?:
            problem("routes", "must be an array of routes, found \(v.typeName)")
        }
        guard problems.isEmpty, let version, let maxEscalations else { return nil }
        let policy = RoutingPolicy(
            version: version, maxEscalations: Int(maxEscalations), rules: rules.compactMap { $0 })
        // Coverage is judged only on a policy whose routes all read cleanly, so a broken route does not also
        // show up as a missing combination.
        for (radex, severity) in policy.unroutedCombinations {
            problem(
                "routes",
                "no route for radex \(radex) severity \(severity.rawValue); every combination of radex (true, false) "
                    + "and severity (\(RoutingPolicy.severities.map(\.rawValue).joined(separator: ", "))) needs a route"
            )
        }
        for i in policy.unreachableRules {
            problem("routes[\(i)]", "never applies: earlier routes take every radex and severity it matches")
        }
        // Alerts record only the version's name, so one name must always mean the same routes.
        if problems.isEmpty, policy.version == RoutingPolicy.v1.version, policy != .v1 {
            problem(
                "version", "v1 is the built-in policy of PROTOCOL 4.2; a policy with other routes needs another version"
            )
        }
        return problems.isEmpty ? policy : nil
    }

    mutating func rule(_ value: JSONValue, path: String) -> RoutingPolicy.Rule? {
        guard case .object(let o) = value else {
            problem(path, "must be an object, found \(value.typeName)")
            return nil
        }
        let before = problems.count
        unknownFields(o, known: RoutingPolicy.routeFields, path: path)
        var radex: Bool?
        switch o["radex"] {
        case nil, .null?: radex = nil
        case .bool(let b)?: radex = b
        case let v?: problem("\(path).radex", "must be true or false (leave it out for both), found \(v.typeName)")
        }
        let severities = names(
            o["severities"], path: "\(path).severities", kind: "severity",
            known: RoutingPolicy.severities.map(\.rawValue)
        )?.compactMap(Severity.init(rawValue:))
        let atOnce = queues(o["queues"], path: "\(path).queues")
        let escalateTo = queues(o["escalate_to"], path: "\(path).escalate_to")
        let seconds = 1...RoutingPolicy.longestSeconds
        let escalateAfter = integer(o["escalate_after_s"], path: "\(path).escalate_after_s", range: seconds)
        var target: Int64?
        if let v = o["target_s"], v.isPresent {
            target = integer(v, path: "\(path).target_s", range: seconds)
        }
        var stopsOn: Set<Queue>?
        if let v = o["stops_on"], v.isPresent, let q = queues(v, path: "\(path).stops_on") {
            if q.isEmpty {
                problem("\(path).stops_on", "must name at least one queue (leave it out: any queue's measure stops)")
            } else if let atOnce, let escalateTo, !Set(q).isSubset(of: Set(atOnce + escalateTo)) {
                problem("\(path).stops_on", "names a queue the route never reaches")
            }
            stopsOn = Set(q)
        }
        guard problems.count == before, let severities, let atOnce, let escalateTo, let escalateAfter else {
            return nil
        }
        return RoutingPolicy.Rule(
            radex: radex, severities: Set(severities),
            route: Route(
                queues: atOnce, escalateAfterSeconds: escalateAfter, escalateTo: escalateTo, targetSeconds: target,
                stopsOn: stopsOn))
    }

    mutating func unknownFields(_ o: [String: JSONValue], known: [String], path: String) {
        for key in o.keys.sorted() where !known.contains(key) {
            problem(
                path.isEmpty ? key : "\(path).\(key)",
                "unknown field; the fields are \(known.joined(separator: ", "))")
        }
    }

    mutating func string(_ value: JSONValue?, path: String) -> String? {
        guard let value, value.isPresent else {
            problem(path, "missing")
            return nil
        }
        guard case .string(let s) = value else {
            problem(path, "must be a string, found \(value.typeName)")
            return nil
        }
        return s
    }

    mutating func integer(_ value: JSONValue?, path: String, range: ClosedRange<Int64>) -> Int64? {
        guard let value, value.isPresent else {
            problem(path, "missing")
            return nil
        }
        guard case .number(let d) = value, d.isFinite, d == d.rounded(),
            d >= Double(range.lowerBound), d <= Double(range.upperBound)
        else {
            let found = if case .number(let d) = value { Dossier.number(d) } else { value.typeName }
            problem(path, "must be a whole number in \(range.lowerBound)...\(range.upperBound), found \(found)")
            return nil
        }
        return Int64(d)
    }

    /// A non-empty array of distinct names out of `known`.
    mutating func names(_ value: JSONValue?, path: String, kind: String, known: [String]) -> [String]? {
        guard let value, value.isPresent else {
            problem(path, "missing")
            return nil
        }
        guard case .array(let items) = value else {
            problem(path, "must be an array of strings, found \(value.typeName)")
            return nil
        }
        if items.isEmpty { problem(path, "must not be empty") }
        var out: [String] = []
        var ok = !items.isEmpty
        for (i, item) in items.enumerated() {
            guard case .string(let s) = item else {
                problem("\(path)[\(i)]", "must be a string, found \(item.typeName)")
                ok = false
                continue
            }
            if !known.contains(s) {
                problem("\(path)[\(i)]", "unknown \(kind) \"\(s)\"; one of \(known.joined(separator: ", "))")
                ok = false
            } else if out.contains(s) {
                problem("\(path)[\(i)]", "\(kind) \(s) appears twice")
                ok = false
            } else {
                out.append(s)
            }
        }
        return ok ? out : nil
    }

    mutating func queues(_ value: JSONValue?, path: String) -> [Queue]? {
        names(value, path: path, kind: "queue", known: Queue.allCases.map(\.rawValue))?.compactMap(
            Queue.init(rawValue:))
    }
}

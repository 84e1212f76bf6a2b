import Foundation
import Testing

@testable import SeinhuisCore

/// The built-in policy v1 against PROTOCOL 4.2, and policy files: the round trip and every validation error.
@Suite("Routing policy")
struct RoutingPolicyTests {
    /// One row of PROTOCOL 4.2's table, per severity.
    struct Row: Sendable, CustomStringConvertible {
        var radex: Bool
        var severity: Severity
        var queues: [Queue]
        var minutes: Int64
        var escalateTo: [Queue]
        var description: String { "\(radex ? "radex" : "other") \(severity)" }
    }

    static let all4: [Queue] = [.vcet, .coordinator, .cic, .police]
    static let protocolTable: [Row] = [
        Row(radex: true, severity: .critical, queues: all4, minutes: 5, escalateTo: all4),
        Row(radex: true, severity: .high, queues: all4, minutes: 5, escalateTo: all4),
        Row(radex: true, severity: .medium, queues: [.vcet, .coordinator], minutes: 15, escalateTo: [.cic, .police]),
        Row(radex: true, severity: .low, queues: [.vcet, .coordinator], minutes: 15, escalateTo: [.cic, .police]),
        Row(radex: false, severity: .critical, queues: [.vcet], minutes: 10, escalateTo: [.police]),
        Row(radex: false, severity: .high, queues: [.vcet], minutes: 30, escalateTo: [.vcet]),
        Row(radex: false, severity: .medium, queues: [.vcet], minutes: 30, escalateTo: [.vcet]),
        Row(radex: false, severity: .low, queues: [.vcet], minutes: 30, escalateTo: [.vcet]),
    ]

    @Test(arguments: protocolTable)
    func v1RoutesEveryProtocolRow(_ row: Row) {
        let route = RoutingPolicy.v1.route(radex: row.radex, severity: row.severity)
        #expect(route.queues == row.queues)
        #expect(route.escalateAfterSeconds == row.minutes * 60)
        #expect(route.escalateTo == row.escalateTo)
        #expect(route.targetSeconds == row.minutes * 60)
    }

    @Test func v1IsCompleteAndEscalatesThreeTimes() {
        #expect(RoutingPolicy.v1.version == "v1")
        #expect(RoutingPolicy.v1.maxEscalations == 3)
        #expect(RoutingPolicy.v1.unroutedCombinations.isEmpty)
        #expect(RoutingPolicy.v1.unreachableRules.isEmpty)
    }

    @Test func v1RoundTripsThroughItsFile() throws {
        let text = RoutingPolicy.v1.canonicalJSON
        #expect(try RoutingPolicy.parse(text) == RoutingPolicy.v1)
        #expect(try RoutingPolicy.parse(RoutingPolicy.v1.json) == RoutingPolicy.v1)
        #expect(try RoutingPolicy.parse(text).canonicalJSON == text)
        #expect(text.hasPrefix("{\n  \"version\": \"v1\",\n  \"max_escalations\": 3,\n  \"routes\": [\n"))
        #expect(
            text.contains(
                #"{"radex":false,"severities":["critical"],"queues":["vcet"],"escalate_after_s":600,"#
                    + #""escalate_to":["police"],"target_s":600}"#))
    }

    @Test func aFileWithDefaultsAndACatchAllRoute() throws {
        let policy = try RoutingPolicy.parse(
            """
            {"version": "v2.night-1", "max_escalations": 0, "routes": [
              {"radex": true, "severities": ["critical"], "queues": ["police"], "escalate_after_s": 60,
               "escalate_to": ["cic"], "target_s": 120},
              {"severities": ["critical", "high", "medium", "low"], "queues": ["vcet"], "escalate_after_s": 900,
               "escalate_to": ["vcet", "cell"]}
            ]}
            """)
        #expect(policy.version == "v2.night-1")
        #expect(policy.maxEscalations == 0)
        #expect(policy.rules[1].radex == nil)
        #expect(policy.route(radex: true, severity: .critical).queues == [.police])
        #expect(policy.route(radex: true, severity: .critical).targetSeconds == 120)
        #expect(policy.route(radex: true, severity: .high).queues == [.vcet])
        #expect(policy.route(radex: false, severity: .low).targetSeconds == 900)
        #expect(try RoutingPolicy.parse(policy.canonicalJSON) == policy)
    }

    // MARK: - Validation errors

    /// v1's file with one route replaced (by index) and top-level fields overridden.
    static func policyText(
        version: String = #""v2""#, maxEscalations: String = "3", routes: [Int: String] = [:], extra: String = ""
    ) -> String {
        let v1 = RoutingPolicy.v1.rules.map(RoutingPolicy.ruleJSON)
        let rs = v1.indices.map { routes[$0] ?? v1[$0] }
        return #"{"version":\#(version),"max_escalations":\#(maxEscalations),"routes":["#
            + rs.joined(separator: ",") + "]" + extra + "}"
    }

    static func problems(_ text: String) -> [String] {
        do {
            _ = try RoutingPolicy.parse(text)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    static let otherAll =
        #""queues":["vcet"],"escalate_after_s":1800,"escalate_to":["vcet"]"#

    @Test func aValidVariantParses() {
        #expect(Self.problems(Self.policyText()) == [])
    }

    @Test func notJSONOrNotAnObject() {
        let p = Self.problems("{\"version\": ")
        #expect(p.count == 1)
        #expect(p.first?.hasPrefix("not valid JSON") == true)
        #expect(Self.problems("[]") == ["a policy file holds one JSON object, found an array"])
    }

    @Test func versionMustBeAShortName() {
        #expect(
            Self.problems(Self.policyText(version: #""""#)) == [
                #"version: must be 1-32 characters of [A-Za-z0-9._-], found """#
            ])
        #expect(
            Self.problems(Self.policyText(version: #""v 2""#)) == [
                #"version: must be 1-32 characters of [A-Za-z0-9._-], found "v 2""#
            ])
        #expect(Self.problems(Self.policyText(version: "\"" + String(repeating: "a", count: 33) + "\"")).count == 1)
        #expect(Self.problems(Self.policyText(version: "2")) == ["version: must be a string, found a number"])
        #expect(Self.problems(#"{"max_escalations":3,"routes":[]}"#).contains("version: missing"))
    }

    @Test func maxEscalationsIsZeroToTen() {
        #expect(Self.problems(Self.policyText(maxEscalations: "0")) == [])
        #expect(Self.problems(Self.policyText(maxEscalations: "10")) == [])
        #expect(
            Self.problems(Self.policyText(maxEscalations: "11")) == [
                "max_escalations: must be a whole number in 0...10, found 11"
            ])
        #expect(
            Self.problems(Self.policyText(maxEscalations: "-1")) == [
                "max_escalations: must be a whole number in 0...10, found -1"
            ])
        #expect(
            Self.problems(Self.policyText(maxEscalations: "2.5")) == [
                "max_escalations: must be a whole number in 0...10, found 2.5"
            ])
    }

    @Test func unknownQueueNamesTheRouteAndField() {
        let route =
            #"{"radex":false,"severities":["high","medium","low"],"queues":["vcet","polce"],"#
            + #""escalate_after_s":1800,"escalate_to":["vcet"]}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: route])) == [
                #"routes[3].queues[1]: unknown queue "polce"; one of vcet, coordinator, cic, police, cell"#
            ])
        let to =
            #"{"radex":false,"severities":["high","medium","low"],"queues":["vcet"],"#
            + #""escalate_after_s":1800,"escalate_to":["VCET"]}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: to])) == [
                #"routes[3].escalate_to[0]: unknown queue "VCET"; one of vcet, coordinator, cic, police, cell"#
            ])
    }

    @Test func queuesMustBeANonEmptyListOfDistinctNames() {
        func with(_ queues: String) -> [String] {
            Self.problems(
                Self.policyText(routes: [
                    2: #"{"radex":false,"severities":["critical"],"queues":\#(queues),"#
                        + #""escalate_after_s":600,"escalate_to":["police"]}"#
                ]))
        }
        #expect(with("[]") == ["routes[2].queues: must not be empty"])
        #expect(with(#"["vcet","vcet"]"#) == ["routes[2].queues[1]: queue vcet appears twice"])
        #expect(with(#""vcet""#) == ["routes[2].queues: must be an array of strings, found a string"])
        #expect(with("[1]") == ["routes[2].queues[0]: must be a string, found a number"])
        let missing = #"{"radex":false,"severities":["critical"],"escalate_after_s":600,"escalate_to":["police"]}"#
        #expect(Self.problems(Self.policyText(routes: [2: missing])) == ["routes[2].queues: missing"])
    }

    @Test func severitiesMustBeKnown() {
        let route = #"{"radex":false,"severities":["high","medium","lo"],\#(Self.otherAll)}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: route])) == [
                #"routes[3].severities[2]: unknown severity "lo"; one of critical, high, medium, low"#
            ])
        let empty = #"{"radex":false,"severities":[],\#(Self.otherAll)}"#
        #expect(Self.problems(Self.policyText(routes: [3: empty])) == ["routes[3].severities: must not be empty"])
    }

    @Test func escalationTimeAndTargetArePositive() {
        let zero =
            #"{"radex":false,"severities":["high","medium","low"],"queues":["vcet"],"#
            + #""escalate_after_s":0,"escalate_to":["vcet"]}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: zero])) == [
                "routes[3].escalate_after_s: must be a whole number in 1...31536000, found 0"
            ])
        let text =
            #"{"radex":false,"severities":["high","medium","low"],"queues":["vcet"],"#
            + #""escalate_after_s":"30m","escalate_to":["vcet"],"target_s":-5}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: text])) == [
                "routes[3].escalate_after_s: must be a whole number in 1...31536000, found a string",
                "routes[3].target_s: must be a whole number in 1...31536000, found -5",
            ])
    }

    @Test func radexIsABooleanOrLeftOut() {
        let route = #"{"radex":"yes","severities":["high","medium","low"],\#(Self.otherAll)}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: route])) == [
                "routes[3].radex: must be true or false (leave it out for both), found a string"
            ])
    }

    @Test func unknownFieldsAreErrors() {
        let route =
            #"{"radex":false,"severities":["high","medium","low"],"queues":["vcet"],"#
            + #""escalate_after_s":1800,"escalte_to":["vcet"]}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: route])) == [
                "routes[3].escalte_to: unknown field; the fields are radex, severities, queues, escalate_after_s, "
                    + "escalate_to, target_s, stops_on",
                "routes[3].escalate_to: missing",
            ])
        #expect(
            Self.problems(Self.policyText(extra: #","max_escalation":3"#)) == [
                "max_escalation: unknown field; the fields are version, max_escalations, routes"
            ])
    }

    @Test func everyRadexAndSeverityCombinationNeedsARoute() {
        let highOnly = #"{"radex":false,"severities":["high","low"],\#(Self.otherAll)}"#
        #expect(
            Self.problems(Self.policyText(routes: [3: highOnly])) == [
                "routes: no route for radex false severity medium; every combination of radex (true, false) and "
                    + "severity (critical, high, medium, low) needs a route"
            ])
        let radexOnly = #"{"radex":true,"severities":["high","medium","low"],\#(Self.otherAll)}"#
        #expect(Self.problems(Self.policyText(routes: [3: radexOnly])).count == 3 + 1)
        #expect(
            Self.problems(#"{"version":"v2","max_escalations":3,"routes":[]}"#).first
                == "routes: must hold at least one route")
    }

    @Test func aRouteEarlierRoutesHideIsAnError() {
        // v1 with a route for non-radex high added after the one that already takes it: it would never apply.
        let text = Self.policyText(
            extra: ""
        ).replacingOccurrences(
            of: "]}",
            with: #",{"radex":false,"severities":["high"],"queues":["vcet","police"],"#
                + #""escalate_after_s":600,"escalate_to":["police"]}]}"#)
        #expect(
            Self.problems(text) == [
                "routes[4]: never applies: earlier routes take every radex and severity it matches"
            ])
    }

    @Test func v1NamesOnlyTheBuiltInPolicy() {
        #expect(Self.problems(Self.policyText(version: #""v1""#)) == [])
        #expect(
            Self.problems(Self.policyText(version: #""v1""#, maxEscalations: "2")) == [
                "version: v1 is the built-in policy of PROTOCOL 4.2; a policy with other routes needs another version"
            ])
    }

    @Test func problemsAreAllReportedTogether() {
        let bad =
            #"{"radex":false,"severities":["high","medium","low"],"queues":["polce"],"#
            + #""escalate_after_s":0,"escalate_to":["vcet"]}"#
        let p = Self.problems(Self.policyText(version: #""""#, maxEscalations: "99", routes: [0: "7", 3: bad]))
        #expect(p.count == 5, "\(p)")
        #expect(p.contains("routes[0]: must be an object, found a number"))
    }
}

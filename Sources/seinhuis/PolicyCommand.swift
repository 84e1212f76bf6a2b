import ArgumentParser
import Foundation
import SeinhuisCore

/// `seinhuis policy`: check a routing policy file, or print one (docs/POLICY.md).
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check and print routing policies (PROTOCOL 4.2; the format is in docs/POLICY.md).",
        discussion: """
            The built-in policy is v1, the default seiningsprocedure. A policy file replaces it:
              seinhuis policy show > v2.json      # start from v1, edit the version and the routes
              seinhuis policy check v2.json
              seinhuis serve --policy v2.json     # every alert records the version that routed it
            """,
        subcommands: [Check.self, Show.self])

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a policy file and print its routes, or every problem in it.",
            discussion: """
                Exits non-zero when the file is not a valid policy. With --format json the result is one object:
                {"valid":true,"policy":{...}} or {"valid":false,"errors":[{"path":"routes[2].queues[0]","message":"..."}]}.
                """)
        @Argument(help: "The policy file (JSON).") var file: String
        @Option(help: "Output format: table or json.") var format: Format = .table

        func run() throws {
            let data = try PolicyFile.read(file)
            let policy: RoutingPolicy
            do {
                policy = try RoutingPolicy.parse(data)
            } catch {
                switch format {
                case .json:
                    let errors = error.problems.map { p in
                        var o = JSONObjectWriter()
                        o.string("path", p.path)
                        o.string("message", p.message)
                        return o.finish()
                    }
                    print(#"{"valid":false,"errors":["# + errors.joined(separator: ",") + "]}")
                case .table:
                    let n = error.problems.count
                    FileHandle.standardError.write(
                        Data("\(file): not a valid policy (\(n) problem\(n == 1 ? "" : "s"))\n\(error)\n".utf8))
                }
                throw ExitCode.failure
            }
            switch format {
            case .json:
                print(#"{"valid":true,"policy":"# + policy.json + "}")
            case .table:
                print("policy \(policy.version): valid, at most \(policy.maxEscalations) escalation(s) per alert")
                print(PolicyFile.table(policy))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a policy as canonical JSON: the built-in v1, or a checked policy file.",
            discussion: "The output is a valid policy file; `seinhuis policy show > v2.json` is a starting point.")
        @Argument(help: "A policy file; without it, the built-in v1.") var file: String?

        func run() throws {
            let policy = try file.map { try PolicyFile.load($0) } ?? .v1
            print(policy.canonicalJSON)
        }
    }
}

/// `--policy FILE` for `serve` and `replay`: the file is read and validated while the arguments are parsed, so a
/// bad policy stops the command before anything starts.
struct PolicyOption: ParsableArguments {
    @Option(
        help: ArgumentHelp("A routing policy file replacing the built-in v1 (docs/POLICY.md).", valueName: "file"),
        transform: { try PolicyFile.load($0, namingFile: false) })
    var policy: RoutingPolicy?
}

/// Reading policy files for `policy`, `serve --policy` and `replay --policy`.
enum PolicyFile {
    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read policy file \(path)")
        }
        return data
    }

    /// Loads and validates a policy file; every problem is in the error. `namingFile` is false for an option's
    /// transform, whose message already names the file and the option.
    static func load(_ path: String, namingFile: Bool = true) throws -> RoutingPolicy {
        do {
            return try RoutingPolicy.parse(try read(path))
        } catch let error as RoutingPolicyError {
            throw ValidationError("\(namingFile ? "policy file \(path) is " : "")not a valid policy:\n\(error)")
        }
    }

    static func table(_ policy: RoutingPolicy) -> String {
        let listing = Listing(
            headers: ["#", "radex", "severities", "queues", "escalate after", "escalate to", "target"],
            rows: policy.rules.enumerated().map { i, rule in
                let severities = RoutingPolicy.severities.filter { rule.severities.contains($0) }.map(\.rawValue)
                return [
                    String(i), rule.radex.map { $0 ? "yes" : "no" } ?? "any", severities.joined(separator: ","),
                    rule.route.queues.map(\.rawValue).joined(separator: ","), duration(rule.route.escalateAfterSeconds),
                    rule.route.escalateTo.map(\.rawValue).joined(separator: ","), duration(rule.route.targetSeconds),
                ]
            })
        return listing.render(.table) { [] }
    }

    /// `300` as `5m`, `5400` as `1h30m`, `45` as `45s`.
    static func duration(_ seconds: Int64) -> String {
        let h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60
        var out = ""
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if s > 0 || out.isEmpty { out += "\(s)s" }
        return out
    }
}

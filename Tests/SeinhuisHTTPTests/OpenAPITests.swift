import Foundation
import SeinhuisCore
@testable import SeinhuisHTTP
import Testing

/// docs/openapi.yaml cannot drift from the router: every registered route is documented, nothing else is, and the
/// roles it names are those of the access policy.
@Suite("the OpenAPI file documents the router")
struct OpenAPITests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")

    /// `METHOD /path` → the roles of `x-roles` (nil when the operation names none), read line by line: the file keeps
    /// paths at two spaces, methods at four, `x-roles` at six.
    static func documented() throws -> [String: Set<String>?] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var out: [String: Set<String>?] = [:]
        var path: String?
        var operation: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(method) {
                    operation = "\(method) \(path)"
                    out[operation!] = .some(nil)
                }
            } else if let operation, line.hasPrefix("      x-roles: [") {
                let list = line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
                out[operation] = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
        }
        return out
    }

    @Test func everyRouteIsDocumentedAndNothingElse() throws {
        let store = APIStore(path: "/nonexistent/never-opened.sqlite")
        let router = HTTPAPI.router(
            metrics: { "" }, store: store, live: LiveAlerts(), sessions: Sessions(store: store))
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = try Self.documented()
        #expect(registered.count >= 20)
        #expect(registered.subtracting(documented.keys).sorted() == [], "routes missing from docs/openapi.yaml")
        #expect(Set(documented.keys).subtracting(registered).sorted() == [], "documented routes that do not exist")
    }

    @Test func theDocumentedRolesAreThePolicys() throws {
        let documented = try Self.documented()
        func names(_ p: Permission) -> Set<String> { Set(AccessPolicy.roles(for: p).map(\.rawValue)) }
        #expect(documented["GET /api/v1/dossiers"] == .some(names(.readDossiers)))
        #expect(documented["GET /console/dossiers"] == .some(names(.readDossiers)))
        #expect(documented["GET /api/v1/latency"] == .some(names(.readLatency)))
        #expect(documented["GET /console/latency"] == .some(names(.readLatency)))
        for op in [
            "POST /api/v1/alerts/{id}/ack", "POST /api/v1/alerts/{id}/respond", "POST /api/v1/alerts/{id}/close",
        ] {
            #expect(documented[op] == .some(names(.actOnAlerts)), "\(op)")
        }
        #expect(documented["GET /api/v1/alerts"] == .some(names(.readAlerts)))
        for op in [
            "GET /api/v1/reviews/due", "GET /api/v1/dossiers/{id}/reviews", "GET /api/v1/dossiers/{id}/review-report",
            "GET /console/reviews",
        ] {
            #expect(documented[op] == .some(names(.readReviews)), "\(op)")
        }
        #expect(documented["POST /api/v1/dossiers/{id}/reviews"] == .some(names(.recordReviews)))
        for op in ["GET /api/v1/surveys", "POST /api/v1/surveys/{id}/answers", "GET /console/survey"] {
            #expect(documented[op] == .some(names(.answerSurveys)), "\(op)")
        }
        for op in [
            "GET /api/v1/surveys/{id}/results", "GET /console/survey/{id}", "GET /console/evaluation",
            "GET /console/evaluation/report",
        ] {
            #expect(documented[op] == .some(names(.readEvaluation)), "\(op)")
        }
    }

    /// Every documented `POST` names the request guard's refusals: `403` and `415` (docs/TRUST.md).
    @Test func everyStateChangingOperationDocumentsTheGuardsRefusals() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        var path = "", method = ""
        var codes: [String: Set<String>] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
            } else if method == "POST", line.hasPrefix("        \""), let code = line.split(separator: "\"").dropFirst().first {
                codes["POST \(path)", default: []].insert(String(code))
            }
        }
        let posts = try Self.documented().keys.filter { $0.hasPrefix("POST ") }
        #expect(posts.count >= 8)
        for op in posts { #expect(codes[op, default: []].isSuperset(of: ["403", "415"]), "\(op)") }
    }
}

import Foundation

/// A what-if comparison as `seinhuis whatif --format json` wrote it (docs/WHATIF.md), for the evaluation report.
public struct WhatIfComparison: Sendable, Decodable {
    public struct Response: Sendable, Decodable {
        public var count: Int
        public var mean_s: Double
        public var p50_s: Double
        public var p90_s: Double
    }
    public struct Row: Sendable, Decodable {
        public var queue: String
        public var alerts: Int
        public var escalations: Int
        public var response: Response
        public var within_target: Double?
    }
    public struct Side: Sendable, Decodable {
        /// `current` or `proposed`.
        public var role: String
        public var version: String
        public var rows: [Row]
    }
    public struct Honesty: Sendable, Decodable {
        public var p50_off_s: Double
        public var p90_off_s: Double
        public var within_tolerance: Bool
    }

    public var breaches: Int
    public var days: Double
    public var seed: String
    public var policies: [Side]
    public var honesty: Honesty

    /// Reads the file's JSON; a clear error when it is not the output of `seinhuis whatif --format json`.
    public static func parse(_ data: Data, file: String) throws -> WhatIfComparison {
        do {
            let w = try JSONDecoder().decode(WhatIfComparison.self, from: data)
            guard w.policies.count == 2 else { throw EvaluationError("it holds \(w.policies.count) policies, not 2") }
            return w
        } catch let e as EvaluationError {
            throw EvaluationError("\(file) is not the JSON of seinhuis whatif --format json: \(e.description)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw EvaluationError("\(file) is not the JSON of seinhuis whatif --format json: no \"\(key.stringValue)\"")
        } catch {
            throw EvaluationError("\(file) is not the JSON of seinhuis whatif --format json")
        }
    }
}

import Foundation
import SeinhuisCore

/// How long a queue takes to answer an alert: a distribution of delays in scenario seconds (`simulator respond
/// --delay QUEUE=SPEC`). `fixed:90s`, `uniform:1m,5m`, `exp:240s` (mean), `lognormal:90s,0.6` (median, sigma).
/// Durations take `ms`, `s`, `m` or `h` (a bare number is seconds).
enum DelayDistribution: Equatable, CustomStringConvertible {
    case fixed(Double)
    case uniform(Double, Double)
    case exponential(mean: Double)
    case lognormal(median: Double, sigma: Double)

    struct Invalid: Error, CustomStringConvertible { var description: String }

    init(parsing spec: String) throws {
        let parts = spec.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            throw Invalid(description: "delay '\(spec)': expected NAME:PARAMETERS (\(Self.forms))")
        }
        let args = parts[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func duration(_ i: Int) throws -> Double {
            guard i < args.count, let d = Self.seconds(args[i]), d >= 0 else {
                throw Invalid(description: "delay '\(spec)': '\(i < args.count ? args[i] : "")' is not a duration")
            }
            return d
        }
        func count(_ n: Int) throws {
            guard args.count == n else {
                throw Invalid(description: "delay '\(spec)': \(parts[0]) takes \(n) parameter(s) (\(Self.forms))")
            }
        }
        switch parts[0] {
        case "fixed":
            try count(1)
            self = .fixed(try duration(0))
        case "uniform":
            try count(2)
            let (a, b) = (try duration(0), try duration(1))
            guard a <= b else { throw Invalid(description: "delay '\(spec)': the lower bound is above the upper") }
            self = .uniform(a, b)
        case "exp":
            try count(1)
            self = .exponential(mean: try duration(0))
        case "lognormal":
            try count(2)
            guard let sigma = Double(args[1]), sigma >= 0, sigma <= 5 else {
                throw Invalid(description: "delay '\(spec)': sigma '\(args[1])' must be a number from 0 to 5")
            }
            self = .lognormal(median: try duration(0), sigma: sigma)
        default:
            throw Invalid(description: "delay '\(spec)': unknown distribution '\(parts[0])' (\(Self.forms))")
        }
    }

    static let forms = "fixed:D, uniform:D1,D2, exp:MEAN, lognormal:MEDIAN,SIGMA; durations like 500ms, 90s, 4m, 1h"

    /// `90s`, `1.5m`, `500ms`, `2h`, or a bare number of seconds; nil if it is none of those.
    static func seconds(_ text: String) -> Double? {
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(text)
    }

    /// One draw, in seconds.
    func draw(_ rng: inout Rng) -> Double {
        switch self {
        case .fixed(let d): return d
        case .uniform(let a, let b): return rng.uniform(a, b)
        case .exponential(let mean): return -mean * log(1 - rng.unit())
        case .lognormal(let median, let sigma): return median * exp(sigma * rng.gaussian())
        }
    }

    var description: String {
        switch self {
        case .fixed(let d): return "fixed:\(d)s"
        case .uniform(let a, let b): return "uniform:\(a)s,\(b)s"
        case .exponential(let mean): return "exp:\(mean)s"
        case .lognormal(let median, let sigma): return "lognormal:\(median)s,\(sigma)"
        }
    }
}

/// What one queue does with one alert it was reached by (`simulator respond`): nothing (ignored), or acknowledge,
/// record a measure and close, each at a delay in scenario seconds from the moment the queue saw it.
struct OperatorPlan: Equatable {
    var ignored: Bool
    var acknowledgeAfter: Double
    var measureAfter: Double
    var closeAfter: Double
    var measure: Measure

    /// The queues' habits: the answer's delay per queue, the share each leaves unanswered, the delay from the
    /// measure to closing, and the seed.
    struct Habits {
        var delays: [Queue: DelayDistribution]
        var ignore: [Queue: Double]
        var close: DelayDistribution
        var seed: UInt64

        static let defaultDelay = DelayDistribution.lognormal(median: 120, sigma: 0.8)

        /// The plan of `queue` for alert `id`: drawn from a stream of its own (the seed, the alert, the queue), so
        /// it does not depend on the order in which alerts arrive or on the other queues.
        func plan(alert id: String, queue: Queue) -> OperatorPlan {
            var rng = Rng(seed: seed, stream: Self.stream(id, queue))
            let ignored = rng.chance(ignore[queue] ?? 0)
            let measureAfter = (delays[queue] ?? Self.defaultDelay).draw(&rng)
            // Acknowledged on seeing it, between a tenth and a half of the way to the measure.
            let ack = measureAfter * rng.uniform(0.1, 0.5)
            let close = measureAfter + close.draw(&rng)
            let measure = rng.pick(Self.measures[queue] ?? [.other])
            return OperatorPlan(
                ignored: ignored, acknowledgeAfter: ack, measureAfter: measureAfter, closeAfter: close,
                measure: measure)
        }

        static let measures: [Queue: [Measure]] = [
            .vcet: [.phone_call, .phone_call, .phone_call, .field_visit, .false_alarm],
            .coordinator: [.phone_call, .other],
            .cic: [.police_dispatched, .phone_call],
            .police: [.police_dispatched, .field_visit],
            .cell: [.judicial_report, .other],
        ]

        /// FNV-1a of the alert id, mixed with the queue.
        static func stream(_ id: String, _ queue: Queue) -> UInt64 {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            return h ^ UInt64(Queue.allCases.firstIndex(of: queue)! + 1) &* 0x9E37_79B9_7F4A_7C15
        }
    }
}

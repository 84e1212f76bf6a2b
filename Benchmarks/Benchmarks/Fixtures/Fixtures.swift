import Benchmark
import Foundation

// What the benchmark suites share: the simulator-like dossiers, the stream's start and the default thresholds.

/// Dossier `k` like the simulator's, as JSON: a home, a night curfew, an exclusion polygon with a school-hours
/// schedule and an exclusion circle; one device (`TAG-0000k`).
public func dossierJSON(_ k: Int) -> String {
    let lat = 50.8 + Double(k % 100) * 0.002, lon = 4.3 + Double(k / 100 % 100) * 0.002
    return """
        {"id":"D-\(k)","subject":"S-\(k)","radex":\(k % 3 == 0),"mandate":"sentence","start":"2020-01-01",\
        "timezone":"Europe/Brussels","devices":["TAG-\(String(format: "%05d", k))"],\
        "home":{"lat":\(lat),"lon":\(lon),"radius_m":200},\
        "curfew":[{"days":["mon","tue","wed","thu","fri","sat","sun"],"from":"22:00","to":"06:00"}],\
        "zones":[{"id":"Z-school","kind":"exclusion","polygon":[[\(lat + 0.02),\(lon)],[\(lat + 0.021),\(lon + 0.004)],\
        [\(lat + 0.023),\(lon + 0.003)],[\(lat + 0.022),\(lon - 0.001)]],\
        "schedule":[{"days":["mon","tue","wed","thu","fri"],"from":"07:30","to":"17:00"}]},\
        {"id":"Z-station","kind":"exclusion","circle":{"lat":\(lat - 0.03),"lon":\(lon),"radius_m":200}}],\
        "comms_timeout_s":1800}
        """
}

/// The streams' start: 2026-11-18, a weekday.
public let start: Int64 = 1_795_000_000_000

/// Generous on time: on this shared 2-core machine the same build varies by a factor of two from run to run
/// (measured), so only a gross slowdown fails. Strict on allocations: they do not depend on noise.
public var defaultThresholds: [BenchmarkMetric: BenchmarkThresholds] {
    [
        .wallClock: .init(relative: [.p90: 150]),
        .throughput: .init(relative: [.p90: 60]),
        .mallocCountTotal: .init(absolute: [.p50: 2, .p90: 2]),
    ]
}

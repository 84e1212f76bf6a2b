import Foundation

/// Cumulative distribution charts of latencies as inline SVG: the share of alerts answered within a time, on a
/// logarithmic time axis (seconds to days read side by side). The console's latency dashboard and the evaluation
/// report draw with it.
public struct SVGChart {
    public struct Series {
        public var name: String
        /// Durations in milliseconds.
        public var values: [Int64]

        public init(name: String, values: [Int64]) {
            self.name = name
            self.values = values
        }
    }
    public var series: [Series]
    public var width = 640.0
    public var height = 300.0
    /// A vertical marker, e.g. the response target (seconds).
    public var markers: [(label: String, seconds: Double)] = []

    public init(
        series: [Series], width: Double = 640, height: Double = 300, markers: [(label: String, seconds: Double)] = []
    ) {
        self.series = series
        self.width = width
        self.height = height
        self.markers = markers
    }

    static let palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"]

    public func render() -> String {
        let left = 48.0, right = 16.0, top = 12.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap(\.values).map { max(Double($0) / 1000, 0.01) }
        let maxS = max(all.max() ?? 60, 60)
        // From 1 s, or from a power of ten below the fastest answer (automated tests answer in milliseconds).
        let lo = min(0, floor(log10(all.min() ?? 1))), hi = ceil(log10(maxS))
        func x(_ seconds: Double) -> Double { left + (log10(max(seconds, pow(10, lo))) - lo) / (hi - lo) * plotW }
        func y(_ share: Double) -> Double { top + (1 - share) * plotH }
        var svg =
            #"<svg class="chart" viewBox="0 0 \#(f(width)) \#(f(height))" width="\#(f(width))" height="\#(f(height))" role="img" xmlns="http://www.w3.org/2000/svg">"#
        for share in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg +=
                #"<line class="grid" x1="\#(f(left))" x2="\#(f(width - right))" y1="\#(f(y(share)))" y2="\#(f(y(share)))"/>"#
            svg +=
                #"<text class="axis" x="\#(f(left - 6))" y="\#(f(y(share) + 4))" text-anchor="end">\#(Int(share * 100))%</text>"#
        }
        for s in [0.01, 0.1, 1.0, 10, 60, 600, 3600, 21600, 86400, 604_800] where s <= pow(10, hi) && s >= pow(10, lo) {
            svg += #"<line class="grid" x1="\#(f(x(s)))" x2="\#(f(x(s)))" y1="\#(f(top))" y2="\#(f(top + plotH))"/>"#
            svg +=
                #"<text class="axis" x="\#(f(x(s)))" y="\#(f(top + plotH + 16))" text-anchor="middle">\#(Self.duration(s))</text>"#
        }
        for m in markers where m.seconds <= pow(10, hi) {
            svg +=
                #"<line class="marker" x1="\#(f(x(m.seconds)))" x2="\#(f(x(m.seconds)))" y1="\#(f(top))" y2="\#(f(top + plotH))"/>"#
            svg +=
                #"<text class="axis" x="\#(f(x(m.seconds) - 3))" y="\#(f(top + 10))" text-anchor="end">\#(HTMLText.escape(m.label))</text>"#
        }
        for (i, s) in series.enumerated() where !s.values.isEmpty {
            let sorted = s.values.map { Double($0) / 1000 }.sorted()
            var d = "M\(f(x(0))) \(f(y(0)))"
            for (k, v) in sorted.enumerated() {
                d += " H\(f(x(v))) V\(f(y(Double(k + 1) / Double(sorted.count))))"
            }
            d += " H\(f(x(pow(10, hi))))"
            let color = Self.palette[i % Self.palette.count]
            svg += #"<path class="cdf" stroke="\#(color)" d="\#(d)"><title>\#(HTMLText.escape(s.name))</title></path>"#
            let lx = left + 8 + Double(i) * 130
            svg += #"<rect x="\#(f(lx))" y="\#(f(height - 14))" width="12" height="4" fill="\#(color)"/>"#
            svg +=
                #"<text class="legend" x="\#(f(lx + 16))" y="\#(f(height - 9))">\#(HTMLText.escape(s.name)) (\#(s.values.count))</text>"#
        }
        svg += "</svg>"
        return svg
    }

    static func duration(_ s: Double) -> String {
        if s < 1 { return "\(Int(s * 1000))ms" }
        if s < 60 { return "\(Int(s))s" }
        if s < 3600 { return "\(Int(s / 60))m" }
        if s < 86400 { return "\(Int(s / 3600))h" }
        return "\(Int(s / 86400))d"
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

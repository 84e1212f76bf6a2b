import Foundation
import SeinhuisCore

/// A small map of an alert as inline SVG: zones, home, the latest fixes with their accuracy circles. No tiles and no
/// external assets (the console works offline). Latitude and longitude are projected on a local plane around the
/// home (equirectangular: exact enough over the few kilometres a dossier spans).
struct SVGMap {
    var home: GeoCircle
    var zones: [Zone]
    /// Oldest first: (position, accuracy in metres, time).
    var fixes: [(point: GeoPoint, acc: Double, ts: Timestamp)]
    /// The zone of the breach, drawn stronger.
    var breachZone: String?
    var width = 640.0
    var height = 420.0

    /// Metres east and north of the home's centre.
    func local(_ p: GeoPoint) -> (x: Double, y: Double) {
        let lat0 = home.center.lat * .pi / 180
        let x = (p.lon - home.center.lon) * .pi / 180 * Geo.earthRadius * cos(lat0)
        let y = (p.lat - home.center.lat) * .pi / 180 * Geo.earthRadius
        return (x, y)
    }

    /// What the view is framed on, as (centre, radius) in local metres: the home, the fixes and the zone of the
    /// breach. Other zones are drawn but may run off the edge (a city-wide inclusion zone would shrink the rest to
    /// a dot).
    private var extents: [(x: Double, y: Double, r: Double)] {
        var out: [(Double, Double, Double)] = [(0, 0, max(home.radiusMetres, 50))]
        for z in zones where z.id == breachZone || zones.count == 1 && fixes.isEmpty {
            switch z.shape {
            case .circle(let c):
                let p = local(c.center)
                out.append((p.x, p.y, c.radiusMetres))
            case .polygon(let g):
                for v in g.vertices {
                    let p = local(v)
                    out.append((p.x, p.y, 0))
                }
            }
        }
        for f in fixes {
            let p = local(f.point)
            out.append((p.x, p.y, min(f.acc, 2000)))
        }
        return out
    }

    /// Keeps a label inside the view.
    private func clamp(_ v: Double, _ limit: Double) -> Double { min(max(v, 80), limit - 80) }

    func render() -> String {
        let e = extents
        var minX = e.map { $0.x - $0.r }.min()!, maxX = e.map { $0.x + $0.r }.max()!
        var minY = e.map { $0.y - $0.r }.min()!, maxY = e.map { $0.y + $0.r }.max()!
        // At least 400 m across: a street or two of context around a subject who stays home.
        let grow = max(0, 400 - (maxX - minX)) / 2, growY = max(0, 400 - (maxY - minY)) / 2
        minX -= grow
        maxX += grow
        minY -= growY
        maxY += growY
        let pad = 24.0
        let scale = min((width - 2 * pad) / max(maxX - minX, 1), (height - 2 * pad) / max(maxY - minY, 1))
        let cx = (minX + maxX) / 2, cy = (minY + maxY) / 2
        func sx(_ x: Double) -> String { f(width / 2 + (x - cx) * scale) }
        func sy(_ y: Double) -> String { f(height / 2 - (y - cy) * scale) }  // north up
        func r(_ m: Double) -> String { f(max(m * scale, 1.5)) }

        var svg =
            #"<svg class="map" viewBox="0 0 \#(f(width)) \#(f(height))" width="\#(f(width))" height="\#(f(height))" role="img" aria-label="Map of zones, home and latest fixes" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<rect width="100%" height="100%" class="map-bg"/>"#
        for z in zones {
            let cls = "zone zone-\(z.kind.rawValue)" + (z.id == breachZone ? " zone-breach" : "")
            switch z.shape {
            case .circle(let c):
                let p = local(c.center)
                svg += #"<circle class="\#(cls)" cx="\#(sx(p.x))" cy="\#(sy(p.y))" r="\#(r(c.radiusMetres))"/>"#
                svg += label(z.id, sx(p.x), sy(p.y))
            case .polygon(let g):
                let pts = g.vertices.map { v -> String in
                    let p = local(v)
                    return "\(sx(p.x)),\(sy(p.y))"
                }
                svg += #"<polygon class="\#(cls)" points="\#(pts.joined(separator: " "))"/>"#
                let c = g.vertices.map(local)
                // The label at the vertex nearest the top of the view, kept inside it.
                let top = c.max { $0.y < $1.y } ?? (0, 0)
                svg += label(
                    z.id + " (\(z.kind.rawValue))", f(clamp(Double(sx(top.x))!, width)),
                    f(clamp(Double(sy(top.y))! + 14, height)))
            }
        }
        svg += #"<circle class="home" cx="\#(sx(0))" cy="\#(sy(0))" r="\#(r(home.radiusMetres))"/>"#
        svg += #"<path class="home-mark" d="M\#(sx(0)) \#(f(Double(sy(0))! - 9)) l8 7 h-3 v7 h-10 v-7 h-3 z"/>"#
        svg += label("home", sx(0), f(Double(sy(0))! + 18))
        if fixes.count > 1 {
            let path = fixes.map { fix -> String in
                let p = local(fix.point)
                return "\(sx(p.x)),\(sy(p.y))"
            }
            svg += #"<polyline class="track" points="\#(path.joined(separator: " "))"/>"#
        }
        for (i, fix) in fixes.enumerated() {
            let p = local(fix.point)
            let latest = i == fixes.count - 1
            svg +=
                #"<circle class="acc\#(latest ? " acc-latest" : "")" cx="\#(sx(p.x))" cy="\#(sy(p.y))" r="\#(r(fix.acc))"><title>\#(HTML.escape(fix.ts.rfc3339)) ±\#(f(fix.acc)) m</title></circle>"#
            svg +=
                #"<circle class="fix\#(latest ? " fix-latest" : "")" cx="\#(sx(p.x))" cy="\#(sy(p.y))" r="\#(latest ? 5 : 3)"/>"#
        }
        // Scale bar: a round number of metres about a fifth of the width.
        let target = (width / 5) / scale
        let magnitude = pow(10, floor(log10(max(target, 1))))
        let bar = [1.0, 2, 5, 10].map { $0 * magnitude }.last { $0 <= target } ?? magnitude
        let barPx = bar * scale
        svg +=
            #"<g class="scale"><line x1="16" y1="\#(f(height - 16))" x2="\#(f(16 + barPx))" y2="\#(f(height - 16))"/>"#
        svg +=
            #"<text x="16" y="\#(f(height - 22))">\#(bar >= 1000 ? String(format: "%g", bar / 1000) + " km" : String(format: "%g", bar) + " m")</text></g>"#
        svg += #"<text class="north" x="\#(f(width - 20))" y="24">N↑</text>"#
        svg += "</svg>"
        return svg
    }

    private func label(_ text: String, _ x: String, _ y: String) -> String {
        #"<text class="map-label" x="\#(x)" y="\#(y)">\#(HTML.escape(text))</text>"#
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

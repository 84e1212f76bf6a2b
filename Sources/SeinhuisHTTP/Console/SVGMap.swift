import Foundation
import SeinhuisCore

/// A small map as inline SVG: zones, homes, fixes with their accuracy circles, and (the live map) one marker per
/// device. No tiles and no external assets (the console works offline). Latitude and longitude are projected on a
/// local plane around `origin` (equirectangular: exact enough over the few tens of kilometres a map spans).
struct SVGMap {
    /// A device on the live map: its latest qualifying fix, and whether it is in breach (drawn stronger, linked).
    struct Marker {
        var device: String
        var dossier: String
        var point: GeoPoint
        var acc: Double
        var ts: Timestamp
        /// The open breach to show (kind), and the alert it links to; nil: none.
        var breach: String?
        var alertID: String?
        /// (1.1) Lost in this open network incident (drawn muted, linked to it).
        var outage: String?
        /// (1.1) A protected person's device: the person's id (drawn as a diamond, never linked).
        var protected: String?
    }

    /// The centre of the projection.
    var origin: GeoPoint
    var homes: [GeoCircle]
    var zones: [Zone]
    /// Oldest first: (position, accuracy in metres, time); drawn as a track (the alert page).
    var fixes: [(point: GeoPoint, acc: Double, ts: Timestamp)] = []
    /// The zones of breaches, drawn stronger.
    var breachZones: Set<String> = []
    var markers: [Marker] = []
    var width = 640.0
    var height = 420.0
    /// What a screen reader says for the map, and the word under a home (the caller's language).
    var label = "Map of zones, home and latest fixes"
    var homeLabel = "home"

    /// The alert page's map: framed on the home, the fixes and the zone of the breach.
    init(home: GeoCircle, zones: [Zone], fixes: [(point: GeoPoint, acc: Double, ts: Timestamp)], breachZone: String?) {
        origin = home.center
        homes = [home]
        self.zones = zones
        self.fixes = fixes
        breachZones = breachZone.map { [$0] } ?? []
    }

    /// The live map's: framed on the markers and the zones of breaches (homes, or zones, when there is nothing else).
    init(origin: GeoPoint, homes: [GeoCircle], zones: [Zone], breachZones: Set<String>, markers: [Marker]) {
        self.origin = origin
        self.homes = homes
        self.zones = zones
        self.breachZones = breachZones
        self.markers = markers
        width = 960
        height = 600
        label = "Map of the devices"
    }

    /// Metres east and north of the origin.
    func local(_ p: GeoPoint) -> (x: Double, y: Double) {
        let lat0 = origin.lat * .pi / 180
        let x = (p.lon - origin.lon) * .pi / 180 * Geo.earthRadius * cos(lat0)
        let y = (p.lat - origin.lat) * .pi / 180 * Geo.earthRadius
        return (x, y)
    }

    /// What the view is framed on, as (centre, radius) in local metres: the homes (or the markers), the fixes and
    /// the zones of breaches. Other zones are drawn but may run off the edge (a city-wide inclusion zone would shrink the
    /// rest to a dot), unless there is nothing else to frame.
    private var extents: [(x: Double, y: Double, r: Double)] {
        // The live map frames the devices' fixes; homes only when no device has one (the alert page: always).
        var out: [(Double, Double, Double)] = (markers.isEmpty ? homes : []).map {
            let p = local($0.center)
            return (p.x, p.y, max($0.radiusMetres, 50))
        }
        let alone = fixes.isEmpty && markers.isEmpty && (zones.count == 1 || homes.isEmpty)
        for z in zones where breachZones.contains(z.id) || alone {
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
        for m in markers {
            let p = local(m.point)
            out.append((p.x, p.y, min(m.acc, 2000)))
        }
        return out.isEmpty ? [(0, 0, 200)] : out
    }

    /// The projection onto the view: local metres to SVG coordinates, and metres to pixels.
    private struct Frame {
        var scale: Double
        var cx: Double, cy: Double, width: Double, height: Double
        func x(_ v: Double) -> Double { width / 2 + (v - cx) * scale }
        func y(_ v: Double) -> Double { height / 2 - (v - cy) * scale }  // north up
    }

    private func frame() -> Frame {
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
        return Frame(scale: scale, cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, width: width, height: height)
    }

    /// Keeps a label inside the view.
    private func clamp(_ v: Double, _ limit: Double) -> Double { min(max(v, 80), limit - 80) }

    func render() -> String {
        let fr = frame()
        var svg =
            #"<svg class="map" viewBox="0 0 \#(f(width)) \#(f(height))" width="\#(f(width))" height="\#(f(height))" role="img" aria-label="\#(HTML.escape(label))" xmlns="http://www.w3.org/2000/svg">"#
        svg += #"<rect width="100%" height="100%" class="map-bg"/>"#
        svg += renderZones(fr) + renderHomes(fr) + renderFixes(fr) + renderMarkers(fr) + scaleBar(fr)
        svg += #"<text class="north" x="\#(f(width - 20))" y="24">N↑</text>"#
        svg += "</svg>"
        return svg
    }

    private func renderZones(_ fr: Frame) -> String {
        var svg = ""
        for z in zones {
            let cls = "zone zone-\(z.kind.rawValue)" + (breachZones.contains(z.id) ? " zone-breach" : "")
            switch z.shape {
            case .circle(let c):
                let p = local(c.center)
                svg +=
                    #"<circle class="\#(cls)" data-zone="\#(HTML.escape(z.id))" cx="\#(f(fr.x(p.x)))" cy="\#(f(fr.y(p.y)))" r="\#(r(c.radiusMetres, fr))"/>"#
                svg += text(z.id, f(fr.x(p.x)), f(fr.y(p.y)))
            case .polygon(let g):
                let c = g.vertices.map(local)
                let pts = c.map { "\(f(fr.x($0.x))),\(f(fr.y($0.y)))" }
                svg +=
                    #"<polygon class="\#(cls)" data-zone="\#(HTML.escape(z.id))" points="\#(pts.joined(separator: " "))"/>"#
                // The label at the vertex nearest the top of the view, kept inside it.
                let top = c.max { $0.y < $1.y } ?? (0, 0)
                svg += text(
                    z.id + " (\(z.kind.rawValue))", f(clamp(fr.x(top.x), width)), f(clamp(fr.y(top.y) + 14, height)))
            }
        }
        return svg
    }

    private func renderHomes(_ fr: Frame) -> String {
        homes.map { home in
            let p = local(home.center)
            let x = fr.x(p.x), y = fr.y(p.y)
            return #"<circle class="home" cx="\#(f(x))" cy="\#(f(y))" r="\#(r(home.radiusMetres, fr))"/>"#
                + #"<path class="home-mark" d="M\#(f(x)) \#(f(y - 9)) l8 7 h-3 v7 h-10 v-7 h-3 z"/>"#
                + text(homes.count == 1 ? homeLabel : "", f(x), f(y + 18))
        }.joined()
    }

    private func renderFixes(_ fr: Frame) -> String {
        var svg = ""
        let pts = fixes.map { fix -> (x: Double, y: Double) in
            let p = local(fix.point)
            return (fr.x(p.x), fr.y(p.y))
        }
        if fixes.count > 1 {
            svg +=
                #"<polyline class="track" points="\#(pts.map { "\(f($0.x)),\(f($0.y))" }.joined(separator: " "))"/>"#
        }
        for (i, fix) in fixes.enumerated() {
            let latest = i == fixes.count - 1
            let (x, y) = (f(pts[i].x), f(pts[i].y))
            svg +=
                #"<circle class="acc\#(latest ? " acc-latest" : "")" cx="\#(x)" cy="\#(y)" r="\#(r(fix.acc, fr))"><title>\#(HTML.escape(fix.ts.rfc3339)) ±\#(f(fix.acc)) m</title></circle>"#
            svg += #"<circle class="fix\#(latest ? " fix-latest" : "")" cx="\#(x)" cy="\#(y)" r="\#(latest ? 5 : 3)"/>"#
        }
        return svg
    }

    /// One group per device: accuracy circle, dot, label; in breach: red and a link to the alert.
    private func renderMarkers(_ fr: Frame) -> String {
        let e = HTML.escape
        return markers.map { m in
            if let person = m.protected { return protectedMarker(m, person, fr) }
            let p = local(m.point)
            let x = f(fr.x(p.x)), y = f(fr.y(p.y))
            let cls = "device" + (m.breach == nil ? "" : " device-breach") + (m.outage == nil ? "" : " device-outage")
            let title =
                "\(m.device) · \(m.dossier) · \(m.ts.rfc3339) ±\(f(m.acc)) m" + (m.breach.map { " · " + $0 } ?? "")
                + (m.outage.map { " · network_outage " + $0 } ?? "")
            var dot =
                #"<circle class="acc" cx="\#(x)" cy="\#(y)" r="\#(r(m.acc, fr))"/><circle class="dev-dot" cx="\#(x)" cy="\#(y)" r="6"><title>\#(e(title))</title></circle>"#
            if let id = m.alertID ?? m.outage { dot = #"<a href="/console/alert/\#(e(id))">\#(dot)</a>"# }
            return
                #"<g class="\#(cls)" data-device="\#(e(m.device))" data-dossier="\#(e(m.dossier))" data-lat="\#(m.point.lat)" data-lon="\#(m.point.lon)">\#(dot)"#
                + #"<text class="map-label dev-label" x="\#(x)" y="\#(f(fr.y(p.y) - 10))">\#(e(m.device))</text></g>"#
        }.joined()
    }

    /// A protected person: a diamond and their id (`P-01`), never their dossier's subject.
    private func protectedMarker(_ m: Marker, _ person: String, _ fr: Frame) -> String {
        let e = HTML.escape
        let p = local(m.point)
        let x = fr.x(p.x), y = fr.y(p.y)
        let title = "\(person) · \(m.dossier) · \(m.ts.rfc3339) ±\(f(m.acc)) m"
        return
            #"<g class="protected" data-protected="\#(e(person))" data-dossier="\#(e(m.dossier))" data-lat="\#(m.point.lat)" data-lon="\#(m.point.lon)">"#
            + #"<circle class="acc" cx="\#(f(x))" cy="\#(f(y))" r="\#(r(m.acc, fr))"/>"#
            + #"<path class="prot-mark" d="M\#(f(x)) \#(f(y - 8)) l8 8 l-8 8 l-8 -8 z"><title>\#(e(title))</title></path>"#
            + #"<text class="map-label prot-label" x="\#(f(x))" y="\#(f(y - 12))">\#(e(person))</text></g>"#
    }

    /// A round number of metres about a fifth of the width.
    private func scaleBar(_ fr: Frame) -> String {
        let target = (width / 5) / fr.scale
        let magnitude = pow(10, floor(log10(max(target, 1))))
        let bar = [1.0, 2, 5, 10].map { $0 * magnitude }.last { $0 <= target } ?? magnitude
        let barPx = bar * fr.scale
        let text = bar >= 1000 ? String(format: "%g", bar / 1000) + " km" : String(format: "%g", bar) + " m"
        return
            #"<g class="scale"><line x1="16" y1="\#(f(height - 16))" x2="\#(f(16 + barPx))" y2="\#(f(height - 16))"/>"#
            + #"<text x="16" y="\#(f(height - 22))">\#(text)</text></g>"#
    }

    private func text(_ text: String, _ x: String, _ y: String) -> String {
        text.isEmpty ? "" : #"<text class="map-label" x="\#(x)" y="\#(y)">\#(HTML.escape(text))</text>"#
    }

    private func r(_ m: Double, _ fr: Frame) -> String { f(max(m * fr.scale, 1.5)) }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// Every loaded dossier's zones in two flat arrays: one record per zone (kind, schedule, circle or bounding box) and
/// the polygons' vertices, a dossier's zones side by side.
///
/// The hot path reaches a device's zones from its `TagState` (`zoneBase`) in one hop, with no object to retain and
/// no per-zone array to follow: with 10k interleaved devices each of those was a cache miss per position. The
/// containment tests are `GeoCircle.contains` and `GeoPolygon`'s own box and ring tests, so every decision is the
/// one `Zone.shape.contains` makes.
///
/// Records only grow: a re-imported dossier that changed gets new records; `RuleEngine.load` rebuilds the table from
/// the dossiers in force once unused records are the larger part.
struct ZoneTable: Sendable {
    struct Record: Sendable {
        enum Area: Sendable {
            case circle(GeoCircle)
            /// Bounding box and the ring's place in `vertices`.
            case polygon(minLat: Double, maxLat: Double, minLon: Double, maxLon: Double, start: Int32, count: Int32)
        }
        var area: Area
        /// Index of the schedule's period table in the engine; -1: always active.
        var schedule: Int32
        var exclusion: Bool
        /// (1.1) `"crossing": true`.
        var crossing: Bool
    }

    private(set) var records: [Record] = []
    private(set) var vertices: [GeoPoint] = []

    /// Appends a dossier's zones; returns the index of the first (its `zoneBase`).
    /// `schedules`: per zone, the index of its schedule's period table in the engine, -1: always active.
    mutating func append(_ zones: [Zone], schedules: [Int32]) -> Int32 {
        let base = Int32(records.count)
        for (z, schedule) in zip(zones, schedules) {
            let area: Record.Area
            switch z.shape {
            case .circle(let c):
                area = .circle(c)
            case .polygon(let g):
                area = .polygon(
                    minLat: g.minLat, maxLat: g.maxLat, minLon: g.minLon, maxLon: g.maxLon,
                    start: Int32(vertices.count), count: Int32(g.vertices.count))
                vertices.append(contentsOf: g.vertices)
            }
            records.append(
                Record(area: area, schedule: schedule, exclusion: z.kind == .exclusion, crossing: z.crossing))
        }
        return base
    }

    /// Room for `zones` more records and `vertices` more vertices (the first load allocates exactly).
    mutating func reserve(zones: Int, vertices v: Int) {
        records.reserveCapacity(records.count + zones)
        vertices.reserveCapacity(vertices.count + v)
    }

    /// Whether `p` is on the wrong side of zone `z` (inside an exclusion zone, outside an inclusion zone).
    @inline(__always) func wrongSide(_ z: Int, _ p: GeoPoint) -> Bool {
        let r = records[z]
        let inside: Bool
        switch r.area {
        case .circle(let c):
            inside = c.contains(p)
        case .polygon(let minLat, let maxLat, let minLon, let maxLon, let start, let count):
            if GeoPolygon.boxContains(p, minLat: minLat, maxLat: maxLat, minLon: minLon, maxLon: maxLon) {
                inside = vertices.withUnsafeBufferPointer {
                    GeoPolygon.ringContains(p, UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(start + count)]))
                }
            } else {
                inside = false
            }
        }
        return inside == r.exclusion
    }

    /// (1.1) Whether the segment `a`-`b` meets zone `z` (`Zone.shape.meetsSegment` on the table's copy).
    func meetsSegment(_ z: Int, _ a: GeoPoint, _ b: GeoPoint) -> Bool {
        switch records[z].area {
        case .circle(let c):
            return c.meetsSegment(a, b)
        case .polygon(_, _, _, _, let start, let count):
            return vertices.withUnsafeBufferPointer {
                GeoPolygon.ringMeetsSegment(a, b, UnsafeBufferPointer(rebasing: $0[Int(start)..<Int(start + count)]))
            }
        }
    }

    func isCrossing(_ z: Int) -> Bool { records[z].crossing }

    func schedule(_ z: Int) -> Int32? {
        let s = records[z].schedule
        return s >= 0 ? s : nil
    }
}

extension Zone {
    /// The breach a device on the wrong side of this zone is in.
    var breach: BreachKind { kind == .exclusion ? .exclusion_zone_entry : .inclusion_zone_exit }
}

/// The dossiers in force, as the pipeline judges by them: parsed conditions, each with its stored version, the
/// radex flags and the devices they name.
public struct DossierSet: Sendable, Equatable {
    public let dossiers: [Dossier]
    /// Each dossier's stored version (PROTOCOL 3: every import of changed conditions is a new version), in order.
    public let versions: [Int64]
    public let radexByDossier: [String: Bool]
    public let devices: Set<String>
    /// (1.1) Device → the network it reports through, for the devices that name one (PROTOCOL 3, 4.5).
    public let networkByDevice: [String: String]

    public init(_ dossiers: [Dossier], versions: [Int64]? = nil) {
        self.dossiers = dossiers
        self.versions = versions ?? [Int64](repeating: 0, count: dossiers.count)
        precondition(self.versions.count == dossiers.count, "one version per dossier")
        radexByDossier = Dictionary(dossiers.map { ($0.id, $0.radex) }, uniquingKeysWith: { $1 })
        devices = Set(dossiers.flatMap(\.boundDevices))
        networkByDevice = Dictionary(dossiers.flatMap(\.networks), uniquingKeysWith: { a, _ in a })
    }

    public static let empty = DossierSet([])

    /// Which versions are in force, `id:version` in order, comma-separated: what a dossier load records, so that
    /// start-up judges each event of the journal against the versions in force when it arrived (PROTOCOL 2.4).
    public var versionKey: String {
        zip(dossiers, versions).map { "\($0.0.id):\($0.1)" }.joined(separator: ",")
    }

    /// Whether both sets hold the same versions of the same dossiers (in whatever order).
    public func sameVersions(as other: DossierSet) -> Bool {
        dossiers.count == other.dossiers.count
            && Dictionary(zip(dossiers.map(\.id), versions), uniquingKeysWith: { $1 })
                == Dictionary(zip(other.dossiers.map(\.id), other.versions), uniquingKeysWith: { $1 })
    }

    /// The (id, version) pairs of a `versionKey`; nil if it is damaged.
    public static func parse(versionKey: String) -> [(id: String, version: Int64)]? {
        guard !versionKey.isEmpty else { return [] }
        var out: [(id: String, version: Int64)] = []
        for item in versionKey.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = item.lastIndex(of: ":"), let v = Int64(item[item.index(after: colon)...]) else {
                return nil
            }
            out.append((String(item[..<colon]), v))
        }
        return out
    }
}

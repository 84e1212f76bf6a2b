/// The dossiers in force, as the pipeline needs them: parsed conditions, radex flags, known devices. Pure: the store
/// loads it (`DossierCatalog.load(from:)` in SeinhuisStore), `serve`, `replay` and `dossier import` use it.
public struct DossierCatalog: Sendable {
    public private(set) var dossiers: [Dossier]
    public private(set) var radexByDossier: [String: Bool]
    public private(set) var devices: Set<String>

    public init(_ dossiers: [Dossier]) {
        self.dossiers = dossiers
        radexByDossier = Dictionary(dossiers.map { ($0.id, $0.radex) }, uniquingKeysWith: { $1 })
        devices = Set(dossiers.flatMap(\.devices))
    }
}

/// A dossier file that cannot be imported; nothing of it was stored. Also a stored dossier that no longer parses
/// (loading the catalog).
public struct DossierImportError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

/// A dossier file that cannot be imported; nothing of it was stored. Also a stored dossier that no longer parses
/// (`Store.dossierSet`).
public struct DossierImportError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

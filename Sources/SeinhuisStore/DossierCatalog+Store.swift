import SeinhuisCore

extension DossierCatalog {
    /// Loads the stored dossiers.
    public static func load(from store: Store) throws -> DossierCatalog {
        var out: [Dossier] = []
        for r in try store.dossiers() {
            do {
                out.append(contentsOf: try Dossier.parse(r.json))
            } catch {
                throw DossierImportError(message: "stored dossier \(r.id) no longer parses: \(error)")
            }
        }
        return DossierCatalog(out)
    }
}

import SeinhuisStore

/// The HTTP side's own database connection. SQLite connections are single-threaded, so one actor owns it; WAL
/// lets it read while the ingest thread writes.
actor ReadStore {
    let path: String
    private var store: Store?

    init(path: String) { self.path = path }

    func with<R: Sendable>(_ body: (Store) throws -> R) throws -> R {
        if store == nil { store = try Store(path: path) }
        return try body(store!)
    }
}

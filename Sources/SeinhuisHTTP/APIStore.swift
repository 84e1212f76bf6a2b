import SeinhuisStore

/// The HTTP side's own database connection, for reads (catch-up, an alert's history) and operators' actions.
/// SQLite connections are single-threaded, so one actor owns it; WAL and the busy timeout let it read and write
/// while the ingest thread commits. The ingest thread follows the action log and republishes what changed here.
public actor APIStore {
    let path: String
    private var store: Store?

    public init(path: String) { self.path = path }

    /// Runs `body` on the connection (opened on first use). One call is one turn of the actor: nothing else uses the
    /// connection meanwhile.
    func with<R: Sendable>(_ body: (Store) throws -> R) throws -> R {
        if store == nil { store = try Store(path: path) }
        return try body(store!)
    }
}

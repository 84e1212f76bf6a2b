/// A device's latest qualifying fix (PROTOCOL 4.1: `acc` at most 100 m), as the console's map shows it: where the
/// subject was last known to be, with how exact and how old that is.
public struct LatestFix: Sendable, Equatable {
    /// Event time, Unix milliseconds.
    public var ts: Int64
    public var lat: Double
    public var lon: Double
    /// Metres.
    public var acc: Double

    /// A fix qualifies at this accuracy or better: the contract's default (PROTOCOL 4.1). A dossier's stricter
    /// `max_acc_m` is applied when the map is read; a looser one (or `serve --max-acc-m` above 100) is not kept.
    public static let qualifyingMetres = 100.0

    public init(ts: Int64, lat: Double, lon: Double, acc: Double) {
        self.ts = ts
        self.lat = lat
        self.lon = lon
        self.acc = acc
    }
}

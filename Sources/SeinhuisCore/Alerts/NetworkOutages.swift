/// The contract's settings of network outages (PROTOCOL 4.5).
public struct OutageSettings: Sendable, Equatable {
    /// Devices of one network whose `communication_loss` makes an incident.
    public var minDevices = 5
    /// Within how long (by the alerts' `event_ts`).
    public var windowMs: Int64 = 300_000

    public init() {}
}

/// Which devices of each network are lost, and each network's open incident (PROTOCOL 4.5): the bookkeeping the
/// alert book keeps to group `communication_loss` alerts under a `network_outage` incident.
///
/// Pure state, derived from alerts only (the open `communication_loss` alerts of devices with a network, and the open
/// incidents), so start-up rebuilds it from the stored alerts (`AlertBook.adopt`) and it needs no snapshot of its own.
struct NetworkOutages: Sendable {
    var settings = OutageSettings()
    /// Device → network, from the dossiers in force.
    var networkOf: [String: String] = [:]

    struct Lost: Sendable, Equatable {
        var alert: String
        var eventTs: Int64
    }

    /// Per network: its devices whose `communication_loss` alert is open.
    private(set) var lost: [String: [String: Lost]] = [:]
    /// Per network: its open incident.
    private(set) var open: [String: Incident] = [:]

    struct Incident: Sendable, Equatable {
        var id: String
        /// The member devices still lost.
        var devices: Set<String>
    }

    /// A device of a network lost (its `communication_loss` alert `alert` raised at `eventTs`). Returns the network's
    /// open incident, if any: the device joins it.
    mutating func lose(_ device: String, network: String, alert: String, eventTs: Int64) -> String? {
        lost[network, default: [:]][device] = Lost(alert: alert, eventTs: eventTs)
        guard open[network] != nil else { return nil }
        open[network]!.devices.insert(device)
        return open[network]!.id
    }

    /// The devices that make a new incident of `network`, with the `event_ts` of the fifth, if at least
    /// `minDevices` of its lost devices fall within one window (the earliest such window); nil otherwise or while an
    /// incident of the network is open.
    func outbreak(of network: String) -> (devices: [String], eventTs: Int64)? {
        guard open[network] == nil, let devices = lost[network], devices.count >= settings.minDevices else {
            return nil
        }
        let byTime = devices.map { (ts: $0.value.eventTs, device: $0.key) }.sorted { ($0.ts, $0.device) < ($1.ts, $1.device) }
        let n = settings.minDevices
        for i in 0...(byTime.count - n) where byTime[i + n - 1].ts - byTime[i].ts <= settings.windowMs {
            let end = byTime[i].ts + settings.windowMs
            let members = byTime[i...].prefix { $0.ts <= end }.map(\.device).sorted()
            return (members, byTime[i + n - 1].ts)
        }
        return nil
    }

    /// A new incident of `network` over `devices`.
    mutating func begin(_ id: String, network: String, devices: [String]) {
        open[network] = Incident(id: id, devices: Set(devices))
    }

    /// A lost device recovered (its `communication_loss` cleared). Returns its network's incident when the device
    /// was one of its members, and whether that incident is now under `minDevices` (then it is no longer open).
    mutating func recover(_ device: String, network: String) -> (incident: String, ended: Bool)? {
        lost[network]?[device] = nil
        if lost[network]?.isEmpty == true { lost[network] = nil }
        guard var inc = open[network], inc.devices.remove(device) != nil else { return nil }
        let ended = inc.devices.count < settings.minDevices
        open[network] = ended ? nil : inc
        return (inc.id, ended)
    }

    /// The member devices of `network`'s open incident still lost, sorted.
    func members(of network: String) -> [String] { open[network].map { $0.devices.sorted() } ?? [] }

    /// The lost device's open alert.
    func lostAlert(_ device: String, network: String) -> String? { lost[network]?[device]?.alert }

    /// The network of a lost device (its alert's), looked up among the lost.
    func network(ofLost device: String) -> String? {
        if let n = networkOf[device], lost[n]?[device] != nil { return n }
        return lost.first { $0.value[device] != nil }?.key
    }

    /// Start-up: an incident that was open in the database, over the members it still has.
    mutating func adoptIncident(_ id: String, network: String, devices: [String]) {
        open[network] = Incident(id: id, devices: Set(devices))
    }

    /// Start-up: forgets an incident (it ended while the server was down).
    mutating func end(network: String) { open[network] = nil }
}

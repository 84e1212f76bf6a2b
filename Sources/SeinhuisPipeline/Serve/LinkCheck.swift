/// PROTOCOL 7: without `--curve`, `serve` binds loopback addresses only, unless `--insecure`.
public enum LinkCheck {
    /// Whether a host is a loopback address: 127.0.0.0/8, ::1, `localhost`.
    public static func isLoopback(host: String) -> Bool {
        var h = host.lowercased()
        if h.hasPrefix("[") && h.hasSuffix("]") { h = String(h.dropFirst().dropLast()) }
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
        return parts[0] == "127"
    }

    /// Whether a ZeroMQ bind endpoint stays on this machine: `ipc://`, `inproc://`, or `tcp://` on a loopback
    /// address (not `*`, not an interface name, not 0.0.0.0).
    public static func isLocal(endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") || endpoint.hasPrefix("inproc://") { return true }
        guard endpoint.hasPrefix("tcp://") else { return false }
        let address = endpoint.dropFirst("tcp://".count)
        guard let colon = address.lastIndex(of: ":") else { return false }
        return isLoopback(host: String(address[..<colon]))
    }
}

extension ServeConfig {
    /// Refuses a non-loopback endpoint when CURVE is off and `--insecure` was not given.
    public func checkLinks() throws {
        guard curve == nil, !insecure else { return }
        let endpoints = [
            ("--ingest", ingestEndpoint), ("--reliable", reliableEndpoint), ("--alerts", alertsEndpoint),
        ]
        for (option, endpoint) in endpoints where !LinkCheck.isLocal(endpoint: endpoint) {
            throw ServeError(
                description: """
                    \(option) \(endpoint) is not a loopback address: without --curve DIR anyone who can reach it could \
                    send events or read alerts. Use --curve DIR (PROTOCOL 7), a 127.0.0.1 or ipc:// endpoint, or \
                    --insecure to bind it unauthenticated anyway.
                    """)
        }
        if !LinkCheck.isLoopback(host: httpHost) {
            throw ServeError(
                description: """
                    --http-host \(httpHost) is not a loopback address; use --curve DIR (the console and API have \
                    their own sign-in) or --insecure.
                    """)
        }
    }
}

extension Store {
    /// The routing policy versions that routed the stored breach alerts, sorted (the evaluation page's choices).
    public func alertPolicyVersions() throws -> [String] {
        var out: [String] = []
        try db.prepare("SELECT DISTINCT policy FROM alert WHERE device IS NOT NULL ORDER BY policy").forEach {
            out.append($0.text(0))
        }
        return out
    }
}

import COpenSSL
import SeinhuisCore

extension Store {
    /// Records the routing policy `serve` starts with; a change from the one in force before (or a policy file on a
    /// database that never had one) is a policy change in the audit trail (`policy.activate`, PROTOCOL 7). Returns
    /// whether it was one.
    @discardableResult
    public func recordPolicyInForce(
        version: String, canonicalJSON: String, builtIn: Bool, by actor: String, at: Timestamp
    )
        throws -> Bool
    {
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array(canonicalJSON.utf8)
        bytes.withUnsafeBufferPointer { b in
            digest.withUnsafeMutableBufferPointer { d in _ = COpenSSL.SHA256(b.baseAddress, b.count, d.baseAddress) }
        }
        let fingerprint = "\(version) \(AuditHex.encode(digest))"
        return try transaction {
            let previous = try meta("policy.in_force")
            guard previous != fingerprint else { return false }
            try setMeta("policy.in_force", fingerprint)
            guard previous != nil || !builtIn else { return false }
            let before = previous.map { "; before: \($0.prefix { $0 != " " })" } ?? "; before: the built-in v1"
            try audit(
                actor: actor, action: "policy.activate", subject: "policy \(version)",
                detail: "sha256 \(AuditHex.encode(digest))\(before)", at: at)
            return true
        }
    }
}

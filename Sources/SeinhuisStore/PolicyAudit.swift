import COpenSSL
import SeinhuisCore

extension Store {
    /// Records the routing policy `serve` starts with; a change from the one in force before (or a policy file on a
    /// database that never had one) is a policy change in the audit trail (`policy.activate`, PROTOCOL 7). Returns
    /// whether it was one. `authorize` runs only for a change, inside the transaction, and returns who made it and
    /// in which role; if it throws, nothing is recorded (the policy in force stays the one before).
    @discardableResult
    public func recordPolicyInForce(
        version: String, canonicalJSON: String, builtIn: Bool, at: Timestamp,
        authorize: () throws -> (actor: String, role: String?)
    ) throws -> Bool {
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
            let (actor, role) = try authorize()
            let before = previous.map { "; before: \($0.prefix { $0 != " " })" } ?? "; before: the built-in v1"
            try audit(
                actor: actor, action: "policy.activate", subject: "policy \(version)",
                detail: "sha256 \(AuditHex.encode(digest))\(before)", at: at, role: role)
            return true
        }
    }
}

import SeinhuisCore
import SeinhuisStore

/// Why an account may not perform an action, or may not be named as a reviewer. Nothing was changed.
public struct ActorError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Who performs an audited action (docs/TRUST.md, Actors): an existing, enabled console account whose role has the
/// permission in `AccessPolicy`. The command line and the console check the same accounts and the same table.
public enum Actors {
    /// The account `name`, if it exists, is enabled and its role allows `permission`.
    public static func account(_ name: String, for permission: Permission, in store: Store) throws -> ConsoleUser {
        guard let user = try store.user(name: name) else {
            throw ActorError("no account \(name): an action is done by a console account (seinhuis user add)")
        }
        guard !user.disabled else { throw ActorError("account \(name) is disabled") }
        guard AccessPolicy.allows(user.role, permission) else {
            let roles = Role.allCases.filter { AccessPolicy.allows($0, permission) }.map(\.rawValue)
            throw ActorError(
                "account \(name) (\(user.role.rawValue)) may not do this: it needs the permission "
                    + "\(permission.rawValue) (roles: \(roles.joined(separator: ", ")))")
        }
        return user
    }

    /// The account `name` acting for `queue`: it may act on (or read) alerts, and the queue is one of its role's.
    public static func account(_ name: String, for permission: Permission, queue: Queue, in store: Store) throws
        -> ConsoleUser
    {
        let user = try account(name, for: permission, in: store)
        guard user.role.queues.contains(queue) else {
            throw ActorError(
                "account \(name) (\(user.role.rawValue)) does not work the queue \(queue.rawValue)"
                    + " (its queues: \(user.role.queues.map(\.rawValue).joined(separator: ", ")))")
        }
        return user
    }

    /// The queue an account acts for when none is given: its role's only queue, else (admin) `fallback`.
    public static func defaultQueue(of role: Role, fallback: Queue = .vcet) -> Queue {
        role.queues.count == 1 ? role.queues[0] : fallback
    }

    /// The roles a reviewer's account may have (PROTOCOL 5: the radicalisation cell reviews).
    public static let reviewerRoles: Set<Role> = [.cell, .admin]

    /// Nil if `name` is an enabled account of the cell (or an admin), else why not.
    public static func reviewerProblem(_ name: String, in store: Store) throws -> String? {
        guard let user = try store.user(name: name) else {
            return "reviewer \(name) is not an account (a reviewer is a cell or admin account's user name)"
        }
        if user.disabled { return "reviewer \(name) is a disabled account" }
        guard reviewerRoles.contains(user.role) else {
            return "reviewer \(name) is an account of role \(user.role.rawValue), not cell or admin"
        }
        return nil
    }
}

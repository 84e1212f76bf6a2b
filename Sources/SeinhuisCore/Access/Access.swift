/// The roles of the console's users (docs/CONSOLE.md). Each role watches its own queue; `admin` sees everything.
public enum Role: String, Sendable, CaseIterable, Comparable {
    case `operator`, coordinator, cic, police, cell, admin

    /// The queues whose alerts the role may list, open, follow live and act on.
    public var queues: [Queue] {
        switch self {
        case .operator: [.vcet]
        case .coordinator: [.coordinator]
        case .cic: [.cic]
        case .police: [.police]
        case .cell: [.cell]
        case .admin: Queue.allCases
        }
    }

    /// What the role sees of an alert's dossier in the alert detail.
    public var dossierView: DossierView {
        switch self {
        // Dispatch needs where and what, not the mandate, the curfew or the other zones.
        case .cic, .police: .dispatch
        case .operator, .coordinator, .cell, .admin: .conditions
        }
    }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How much of a dossier a role sees next to an alert.
public enum DossierView: String, Sendable {
    /// Pseudonym, Radex flag, home and the zone of the breach; the latest fixes. No mandate, curfew, other zones or
    /// review findings.
    case dispatch
    /// Everything the dossier holds: mandate, period, home, curfew, every zone, false-alarm limits.
    case conditions
}

/// What a request wants to do, apart from the queue it concerns (queues are checked with `Role.queues`).
public enum Permission: String, Sendable, CaseIterable {
    /// List alerts, open one, follow a queue live: further limited to the role's queues.
    case readAlerts
    /// Acknowledge, record a measure, close: further limited to the role's queues.
    case actOnAlerts
    /// The dossier overview (every dossier: Radex, review status, open alerts, last contact).
    case readDossiers
    /// Review findings, the review list and review reports.
    case readReviews
    /// Recording a review.
    case recordReviews
    /// The latency dashboard (aggregates only: no dossier or person).
    case readLatency
    /// The audit trail: its entries and its verification (docs/AUDIT.md).
    case readAudit
    /// Adding, disabling, enabling accounts and setting their passwords (`seinhuis user`).
    case manageUsers
    /// Importing dossiers (`seinhuis dossier import`).
    case importDossiers
    /// Purging events past the retention period (`seinhuis retention run`).
    case purgeEvents
    /// Starting `serve` with another routing policy than the one in force (`policy.activate`).
    case activatePolicies
    /// Answering the open survey round, once per round (docs/SURVEY.md).
    case answerSurveys
    /// Opening and closing survey rounds.
    case manageSurveys
    /// The procedure's evaluation: the evaluation report and the survey's results (aggregates only).
    case readEvaluation
}

/// The one table of who may do what. The server checks it on every API call and every page; the pages only hide
/// what the server would refuse anyway.
public enum AccessPolicy {
    public static func roles(for permission: Permission) -> Set<Role> {
        switch permission {
        case .readAlerts, .actOnAlerts: Set(Role.allCases)
        case .readDossiers: [.coordinator, .cell, .admin]
        case .readReviews, .recordReviews: [.cell, .admin]
        case .readLatency: [.operator, .coordinator, .cell, .admin]
        case .readAudit, .manageUsers, .importDossiers, .purgeEvents, .activatePolicies, .manageSurveys: [.admin]
        case .answerSurveys: Set(Role.allCases)
        case .readEvaluation: [.coordinator, .cell, .admin]
        }
    }

    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        roles(for: permission).contains(role)
    }

    /// Whether the role may see (and, with `actOnAlerts`, act on) an alert: it reached one of the role's queues.
    public static func allows(_ role: Role, alertQueues: [Queue]) -> Bool {
        alertQueues.contains { role.queues.contains($0) }
    }
}

/// Rules for user names and passwords of the console.
public enum Credentials {
    public static let minPasswordLength = 12
    public static let maxPasswordLength = 72  // bcrypt reads at most 72 bytes

    /// 1-64 characters of `[a-z0-9._-]`, starting with a letter or digit: names show in the audit trail and in logs.
    public static func isValidUserName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard (1...64).contains(u.count) else { return false }
        func ok(_ c: UInt8) -> Bool {
            (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == UInt8(ascii: ".") || c == UInt8(ascii: "_")
                || c == UInt8(ascii: "-")
        }
        return u.allSatisfy(ok) && ((u[0] >= 97 && u[0] <= 122) || (u[0] >= 48 && u[0] <= 57))
    }

    /// Nil if acceptable, else the reason.
    public static func passwordProblem(_ password: String) -> String? {
        let n = password.utf8.count
        if password.count < minPasswordLength { return "a password needs at least \(minPasswordLength) characters" }
        if n > maxPasswordLength { return "a password may have at most \(maxPasswordLength) bytes" }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a password may not contain control characters"
        }
        return nil
    }
}

import SeinhuisCore
import Testing

@Suite("roles, the access policy and credentials")
struct AccessTests {
    @Test func eachRoleWatchesItsOwnQueueAndAdminAll() {
        #expect(Role.operator.queues == [.vcet])
        #expect(Role.coordinator.queues == [.coordinator])
        #expect(Role.cic.queues == [.cic])
        #expect(Role.police.queues == [.police])
        #expect(Role.cell.queues == [.cell])
        #expect(Role.admin.queues == Queue.allCases)
        // Every queue is watched by exactly one role besides admin.
        for q in Queue.allCases {
            #expect(Role.allCases.filter { $0 != .admin && $0.queues.contains(q) }.count == 1)
        }
    }

    @Test func alertsAreVisibleOnlyThroughTheRolesQueues() {
        let radexCritical: [Queue] = [.vcet, .coordinator, .cic, .police]
        #expect(AccessPolicy.allows(.police, alertQueues: radexCritical))
        #expect(!AccessPolicy.allows(.cell, alertQueues: radexCritical))
        #expect(!AccessPolicy.allows(.police, alertQueues: [.vcet]))
        #expect(AccessPolicy.allows(.admin, alertQueues: [.cell]))
        #expect(!AccessPolicy.allows(.operator, alertQueues: []))
    }

    @Test func accountsDossierImportsPurgesAndPoliciesAreForAdminsOnly() {
        for p in [Permission.manageUsers, .importDossiers, .purgeEvents, .activatePolicies, .readAudit] {
            #expect(AccessPolicy.roles(for: p) == [.admin])
        }
    }

    @Test func reviewsAndDossiersStayWithTheCellCoordinatorAndAdmin() {
        for role in [Role.police, .cic] {
            #expect(!AccessPolicy.allows(role, .readReviews))
            #expect(!AccessPolicy.allows(role, .readDossiers))
            #expect(!AccessPolicy.allows(role, .readLatency))
            #expect(role.dossierView == .dispatch)
        }
        #expect(AccessPolicy.roles(for: .readReviews) == [.cell, .admin])
        #expect(AccessPolicy.roles(for: .recordReviews) == [.cell, .admin])
        #expect(AccessPolicy.roles(for: .readDossiers) == [.coordinator, .cell, .admin])
        #expect(!AccessPolicy.allows(.operator, .readDossiers))
        #expect(Role.operator.dossierView == .conditions)
    }

    @Test func userNamesAndPasswords() {
        #expect(Credentials.isValidUserName("anna"))
        #expect(Credentials.isValidUserName("a.peeters-2"))
        for bad in ["", "Anna", "-x", "a b", "anna\n", String(repeating: "a", count: 65), "zoë"] {
            #expect(!Credentials.isValidUserName(bad), "\(bad)")
        }
        #expect(Credentials.passwordProblem("correct horse battery") == nil)
        #expect(Credentials.passwordProblem("short") != nil)
        #expect(Credentials.passwordProblem(String(repeating: "x", count: 73)) != nil)  // bcrypt's limit
        #expect(Credentials.passwordProblem("twelve chars\u{7}") != nil)
    }
}

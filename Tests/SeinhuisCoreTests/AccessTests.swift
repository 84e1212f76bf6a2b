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

    @Test func sha256MatchesTheStandardsVectors() {
        // FIPS 180-4 examples and the empty message.
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // A million 'a's crosses many blocks.
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

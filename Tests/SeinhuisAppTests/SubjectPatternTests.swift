import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore
import Testing

/// A store in a fresh temporary directory.
func temporaryStore() throws -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-app-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return try Store(path: dir.appendingPathComponent("app.sqlite").path)
}

@Suite("pseudonyms: the subject pattern of dossier import (PROTOCOL 7)")
struct SubjectPatternTests {
    let rule = SubjectPattern()

    static func dossier(_ id: String, subject: String, device: String) -> String {
        #"{"id":"\#(id)","subject":"\#(subject)","radex":false,"mandate":"sentence","start":"2026-01-01","#
            + #""devices":["\#(device)"],"home":{"lat":51.05,"lon":3.72,"radius_m":100}}"#
    }

    @Test func twoToFortyCharacters() {
        #expect(!rule.accepts(""))
        #expect(!rule.accepts("1"))
        #expect(rule.accepts("S1"))
        #expect(rule.accepts("12"))
        #expect(rule.accepts("S" + String(repeating: "1", count: 39)))
        #expect(!rule.accepts("S" + String(repeating: "1", count: 40)))
    }

    @Test func atLeastOneDigitAndOnlyLettersDigitsUnderscoreAndHyphen() {
        #expect(!rule.accepts("S-K"))
        #expect(!rule.accepts("Jan-Peeters"))
        #expect(rule.accepts("S-K1"))
        #expect(rule.accepts("a_b-0"))
        #expect(rule.accepts("D-2026-0001"))
        for bad in ["S 1", "S.1", "S/1", "Sé1", "S1\n", "S1\u{0}", "S+1", "S:1", "\u{FF11}2", "S1 "] {
            #expect(!rule.accepts(bad), "\(bad.debugDescription)")
        }
    }

    @Test func theDefaultRuleIsItsDocumentedRegex() throws {
        let regex = try SubjectPattern(regex: SubjectPattern.defaultRegex)
        let samples = [
            "", "1", "S1", "S-K", "S-K1", "S 1", "Sé1", "a_b-0", "--", "-1", String(repeating: "9", count: 40),
            String(repeating: "9", count: 41), "ABCDEF", "ABCDE1",
        ]
        for s in samples { #expect(regex.accepts(s) == rule.accepts(s), "\(s.debugDescription)") }
    }

    @Test func aCustomPatternMatchesTheWholeSubject() throws {
        let p = try SubjectPattern(regex: "P[0-9]{4}")
        #expect(p.accepts("P1234"))
        #expect(!p.accepts("P12345"))
        #expect(!p.accepts("xP1234"))
        #expect(!p.accepts("S-1"))
        #expect(throws: DossierImportError.self) { try SubjectPattern(regex: "(") }
    }

    @Test func aFileWithABadSubjectIsRefusedWholeNamingTheDossiersButNotTheSubjects() throws {
        let store = try temporaryStore()
        let file =
            "[" + Self.dossier("D-1", subject: "S-1", device: "T1") + ","
            + Self.dossier("D-2", subject: "Jan Peeters", device: "T2") + ","
            + Self.dossier("D-3", subject: "Marie", device: "T3") + "]"
        do {
            try DossierImport.run(
                data: Data(file.utf8), source: "d.json", store: store, by: "t", at: .init(milliseconds: 0))
            Issue.record("imported")
        } catch let e as DossierImportError {
            #expect(e.message.contains("dossiers D-2, D-3"))
            #expect(e.message.contains("field subject"))
            #expect(e.message.contains("nothing imported"))
            for part in ["Jan", "Peeters", "Marie"] { #expect(!e.message.contains(part)) }
        }
        #expect(try store.dossiers().isEmpty)
        #expect(try store.auditRecords(AuditQuery()).isEmpty)
    }

    @Test func aCustomPatternDecidesOnImport() throws {
        let store = try temporaryStore()
        let file = Data(Self.dossier("D-1", subject: "ABCDEFGH", device: "T1").utf8)
        #expect(throws: DossierImportError.self) {
            try DossierImport.run(data: file, source: "d.json", store: store, by: "t", at: .init(milliseconds: 0))
        }
        let custom = try SubjectPattern(regex: "[A-Z]{8}")
        let records = try DossierImport.run(
            data: file, source: "d.json", store: store, by: "t", at: .init(milliseconds: 0), subjects: custom)
        #expect(records.map(\.id) == ["D-1"])
        do {
            try DossierImport.run(
                data: Data(Self.dossier("D-2", subject: "S-1", device: "T2").utf8), source: "e.json", store: store,
                by: "t", at: .init(milliseconds: 0), subjects: custom)
            Issue.record("imported")
        } catch let e as DossierImportError {
            #expect(e.message.contains("dossier D-2") && e.message.contains("/[A-Z]{8}/"))
        }
    }
}

@Suite("actors: audited actions are done by accounts")
struct ActorsTests {
    func store() throws -> Store {
        let s = try temporaryStore()
        let t = Timestamp(milliseconds: 0)
        try s.addUser(name: "root", role: .admin, passwordHash: "x", by: "root", at: t)
        try s.addUser(name: "op", role: .operator, passwordHash: "x", by: "root", at: t)
        try s.addUser(name: "cel", role: .cell, passwordHash: "x", by: "root", at: t)
        try s.addUser(name: "gone", role: .cell, passwordHash: "x", by: "root", at: t)
        try s.setDisabled(name: "gone", true, by: "root", at: t)
        return s
    }

    func refusal(_ body: () throws -> ConsoleUser) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? ActorError)?.description
        }
    }

    @Test func anActorIsAnExistingEnabledAccountWithThePermission() throws {
        let s = try store()
        #expect(try Actors.account("root", for: .importDossiers, in: s).role == .admin)
        let unknown = refusal { try Actors.account("nobody", for: .readAlerts, in: s) }
        #expect(unknown?.contains("no account nobody") == true)
        #expect(refusal { try Actors.account("gone", for: .readReviews, in: s) }?.contains("disabled") == true)
        let denied = refusal { try Actors.account("op", for: .manageUsers, in: s) }
        #expect(denied?.contains("manageUsers") == true && denied?.contains("roles: admin") == true)
        #expect(try Actors.account("cel", for: .recordReviews, in: s).name == "cel")
    }

    @Test func alertActionsAreLimitedToTheRolesQueues() throws {
        let s = try store()
        #expect(try Actors.account("op", for: .actOnAlerts, queue: .vcet, in: s).name == "op")
        #expect(refusal { try Actors.account("op", for: .actOnAlerts, queue: .police, in: s) } != nil)
        #expect(try Actors.account("root", for: .actOnAlerts, queue: .police, in: s).name == "root")
        #expect(Actors.defaultQueue(of: .police) == .police)
        #expect(Actors.defaultQueue(of: .admin) == .vcet)
    }

    @Test func aReviewerIsAnEnabledCellOrAdminAccount() throws {
        let s = try store()
        #expect(try Actors.reviewerProblem("cel", in: s) == nil)
        #expect(try Actors.reviewerProblem("root", in: s) == nil)
        #expect(try Actors.reviewerProblem("op", in: s)?.contains("operator") == true)
        #expect(try Actors.reviewerProblem("gone", in: s)?.contains("disabled") == true)
        #expect(try Actors.reviewerProblem("K. Peeters", in: s)?.contains("not an account") == true)
    }
}

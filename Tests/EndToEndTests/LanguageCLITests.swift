import Foundation
import Testing

/// What the operators' commands say, in the language asked for: `--lang`, else `SEINHUIS_LANG`, else Dutch.
@Suite("seinhuis in Dutch, French and English: --lang, SEINHUIS_LANG, user set-language", .serialized)
struct LanguageCLITests {
    @Test func alertActionsSayTheirOutcomeInTheLanguage() throws {
        let dir = ReplaySpecTests.spec.appendingPathComponent("example")
        let db = try Binary.temporaryDatabase()
        try Binary.run(["dossier", "import", dir.appendingPathComponent("dossiers.json").path, "--db", db])
        try Binary.run(["replay", dir.appendingPathComponent("events.ndjson").path, "--db", db, "--quiet"])
        try Binary.addAccounts(db: db, [("op-anna", "operator")])
        let dutchDefault = ["SEINHUIS_LANG": ""]
        let ack = try Binary.run(["alert", "ack", "A-000000001", "--db", db, "--by", "op-anna"], environment: dutchDefault)
        #expect(ack.contains("A-000000001: VCET bevestigd, melding bevestigd (bevestigd door op-anna)"))
        let again = try Binary.run(["alert", "ack", "A-000000001", "--db", db, "--by", "op-anna", "--lang", "fr"])
        #expect(again.contains("VCET déjà réception accusée ; rien d'enregistré"))
        let measure = try Binary.run(
            ["alert", "respond", "A-000000001", "--measure", "phone_call", "--db", db, "--by", "op-anna"],
            environment: ["SEINHUIS_LANG": "fr"])
        #expect(measure.contains("VCET mesure prise, alerte mesure prise (mesure par op-anna)"))
        let closed = try Binary.run(["alert", "close", "A-000000001", "--db", db, "--by", "op-anna", "--lang", "en"])
        #expect(closed.contains("A-000000001: VCET closed, alert closed (closed by op-anna)"))
        let refused = try Binary.run(
            ["alert", "close", "A-000000002", "--db", db, "--by", "op-anna", "--lang", "nl"], expectFailure: true)
        #expect(refused.contains("A-000000002: geweigerd:"))
        let bad = try Binary.run(["alert", "ack", "A-000000002", "--db", db, "--lang", "de"], expectFailure: true)
        #expect(bad.contains("--lang must be nl, fr or en"))
    }

    @Test func anAdministratorSetsAUsersConsoleLanguage() throws {
        let db = try Binary.temporaryDatabase()
        try Binary.addAccounts(db: db, [("anna", "operator")])
        let set = try Binary.run(["user", "set-language", "anna", "fr", "--db", db])
        #expect(set.contains("anna : langue Français"))
        let refused = try Binary.run(["user", "set-language", "anna", "de", "--db", db], expectFailure: true)
        #expect(refused.contains("nl, fr, en or none"))
        #expect(try Binary.run(["user", "set-language", "anna", "none", "--db", db]).contains("geen taal"))
        let trail = try #require(
            try Binary.json(
                try Binary.run(["audit", "list", "--action", "user.language", "--format", "json", "--db", db]))
                as? [[String: Any]])
        #expect(trail.map { $0["detail"] as? String } == ["fr", "none"])
        #expect(trail.allSatisfy { $0["actor"] as? String == Binary.admin && $0["subject"] as? String == "anna" })
    }
}

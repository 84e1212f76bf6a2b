import Foundation
import SeinhuisCore
import SeinhuisStore
import SeinhuisTestSupport
import Testing

/// The console's language, one step at a time through a real server (`ConsoleLanguage.of`): the account's stored
/// preference beats the browser's `Accept-Language`, which beats Dutch, the default.
@Suite("console language: preference, then Accept-Language, then Dutch", .serialized)
struct ConsoleLanguageTests {
    static func lang(_ page: String) -> String? {
        guard let r = page.range(of: #"<html lang=""#) else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    @Test func thePreferenceBeatsTheBrowserWhichBeatsDutch() async throws {
        let db = temporaryDatabase()
        try addUser(db, "anna", .operator)
        let server = RunningServer(db: db)
        try await server.start()
        let client = Client(server)
        func queue(_ accept: String) async throws -> String {
            try await client.send("GET", "/console/queue/vcet", as: "anna", headers: ["Accept-Language": accept]).text
        }

        // No preference, a browser in a language Seinhuis does not have: Dutch.
        let dutch = try await queue("de-DE,de;q=0.9")
        #expect(Self.lang(dutch) == "nl")
        #expect(dutch.contains(#"Wachtrij <span class="qname">VCET</span>"#) && dutch.contains("afgesloten tonen"))
        #expect(dutch.contains("Afmelden") && !dutch.contains("show closed"))
        // The browser's language when Seinhuis has it.
        let french = try await queue("fr-BE,fr;q=0.9,en;q=0.5")
        #expect(Self.lang(french) == "fr")
        #expect(french.contains("afficher les clôturées") && french.contains("Se déconnecter"))
        #expect(french.contains(#""console.ack":"Accuser réception""#))  // the script's table, in French too
        let login = try await client.send("GET", "/login", headers: ["Accept-Language": "fr"]).text
        #expect(login.contains("Mot de passe") && Self.lang(login) == "fr")
        let refused = try await client.send(
            "POST", "/api/v1/login", #"{"user":"anna","password":"not-her-password"}"#,
            headers: ["Accept-Language": "fr-BE"])
        #expect(refused.status == 401 && refused.object["error"] as? String == "utilisateur inconnu ou mot de passe erroné")

        // The account's preference beats the browser's.
        let set = try await client.send("PUT", "/api/v1/me/language", #"{"language":"en"}"#, as: "anna")
        #expect(set.status == 200 && set.object["language"] as? String == "en")
        let english = try await queue("fr-BE,fr;q=0.9")
        #expect(Self.lang(english) == "en" && english.contains("show closed") && !english.contains("afficher"))
        let me = try await client.send("GET", "/api/v1/me", as: "anna", headers: ["Accept-Language": "fr"]).object
        #expect(me["language"] as? String == "en" && me["display_language"] as? String == "en")

        // Refused: a language Seinhuis does not have. Cleared with null: the browser's again.
        let bad = try await client.send("PUT", "/api/v1/me/language", #"{"language":"de"}"#, as: "anna")
        #expect(bad.status == 400)
        #expect(try await client.send("PUT", "/api/v1/me/language", #"{"language":null}"#, as: "anna").status == 200)
        #expect(Self.lang(try await queue("fr")) == "fr")
        #expect(try await client.send("PUT", "/api/v1/me/language", #"{"language":"fr"}"#).status == 401)
        try await server.stop()

        // Every change is in the audit trail, by the user, in their role.
        let changes = try Store(path: db).auditRecords(AuditQuery(action: "user.language"))
        #expect(changes.map(\.detail) == ["en", "none"])
        #expect(changes.allSatisfy { $0.actor == "anna" && $0.subject == "anna" && $0.role == "operator" })
    }
}

import Foundation
import Testing

@Suite("the seinhuis command line", .serialized)
struct CLITests {
    func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dossiers-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    let good = """
        {"id":"D-1","subject":"S-1","radex":true,"mandate":"pretrial","start":"2026-01-01","devices":["TAG-1"],
         "home":{"lat":51.0,"lon":3.7,"radius_m":100}}
        """

    @Test func badDossierFilesNameTheDossierAndFieldAndImportNothing() throws {
        let db = try Binary.temporaryDatabase()
        let bad = """
            [\(good),
             {"id":"D-2","subject":"S-2","radex":false,"mandate":"pretrial","start":"2026-01-01","devices":["TAG-2"],
              "home":{"lat":51.0,"lon":3.7,"radius_m":100},
              "zones":[{"id":"Z-1","kind":"exclusion","polygon":[[51.0,3.7],[51.1,3.7]]}]}]
            """
        let stderr = try Binary.run(["dossier", "import", try write(bad), "--db", db], expectFailure: true)
        #expect(stderr.contains("D-2"))
        #expect(stderr.contains("polygon"))
        let listed = try Binary.run(["dossier", "list", "--db", db, "--format", "json"])
        #expect(listed.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func aDeviceBoundToTwoActiveDossiersIsRefused() throws {
        let db = try Binary.temporaryDatabase()
        try Binary.run(["dossier", "import", try write(good), "--db", db])
        let twin = good.replacingOccurrences(of: "D-1", with: "D-9")
        let stderr = try Binary.run(["dossier", "import", try write(twin), "--db", db], expectFailure: true)
        #expect(stderr.contains("TAG-1"))
        #expect(stderr.contains("D-1"))
    }

    @Test func reimportReplacesConditionsAndKeepsHistory() throws {
        let db = try Binary.temporaryDatabase()
        try Binary.addAccounts(db: db, [("alice", "admin"), ("bob", "admin")])
        try Binary.run(["dossier", "import", try write(good), "--db", db, "--by", "alice"])
        let changed = good.replacingOccurrences(of: "\"radius_m\":100", with: "\"radius_m\":150")
        try Binary.run(["dossier", "import", try write(changed), "--db", db, "--by", "bob"])
        let csv = try Binary.run(["dossier", "list", "--db", db, "--format", "csv"])
        #expect(csv.contains("D-1,S-1,yes,pretrial,2026-01-01"))
        #expect(csv.hasSuffix(",2\n"))
    }

    @Test func helpExplainsTheCommands() throws {
        let help = try Binary.run(["--help"])
        for word in ["serve", "dossier", "replay", "alerts"] { #expect(help.contains(word)) }
    }
}

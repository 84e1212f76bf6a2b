import Foundation
import Testing

/// `seinhuis keys generate` and `serve`'s loopback rule, through the real binary (PROTOCOL 7).
@Suite("keys generate and serve --curve / --insecure on the command line")
struct CurveCLITests {
    @Test func keysGenerateWritesTheSecretMode0600AndPrintsJSON() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-e2e-keys-\(UUID().uuidString)")
            .path
        let out = try Binary.run(["keys", "generate", "gw-north", "--out", dir, "--format", "json"])
        let o = try #require(try Binary.json(out) as? [String: Any])
        let pub = try #require(o["public_key"] as? String)
        #expect(pub.count == 40)
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/gw-north.key")
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: dir + "/gw-north.pub", encoding: .utf8) == pub + "\n")
        let err = try Binary.run(["keys", "generate", "gw-north", "--out", dir], expectFailure: true)
        #expect(err.contains("exists; --force replaces it"))
        try Binary.run(["keys", "generate", "gw-north", "--out", dir, "--force"])
        #expect(try String(contentsOfFile: dir + "/gw-north.pub", encoding: .utf8) != pub + "\n")
    }

    @Test func serveRefusesANonLoopbackEndpointWithoutCurveOrInsecure() throws {
        let db = try Binary.temporaryDatabase()
        let err = try Binary.run(["serve", "--db", db, "--ingest", "tcp://0.0.0.0:7460"], expectFailure: true)
        #expect(err.contains("--ingest tcp://0.0.0.0:7460 is not a loopback address"))
        let http = try Binary.run(["serve", "--db", db, "--http-host", "0.0.0.0"], expectFailure: true)
        #expect(http.contains("--http-host 0.0.0.0 is not a loopback address"))
        let bad = try Binary.run(["serve", "--db", db, "--curve", db + ".nokeys"], expectFailure: true)
        #expect(bad.contains("no such directory"))
    }

    @Test func serveRefusesAnHTTPOriginThatIsNotSchemeHostAndPort() throws {
        let db = try Binary.temporaryDatabase()
        for origin in ["console.example", "null", "https://console.example/console", "ftp://console.example"] {
            let err = try Binary.run(["serve", "--db", db, "--http-origin", origin], expectFailure: true)
            #expect(err.contains("--http-origin must be scheme://host[:port]"), "\(origin): \(err)")
        }
    }
}

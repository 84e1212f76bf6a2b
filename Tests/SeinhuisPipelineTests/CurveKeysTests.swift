import Foundation
import SeinhuisCore
import SeinhuisPipeline
import Testing
import ZeroMQ

/// Key files (`seinhuis keys generate`), the key directory's checks, and the loopback rule (PROTOCOL 7).
@Suite("CURVE key files, the key directory, loopback-only without CURVE")
struct CurveKeysTests {
    func tempDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-keys-\(UUID().uuidString)").path
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func generateWritesA0600SecretAndAPublicKeyOf40Z85CharactersAndRefusesToOverwrite() throws {
        let dir = tempDir() + "/nested"
        let w = try KeyFiles.generate(name: "police-1", directory: dir, force: false)
        #expect(try mode(w.secretPath) == 0o600)
        let secret = try String(contentsOfFile: w.secretPath, encoding: .utf8)
        let pub = try String(contentsOfFile: w.publicPath, encoding: .utf8)
        #expect(secret.hasSuffix("\n") && secret.split(separator: "\n").count == 1)
        let s = secret.trimmingCharacters(in: .newlines), p = pub.trimmingCharacters(in: .newlines)
        #expect(s.count == 40 && p.count == 40 && Curve.isKey(s) && Curve.isKey(p))
        #expect(Curve.publicKey(ofSecret: s) == p && w.publicKey == p)
        #expect(throws: (any Error).self) { try KeyFiles.generate(name: "police-1", directory: dir, force: false) }
        #expect(try String(contentsOfFile: w.secretPath, encoding: .utf8) == secret)
        let again = try KeyFiles.generate(name: "police-1", directory: dir, force: true)
        let modeAfter = try mode(w.secretPath)
        #expect(again.publicKey != p && modeAfter == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["police-1.key", "police-1.pub"])
        #expect(throws: (any Error).self) { try KeyFiles.generate(name: "../x", directory: dir, force: false) }
    }

    /// A key directory with the server's pair (and `files` written under it).
    func keyDir(_ files: [String: String] = [:]) throws -> String {
        let dir = tempDir()
        _ = try KeyFiles.generate(name: "server", directory: dir, force: false)
        for (path, text) in files {
            let url = URL(fileURLWithPath: dir + "/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return dir
    }

    func loadError(_ dir: String) -> String {
        do {
            _ = try CurveKeys.load(directory: dir)
            return ""
        } catch { return "\(error)" }
    }

    @Test func theKeyDirectoryIsCheckedAtStartWithTheFileNamed() throws {
        let pub = try Curve.keyPair().publicKey
        let good = try CurveKeys.load(
            directory: try keyDir(["gateways/gw.pub": pub + "\n", "subscribers/p.pub": pub, "subscribers/p.queues": "police\n# x\ncic\n"]))
        #expect(good.gateways.values.sorted() == ["gw"] && good.queues["p"] == [.police, .cic])
        #expect(loadError(try keyDir(["subscribers/p.pub": pub, "subscribers/p.queues": "polize\n"])).contains("p.queues:1: unknown queue \"polize\""))
        #expect(loadError(try keyDir(["subscribers/p.pub": pub])).contains("p.queues: missing"))
        #expect(loadError(try keyDir(["gateways/gw.pub": "not-a-key"])).contains("gw.pub: not a CURVE key"))
        #expect(loadError(try keyDir(["gateways/a.pub": pub, "gateways/b.pub": pub])).contains("the same key as a.pub"))
        let open = try keyDir()
        chmod(open + "/server.key", 0o644)
        #expect(loadError(open).contains("server.key: readable by others"))
        let noServer = try keyDir()
        try FileManager.default.removeItem(atPath: noServer + "/server.pub")
        #expect(loadError(noServer).contains("server.pub: missing"))
        #expect(loadError(tempDir()).contains("no such directory"))
    }

    @Test func withoutCurveOnlyLoopbackEndpointsAreAllowedUnlessInsecure() throws {
        for e in ["tcp://127.0.0.1:7460", "tcp://127.1.2.3:1", "tcp://localhost:7460", "tcp://[::1]:7460",
                  "ipc:///tmp/x", "inproc://x"] {
            #expect(LinkCheck.isLocal(endpoint: e), "\(e)")
        }
        for e in ["tcp://0.0.0.0:7460", "tcp://*:7460", "tcp://10.0.0.1:7460", "tcp://eth0:7460", "tcp://[::]:1",
                  "pgm://x", "tcp://128.0.0.1:1"] {
            #expect(!LinkCheck.isLocal(endpoint: e), "\(e)")
        }
        var c = ServeConfig()
        #expect(throws: Never.self) { try c.checkLinks() }
        c.ingestEndpoint = "tcp://0.0.0.0:7460"
        #expect(throws: ServeError.self) { try c.checkLinks() }
        c.insecure = true
        #expect(throws: Never.self) { try c.checkLinks() }
        c.insecure = false
        c.ingestEndpoint = "tcp://127.0.0.1:7460"
        c.httpHost = "0.0.0.0"
        #expect(throws: ServeError.self) { try c.checkLinks() }
    }
}

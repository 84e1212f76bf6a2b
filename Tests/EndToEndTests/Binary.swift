import Foundation

/// Runs the built `seinhuis` binary (a dependency of this test target, so `swift test` builds it).
enum Binary {
    struct Failed: Error, CustomStringConvertible {
        let args: [String]
        let status: Int32
        let stderr: String
        var description: String { "seinhuis \(args.joined(separator: " ")) exited \(status): \(stderr)" }
    }

    static var path: URL {
        // The test bundle sits in the build folder next to the products.
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("seinhuis")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/seinhuis")
    }

    /// The console account the tests act as (`--by` defaults to `$SEINHUIS_USER`): an admin that
    /// `temporaryDatabase()` creates in every database it makes.
    static let admin = "e2e-admin"

    /// The test process's environment with `SEINHUIS_USER` set to `admin` and `SEINHUIS_LANG` to `en`, for every
    /// `seinhuis` the tests start.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["SEINHUIS_USER"] = admin
        // What commands say to operators in English, unless a test is about the language (`--lang`, or this
        // variable given as "" for the Dutch default).
        env["SEINHUIS_LANG"] = "en"
        return env
    }

    /// Runs the binary; returns its standard output, throws with its standard error on a non-zero exit.
    /// `environment`: extra variables (or overrides) on top of `Binary.environment`.
    @discardableResult
    static func run(_ args: [String], expectFailure: Bool = false, environment extra: [String: String] = [:])
        throws -> String
    {
        let p = Process()
        p.executableURL = path
        p.arguments = args
        p.environment = environment.merging(extra) { _, new in new }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let stdout = String(decoding: o, as: UTF8.self)
        let stderr = String(decoding: e, as: UTF8.self)
        if expectFailure {
            guard p.terminationStatus != 0 else { throw Failed(args: args, status: 0, stderr: "expected a failure") }
            return stderr
        }
        guard p.terminationStatus == 0 else { throw Failed(args: args, status: p.terminationStatus, stderr: stderr) }
        return stdout
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    static func canonical(_ o: Any) -> String {
        let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
        return String(decoding: d ?? Data(), as: UTF8.self)
    }

    /// A new database in a directory of its own, with the admin account `admin` (the first account, so added
    /// without `--by`); `withAdmin: false` leaves it without any account.
    static func temporaryDatabase(withAdmin: Bool = true) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("seinhuis-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = dir.appendingPathComponent("e2e.sqlite").path
        if withAdmin { try addAdmin(db: db) }
        return db
    }

    /// Adds the account `admin` to a database that has none yet (the first-admin bootstrap).
    static func addAdmin(db: String) throws {
        try run(["user", "add", admin, "--role", "admin", "--db", db])
    }

    /// Adds console accounts (name, role), by `admin`: the actors of a test's `--by`.
    static func addAccounts(db: String, _ accounts: [(String, String)]) throws {
        for (name, role) in accounts { try run(["user", "add", name, "--role", role, "--db", db]) }
    }
}

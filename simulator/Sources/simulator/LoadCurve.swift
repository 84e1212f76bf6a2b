import Foundation

/// `loadrun --curve`: a key directory for `serve --curve` (server, one gateway, one vcet subscriber, all made by
/// `seinhuis keys generate`) and the client keys loadrun's sockets use.
enum LoadCurve {
    /// Writes `work/keys` and returns it with the client's keys.
    static func make(binary: String, work: String) throws -> (dir: String, client: ClientCurve) {
        let dir = work + "/keys"
        let fm = FileManager.default
        for sub in ["gateways", "subscribers"] {
            try fm.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        try ServeProcess.runToEnd(binary, ["keys", "generate", "server", "--out", dir])
        try ServeProcess.runToEnd(binary, ["keys", "generate", "loadrun", "--out", work + "/client"])
        try fm.copyItem(atPath: work + "/client/loadrun.pub", toPath: dir + "/gateways/loadrun.pub")
        try fm.copyItem(atPath: work + "/client/loadrun.pub", toPath: dir + "/subscribers/loadrun.pub")
        try Data("vcet\n".utf8).write(to: URL(fileURLWithPath: dir + "/subscribers/loadrun.queues"))
        let client = try ClientCurve(serverKeyFile: dir + "/server.pub", secretKeyFile: work + "/client/loadrun.key")
        return (dir, client)
    }
}

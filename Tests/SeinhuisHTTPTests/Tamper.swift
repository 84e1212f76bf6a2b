import SeinhuisCore
import SeinhuisStore
import SeinhuisTestSupport
import ZeroMQ

/// Pushes a strap tamper for `device` over the PULL socket and waits (at most 10 s) until its alert is stored.
func tamper(_ push: ZMQSocket, _ device: String, db: String) async throws -> String {
    try push.send(frame(device, 1, "strap", #","state":"opened""#))
    for _ in 0..<200 {
        if let alert = try Store(path: db).alerts().first(where: { $0.device == device }) { return alert.id }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw AlertActionError("no alert for \(device)")
}

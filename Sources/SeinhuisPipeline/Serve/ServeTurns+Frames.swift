import SeinhuisCore
import ZeroMQ

extension ServeTurns {
    /// How many PULL frames a turn takes between two looks at the reliable endpoint.
    static let pullSlice = 256

    /// Takes up to `maxBatch` frames from the two ingest sockets, serving them fairly: the reliable endpoint (the
    /// one gateways use for a guarantee) first, and looked at again every `pullSlice` PULL frames; once a turn has
    /// taken reliable frames it takes at most half as many PULL frames (at least a slice), so the turn ends, commits
    /// and acknowledges soon. A flooded PULL endpoint then gets a third of a turn that has reliable work, all of one
    /// that has none (docs/PERFORMANCE.md, "Fairness").
    func readFrames(pullReady: Bool, reliableReady: Bool) throws {
        var reliableFrames = 0
        if reliableReady { reliableFrames += try readReliable() }
        guard pullReady || sockets.pull.hasInput else { return }
        var pullFrames = 0
        let before = pipeline.intake.counts.accepted
        defer { accepted.pull += pipeline.intake.counts.accepted - before }
        let at = pipeline.clock
        while frames < config.maxBatch {
            let cap = reliableFrames > 0 ? max(Self.pullSlice, reliableFrames / 2) : config.maxBatch
            guard pullFrames < cap else { break }
            let got: Bool? = try sockets.pull.receive(dontWait: true) { bytes, _ in
                pipeline.take(bytes, source: "pull", receivedAt: at)
                return true
            }
            if got == nil { break }
            frames += 1
            pullFrames += 1
            if pullFrames % Self.pullSlice == 0, sockets.router.hasInput {
                let n = pipeline.intake.counts.accepted
                reliableFrames += try readReliable()
                // Those were the reliable endpoint's: not counted as PULL's.
                accepted.pull -= pipeline.intake.counts.accepted - n
            }
        }
    }

    /// Takes the reliable endpoint's waiting messages (each whole), up to `maxBatch` frames in the turn; each gets
    /// its acknowledgement once the turn has committed. Returns the events taken.
    func readReliable() throws -> Int {
        let router = sockets.router
        let at = pipeline.clock
        var taken = 0
        while frames < config.maxBatch {
            // The framing (ReliableFraming, fuzzed by Fuzz/FuzzReliableBatch) says what each frame is.
            var framing = ReliableFraming()
            guard let identity = try router.receive(dontWait: true, { bytes, more in
                (Array(bytes), framing.next(more: more))
            })
            else { break }
            guard identity.1 == .identity else { continue }
            var ack = PendingAck(identity: identity.0, batchID: [])
            var more = true
            let before = pipeline.intake.counts
            while more {
                _ = try router.receive { bytes, m in
                    switch framing.next(more: m) {
                    case .batchID: ack.batchID = Array(bytes)
                    case .event:
                        pipeline.take(bytes, source: "reliable", receivedAt: at)
                        frames += 1
                        taken += 1
                    case .identity, .lone: break
                    }
                    more = m
                }
            }
            let after = pipeline.intake.counts
            ack.accepted = after.accepted - before.accepted
            ack.duplicates = after.duplicates - before.duplicates
            ack.rejected = after.rejected - before.rejected
            accepted.reliable += ack.accepted
            acks.append(ack)
        }
        return taken
    }
}

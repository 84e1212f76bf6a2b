import SeinhuisCore

/// What happened to the frames of a run or a batch (PROTOCOL 2.1/2.2).
public struct IngestCounts: Sendable, Equatable {
    /// Frames (or lines) read, blank lines excluded.
    public var frames = 0
    public var accepted = 0
    public var duplicates = 0
    public var rejected = 0
    public var rejectedByReason: [RejectReason: Int] = [:]
    /// Blank lines skipped (replay only).
    public var blank = 0
    /// Accepted, stored, and not evaluated because the device's dossier is not active at the event's time.
    public var notEvaluated = 0
    /// Accepted, stored, older than the device's latest evaluated event: changes no state.
    public var late = 0
    /// Accepted, stored, more than 5 minutes ahead of the receive clock (serve only): not evaluated.
    public var clockSkewed = 0

    public init() {}

    mutating func reject(_ r: RejectReason) {
        rejected += 1
        rejectedByReason[r, default: 0] += 1
    }

    public mutating func add(_ o: IngestCounts) {
        frames += o.frames
        accepted += o.accepted
        duplicates += o.duplicates
        rejected += o.rejected
        for (k, v) in o.rejectedByReason { rejectedByReason[k, default: 0] += v }
        blank += o.blank
        notEvaluated += o.notEvaluated
        late += o.late
        clockSkewed += o.clockSkewed
    }

    /// The counts as a JSON object (the replay summary's format, in the spirit of the edge cases' `counts.json`).
    public var json: String {
        var o = JSONObjectWriter()
        o.int("lines", frames + blank)
        o.int("accepted", accepted)
        o.int("duplicates", duplicates)
        o.int("rejected", rejected)
        o.int("blank", blank)
        o.int("stored_not_evaluated", notEvaluated)
        o.int("late", late)
        o.int("clock_skewed", clockSkewed)
        var r = JSONObjectWriter()
        for reason in RejectReason.allCases { if let n = rejectedByReason[reason] { r.int(reason.rawValue, n) } }
        o.raw("rejected_by_reason", r.finish())
        return o.finish()
    }
}

import ArgumentParser
import Foundation
import SeinhuisCore

/// What a consumer keeps between its runs: the rev up to which it has handled everything of its queue (the end of
/// its last complete catch-up). Written atomically (a temporary file renamed over it), so a `kill -9` leaves the
/// old state or the new, never half of one.
struct ConsumerState: Equatable {
    var queue: String
    var afterRev: Int64

    static func load(_ path: String, queue: String) throws -> ConsumerState {
        guard FileManager.default.fileExists(atPath: path) else { return ConsumerState(queue: queue, afterRev: 0) }
        let problem = "\(path) is not a consumer state file ({\"queue\": Q, \"after_rev\": R})"
        guard let data = FileManager.default.contents(atPath: path),
            let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let q = o["queue"] as? String, let r = (o["after_rev"] as? NSNumber)?.int64Value, r >= 0
        else { throw ValidationError(problem + "; remove it to catch up from rev 0") }
        guard q == queue else {
            throw ValidationError("\(path) is the state of queue \(q), not \(queue): use another --state-file")
        }
        return ConsumerState(queue: q, afterRev: r)
    }

    func save(_ path: String) throws {
        let text = "{\"queue\":\(JSONObjectWriter.quoted(queue)),\"after_rev\":\(afterRev)}\n"
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)) else {
            throw ValidationError("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else { throw ValidationError("cannot rename \(temporary) to \(path)") }
    }
}

/// A queue's consumer (PROTOCOL 4.3, 1.1): every alert is handled at least once in every state it is published in
/// while the consumer runs, and in its latest state after the consumer was away. It subscribes to PUB first, then
/// catches up over HTTP from its saved rev, and catches up again every few seconds, so that a publication PUB did
/// not deliver (the consumer was away, or its queue was full) arrives by the feed. An alert is handled once per rev:
/// a rev not above the one handled for that id is a duplicate (live and catch-up overlap by design).
final class QueueConsumer {
    let feed: FeedClient
    let statePath: String?
    let pageSize: Int
    private(set) var state: ConsumerState
    /// The latest rev handled per alert id (this run).
    private var handled: [String: Int64] = [:]
    private(set) var duplicates = 0
    private(set) var caughtUp = 0
    let handle: (_ json: String, _ via: String) -> Void

    init(
        feed: FeedClient, state: ConsumerState, statePath: String?, pageSize: Int = 500,
        handle: @escaping (String, String) -> Void
    ) {
        self.feed = feed
        self.state = state
        self.statePath = statePath
        self.pageSize = pageSize
        self.handle = handle
    }

    /// A publication from PUB: handled unless this run has handled the alert at this rev or a later one.
    func live(_ json: String) {
        let o = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        guard let id = o?["id"] as? String else { return }
        // An alert without a rev (a server before contract 1.1) is always new.
        guard let rev = (o?["rev"] as? NSNumber)?.int64Value else { return handle(json, "live") }
        offer(id: id, rev: rev, json: json, via: "live")
    }

    /// Pages through the feed from the saved rev to its end, saving the rev after every page.
    func catchUp() throws {
        while true {
            let (alerts, next) = try feed.page(queue: state.queue, afterRev: state.afterRev, limit: pageSize)
            for a in alerts { offer(id: a.id, rev: a.rev, json: a.json, via: "catch-up") }
            caughtUp += alerts.count
            if next > state.afterRev {
                state.afterRev = next
                if let statePath {
                    do { try state.save(statePath) } catch {
                        throw FeedClient.Failure(description: "\(error)", retry: false)
                    }
                }
            }
            if alerts.count < pageSize { return }
        }
    }

    private func offer(id: String, rev: Int64, json: String, via: String) {
        if let done = handled[id], done >= rev {
            duplicates += 1
            return
        }
        handled[id] = rev
        handle(json, via)
    }
}

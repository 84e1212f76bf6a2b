import ArgumentParser
import Foundation
import SeinhuisCore

/// A failure of a live `simulator respond` run (not of its options): printed without the usage.
struct RespondError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One queue played by one account: its HTTP client and how far it has read its change feed.
final class QueuePlayer {
    let queue: Queue
    let user: String
    let client: FeedClient
    var afterRev: Int64
    /// Alerts this queue has planned (once each, whatever later revs say).
    var seen: Set<String> = []

    /// Signs in at once, so a wrong password, a role that does not match the queue or a server that does not
    /// answer stop the run before it starts, with the reason.
    init(_ account: OperatorAccount, api: String, afterRev: Int64) throws {
        guard let base = URL(string: api), base.scheme != nil else { throw RespondError("--api \(api): not a URL") }
        queue = account.queue
        user = account.user
        client = FeedClient(base: base, user: account.user, password: account.password)
        self.afterRev = afterRev
        do { try client.login() } catch let f as FeedClient.Failure {
            throw RespondError(
                f.retry && !f.description.contains("HTTP") ? "serve does not answer at \(api): \(f.description)"
                    : "queue \(queue.rawValue): \(f.description)")
        }
        let needed = Self.role(of: queue)
        guard client.role == needed else {
            throw RespondError(
                "queue \(queue.rawValue): account \(user) has role \(client.role ?? "?"), not \(needed) (each queue is "
                    + "played with an account of its own role)")
        }
    }

    static func role(of queue: Queue) -> String {
        Role.allCases.first { $0 != .admin && $0.queues == [queue] }!.rawValue
    }
}

/// The desk of every queue played (`simulator respond`): follows each queue's feed, plans each breach alert it
/// is reached by (`OperatorPlan`), and sends the actions when they are due, one thread, in due order.
struct OperatorDesk {
    struct Action {
        var due: Date
        var player: Int
        var alert: String
        var kind: String
        var body: String
    }

    var players: [QueuePlayer]
    let habits: OperatorPlan.Habits
    let speedup: Double
    private var pending: [Action] = []
    private var counts: [String: Int] = [:]

    init(players: [QueuePlayer], habits: OperatorPlan.Habits, speedup: Double) {
        self.players = players
        self.habits = habits
        self.speedup = speedup
    }

    mutating func play(until stopAt: Date, poll: Double) throws {
        var nextPoll = Date()
        while Date() < stopAt {
            if Date() >= nextPoll {
                for i in players.indices { try catchUp(i) }
                nextPoll = Date().addingTimeInterval(poll)
            }
            pending.sort { $0.due < $1.due }
            while let first = pending.first, first.due <= Date() {
                pending.removeFirst()
                try send(first)
            }
            let wake = min(nextPoll, pending.first?.due ?? nextPoll, stopAt)
            let wait = wake.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: min(wait, 0.2)) }
        }
    }

    /// Reads the queue's feed after its last rev and plans the breach alerts it has not seen and has not handled.
    private mutating func catchUp(_ i: Int) throws {
        let p = players[i]
        while true {
            let page: (alerts: [FeedClient.FeedAlert], next: Int64)
            do { page = try p.client.page(queue: p.queue.rawValue, afterRev: p.afterRev, limit: 500) } catch let f
                as FeedClient.Failure where f.retry
            {
                FileHandle.standardError.write(Data("respond: \(f.description); trying again\n".utf8))
                return
            }
            for a in page.alerts where !p.seen.contains(a.id) {
                p.seen.insert(a.id)
                guard Self.isOpenBreach(a.json, for: p.queue) else { continue }
                plan(a.id, player: i)
            }
            p.afterRev = page.next
            if page.alerts.count < 500 { return }
        }
    }

    /// A breach alert (it has a device; review notices and incidents are not played) that the queue has not
    /// acknowledged or answered yet.
    static func isOpenBreach(_ json: String, for queue: Queue) -> Bool {
        guard let o = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any],
            o["device"] is String
        else { return false }
        let handling = (o["handling"] as? [String: Any])?[queue.rawValue] as? [String: Any]
        return handling?["state"] as? String ?? "open" == "open"
    }

    private mutating func plan(_ id: String, player i: Int) {
        let plan = habits.plan(alert: id, queue: players[i].queue)
        guard !plan.ignored else {
            counts["ignored", default: 0] += 1
            return
        }
        let now = Date()
        func at(_ s: Double) -> Date { now.addingTimeInterval(s / speedup) }
        pending.append(Action(due: at(plan.acknowledgeAfter), player: i, alert: id, kind: "ack", body: "{}"))
        pending.append(
            Action(
                due: at(plan.measureAfter), player: i, alert: id, kind: "respond",
                body: #"{"measure":"\#(plan.measure.rawValue)","note":"simulated operator"}"#))
        pending.append(Action(due: at(plan.closeAfter), player: i, alert: id, kind: "close", body: "{}"))
    }

    private mutating func send(_ a: Action) throws {
        let p = players[a.player]
        do {
            let (status, error) = try p.client.act(a.kind, alert: a.alert, body: a.body)
            if status == 200 {
                counts[a.kind, default: 0] += 1
            } else {
                counts["refused", default: 0] += 1
                FileHandle.standardError.write(
                    Data("respond: \(p.queue.rawValue) \(a.kind) \(a.alert): HTTP \(status): \(error ?? "")\n".utf8))
            }
        } catch let f as FeedClient.Failure where f.retry {
            // serve away (a restart): try again in a second.
            var again = a
            again.due = Date().addingTimeInterval(1)
            pending.append(again)
        }
    }

    var summary: String {
        let seen = players.reduce(0) { $0 + $1.seen.count }
        return "respond: \(seen) alert(s) seen; "
            + ["ack", "respond", "close", "ignored", "refused"].map { "\($0) \(counts[$0] ?? 0)" }.joined(
                separator: ", ")
    }
}

import ArgumentParser
import Foundation
import SeinhuisCore

/// `simulator respond`: plays the operators of each queue through `seinhuis serve`'s HTTP API with their own
/// accounts (simulator/README.md, "Playing the operators"). Each queue follows its change feed (PROTOCOL 4.3) and,
/// for each breach alert it is reached by, acknowledges, records a measure and closes it after delays drawn from
/// that queue's distribution, or leaves it unanswered (`--ignore`).
struct Respond: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play the queues' operators against a running seinhuis serve, through its HTTP API.",
        discussion: """
            --accounts FILE holds one account per line, `QUEUE USER PASSWORD` (queues: vcet, coordinator, cic,
            police, cell), each of the queue's own role (vcet: operator); a queue without an account is not played.
            Delays are in scenario time, played --speedup times faster; the same --seed gives the same delays for the
            same alert ids. Example:
              simulator respond --api http://127.0.0.1:8460 --accounts accounts.txt \\
                --delay vcet=lognormal:90s,0.6 --delay police=exp:240s --ignore police=0.2 --seed 7
            Print the plan for some alerts without a server: --show-plan A-000000001,A-000000002.
            """)

    @Option(help: "serve's HTTP address.") var api = "http://127.0.0.1:8460"
    @Option(help: "The accounts file: `QUEUE USER PASSWORD` per line.") var accounts: String?
    @Option(
        help: ArgumentHelp(
            "A queue's answer delay, QUEUE=DIST (repeatable; default lognormal:120s,0.8): \(DelayDistribution.forms).",
            valueName: "queue=dist"))
    var delay: [String] = []
    @Option(help: ArgumentHelp("The share of alerts a queue never answers, QUEUE=SHARE (repeatable).", valueName: "queue=share"))
    var ignore: [String] = []
    @Option(help: ArgumentHelp("Delay from the measure to closing (a distribution).", valueName: "dist"))
    var closeAfter = "lognormal:10m,0.5"
    @Option(help: "Seed of the draws.") var seed: UInt64 = 1
    @Option(help: "Play the delays this many times faster than scenario time.") var speedup: Double = 1
    @Option(help: "Stop after this many seconds of wall time (0: until interrupted).") var duration: Double = 0
    @Option(help: "Seconds between catch-ups of each queue's feed.") var poll: Double = 1
    @Option(help: "Start each queue's feed after this rev (0: from the start; alerts it already handled are skipped).")
    var afterRev: Int64 = 0
    @Option(help: ArgumentHelp("Print the plan for these alert ids (comma-separated) and exit.", valueName: "ids"))
    var showPlan: String?

    func validate() throws {
        guard speedup > 0 else { throw ValidationError("--speedup must be above 0 (got \(speedup))") }
        guard poll > 0 else { throw ValidationError("--poll must be above 0 (got \(poll))") }
        guard duration >= 0 else { throw ValidationError("--duration must be 0 or more (got \(duration))") }
        if showPlan == nil && accounts == nil { throw ValidationError("--accounts FILE is needed (or --show-plan)") }
    }

    func habits() throws -> OperatorPlan.Habits {
        var delays: [Queue: DelayDistribution] = [:]
        for (q, spec) in try Self.perQueue(delay, "--delay") {
            do { delays[q] = try DelayDistribution(parsing: spec) } catch { throw ValidationError("--delay \(q.rawValue): \(error)") }
        }
        var shares: [Queue: Double] = [:]
        for (q, text) in try Self.perQueue(ignore, "--ignore") {
            guard let share = Double(text), share >= 0, share <= 1 else {
                throw ValidationError("--ignore \(q.rawValue)=\(text): the share must be a number from 0 to 1")
            }
            shares[q] = share
        }
        let close: DelayDistribution
        do { close = try DelayDistribution(parsing: closeAfter) } catch { throw ValidationError("--close-after: \(error)") }
        return OperatorPlan.Habits(delays: delays, ignore: shares, close: close, seed: seed)
    }

    /// `QUEUE=VALUE` options, the queue checked.
    static func perQueue(_ items: [String], _ option: String) throws -> [(Queue, String)] {
        try items.map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("\(option) \(item): expected QUEUE=VALUE") }
            return (try queue(parts[0], option), parts[1])
        }
    }

    static func queue(_ name: String, _ what: String) throws -> Queue {
        guard let q = Queue(rawValue: name) else {
            let all = Queue.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("\(what): unknown queue '\(name)' (queues: \(all))")
        }
        return q
    }

    func run() throws {
        let habits = try habits()
        if let showPlan {
            printPlan(habits, ids: showPlan.split(separator: ",").map(String.init))
            return
        }
        let players = try OperatorAccounts.read(accounts!).map { account in
            try QueuePlayer(account, api: api, afterRev: afterRev)
        }
        var desk = OperatorDesk(players: players, habits: habits, speedup: speedup)
        let stopAt = duration > 0 ? Date().addingTimeInterval(duration) : Date.distantFuture
        FileHandle.standardError.write(
            Data(("respond: playing \(players.map { "\($0.queue.rawValue) as \($0.user)" }.joined(separator: ", "))\n").utf8))
        try desk.play(until: stopAt, poll: poll)
        print(desk.summary)
    }

    /// One JSON line per alert and queue: the plan's delays in scenario seconds.
    func printPlan(_ habits: OperatorPlan.Habits, ids: [String]) {
        for id in ids {
            for q in Queue.allCases {
                let p = habits.plan(alert: id, queue: q)
                print(
                    #"{"alert":"\#(id)","queue":"\#(q.rawValue)","ignored":\#(p.ignored),"ack_s":\#(p.acknowledgeAfter),"#
                        + #""measure_s":\#(p.measureAfter),"close_s":\#(p.closeAfter),"measure":"\#(p.measure.rawValue)"}"#)
            }
        }
    }
}

/// The accounts file of `simulator respond`: `QUEUE USER PASSWORD` per line (`#` comments, blank lines).
struct OperatorAccount {
    var queue: Queue
    var user: String
    var password: String
}

enum OperatorAccounts {
    static func read(_ path: String) throws -> [OperatorAccount] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RespondError("cannot read the accounts file \(path)")
        }
        var out: [OperatorAccount] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if f.isEmpty || f[0].hasPrefix("#") { continue }
            guard f.count == 3 else {
                throw RespondError("\(path) line \(n + 1): expected QUEUE USER PASSWORD, found \(f.count) field(s)")
            }
            let q = try Respond.queue(f[0], "\(path) line \(n + 1)")
            guard !out.contains(where: { $0.queue == q }) else {
                throw RespondError("\(path) line \(n + 1): a second account for queue \(q.rawValue)")
            }
            out.append(OperatorAccount(queue: q, user: f[1], password: f[2]))
        }
        guard !out.isEmpty else { throw RespondError("the accounts file \(path) names no account") }
        return out
    }
}

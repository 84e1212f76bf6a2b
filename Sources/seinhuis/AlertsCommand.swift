import ArgumentParser
import SeinhuisCore
import SeinhuisStore

extension Queue: ExpressibleByArgument {}
extension AlertState: ExpressibleByArgument {}

struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "List alerts.", subcommands: [List.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List alerts, oldest first (JSON: PROTOCOL 4.3).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only alerts that reached this queue: \(Queue.allCases.map(\.rawValue).joined(separator: ", ")).")
        var queue: Queue?
        @Option(help: "Only alerts in this state: open, acknowledged, responded, closed.") var state: AlertState?
        @Option(help: "Only alerts of this dossier.") var dossier: String?
        @Option(help: "Only alerts after this id (catch-up).") var after: String?
        @Option(help: "At most this many.") var limit: Int?
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let store = try database.open()
            let alerts = try store.alerts(
                Store.AlertFilter(queue: queue, state: state, dossier: dossier, afterID: after, limit: limit))
            let listing = Listing(
                headers: [
                    "id", "dossier", "device", "breach", "severity", "radex", "zone", "queues", "event_ts",
                    "cleared_at", "state", "esc",
                ],
                rows: alerts.map { a in
                    [
                        a.id, a.dossier, a.device ?? "", a.kind.rawValue, a.severity.rawValue, a.radex ? "yes" : "no",
                        a.zone ?? "",
                        a.queues.map(\.rawValue).joined(separator: " "), a.eventTs.rfc3339, a.clearedAt?.rfc3339 ?? "",
                        a.state.rawValue, String(a.escalation),
                    ]
                })
            print(listing.render(format) { alerts.map(\.json) })
        }
    }
}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Query the event journal.", subcommands: [List.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List journaled events of a device in a time range.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Device id (all devices if omitted).") var device: String?
        @Option(help: "From (RFC 3339, inclusive).") var from: String?
        @Option(help: "To (RFC 3339, exclusive).") var to: String?
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            func time(_ s: String?, _ name: String, _ fallback: Timestamp) throws -> Timestamp {
                guard let s else { return fallback }
                guard let t = Timestamp(rfc3339: s) else {
                    throw ValidationError("--\(name) must be an RFC 3339 time like 2026-11-22T09:00:00.000Z")
                }
                return t
            }
            let store = try database.open()
            let events = try store.journalEvents(
                device: device, from: try time(from, "from", .distantPast), to: try time(to, "to", .distantFuture))
            let listing = Listing(
                headers: ["device", "seq", "ts", "kind", "reading"],
                rows: events.map { [$0.device, String($0.seq), $0.ts.rfc3339, $0.kind.name, $0.readingText] })
            print(listing.render(format) { events.map(\.json) })
        }
    }
}

struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Inspect rejected frames.", subcommands: [List.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the most recently rejected frames.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "At most this many.") var limit = 50
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let store = try database.open()
            let items = try store.quarantined(limit: limit)
            func preview(_ b: [UInt8]) -> String {
                String(decoding: b.prefix(80), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            }
            let listing = Listing(
                headers: ["id", "received_at", "source", "reason", "detail", "size", "frame"],
                rows: items.map {
                    [
                        String($0.id), $0.receivedAt.rfc3339, $0.source, $0.reason, $0.detail, String($0.frameSize),
                        preview($0.frame),
                    ]
                })
            print(
                listing.render(format) {
                    items.map {
                        var o = JSONObjectWriter()
                        o.int("id", $0.id)
                        o.string("received_at", $0.receivedAt.rfc3339)
                        o.string("source", $0.source)
                        o.string("reason", $0.reason)
                        o.string("detail", $0.detail)
                        o.int("size", $0.frameSize)
                        o.string("frame", preview($0.frame))
                        return o.finish()
                    }
                })
        }
    }
}

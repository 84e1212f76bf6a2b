import ArgumentParser
import Foundation
import SeinhuisCore
import SeinhuisStore

/// `seinhuis audit list|verify|head`: the hash-chained audit trail (PROTOCOL 7, docs/AUDIT.md).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List, verify and export the head of the audit trail (a SHA-256 hash chain).",
        discussion: """
            Every human action and every view of a Radex dossier's details or of a review report is an entry; each
            entry's hash covers the previous entry's hash and its own content (docs/AUDIT.md).
              seinhuis audit list --dossier D-2026-0001 --from 2026-11-01
              seinhuis audit head --out /mnt/elsewhere/head-$(date +%F).json   # keep it outside the database
              seinhuis audit verify --head /mnt/elsewhere/head-2026-11-30.json
            """,
        subcommands: [List.self, Verify.self, Head.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List entries, oldest first, with filters.",
            discussion: """
                --action alert lists every alert.* action; --action alert.close only closings. --from and --to take
                RFC 3339 times or days (YYYY-MM-DD, UTC), --to exclusive.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only entries by this actor.") var actor: String?
        @Option(help: "Only entries about this dossier (its alerts, imports, reviews and views).") var dossier: String?
        @Option(help: "From this time (RFC 3339 or YYYY-MM-DD).") var from: String?
        @Option(help: "Before this time (RFC 3339 or YYYY-MM-DD).") var to: String?
        @Option(help: "An action (alert.close) or a family (alert).") var action: String?
        @Option(help: "Only entries after this id (paging).") var after: Int64?
        @Option(help: "At most this many entries.") var limit: Int = 1000
        @Option(help: "Output format.") var format: OutputFormat = .table

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
            for (name, v) in [("--from", from), ("--to", to)] {
                if let v, AuditQuery.time(v) == nil {
                    throw ValidationError("\(name) must be an RFC 3339 time or a day YYYY-MM-DD, not \(v)")
                }
            }
        }

        func run() throws {
            let store = try database.open()
            var q = AuditQuery(
                actor: actor, dossier: dossier, action: action, from: from.flatMap(AuditQuery.time),
                to: to.flatMap(AuditQuery.time), limit: limit)
            q.afterID = after
            let entries = try store.auditRecords(q)
            let listing = Listing(
                headers: ["id", "at", "actor", "role", "queue", "action", "subject", "dossier", "detail"],
                rows: entries.map {
                    [
                        String($0.id), $0.at.rfc3339, $0.actor, $0.role ?? "", $0.queue ?? "", $0.action, $0.subject,
                        $0.dossier ?? "", format == .table ? String($0.detail.prefix(80)) : $0.detail,
                    ]
                })
            print(listing.render(format) { entries.map(\.json) })
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the chain: exit 0 when intact, 1 naming the first broken entry.",
            discussion: """
                Recomputes every entry's hash in id order, then compares the head recorded in the database and every
                --head file (from `audit head --out`) with the chain. Catches an entry changed, removed or inserted,
                and entries removed from the end past a recorded head. Without a secret key, someone who may write
                the database and recomputes the whole chain and its recorded head is caught only by an exported head
                kept elsewhere (docs/AUDIT.md).
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(name: .customLong("head"), help: "A head exported earlier (repeatable).") var heads: [String] = []
        @Option(help: "Output format: table or json.") var format: VerifyFormat = .table

        enum VerifyFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

        func run() throws {
            let exported = try heads.map(AuditCommand.readHead)
            let store = try database.open()
            let result = try store.verifyAudit(exported: exported)
            switch format {
            case .json: print(result.json)
            case .table:
                if result.intact {
                    let last = result.last.map { "; head entry \($0.id) \($0.hash)" } ?? ""
                    print("audit trail intact: \(result.verified) entries\(last)")
                } else {
                    for p in result.problems { print("entry \(p.id): \(p.kind.rawValue): \(p.message)") }
                    print(
                        "audit trail BROKEN at entry \(result.problems[0].id) (\(result.verified) entries verified before it)"
                    )
                }
            }
            if !result.intact { throw ExitCode.failure }
        }
    }

    struct Head: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the current head (id, hash, time) as JSON, to keep outside the database.",
            discussion: "`audit verify --head FILE` later catches a removal of the tail or a rewritten chain.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Write the head to this file instead of standard output.") var out: String?

        func run() throws {
            let store = try database.open()
            guard
                let head = try store.auditHead()
                    ?? store.auditRecords(AuditQuery(limit: 1).newest()).first.map({
                        AuditHead(id: $0.id, hash: $0.hash, at: $0.at)
                    })
            else { throw ValidationError("the audit trail is empty: no head yet") }
            let text = head.json + "\n"
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
                    throw ValidationError("cannot write \(out)")
                }
                print("head entry \(head.id) written to \(out)")
            } else {
                print(text, terminator: "")
            }
        }
    }

    /// A head file: `{"id":N,"hash":"…","at":"…"}`.
    static func readHead(_ path: String) throws -> ExportedHead {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read head file \(path)")
        }
        guard let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let id = (o["id"] as? NSNumber)?.int64Value, let hash = o["hash"] as? String,
            AuditHex.decode(hash) != nil, let at = (o["at"] as? String).flatMap(Timestamp.init(rfc3339:))
        else {
            throw ValidationError(#"head file \#(path) is not a head: {"id":N,"hash":"64 hex digits","at":"RFC 3339"}"#)
        }
        return ExportedHead(name: path, head: AuditHead(id: id, hash: hash, at: at))
    }
}

extension AuditQuery {
    func newest() -> AuditQuery {
        var q = self
        q.newestFirst = true
        return q
    }
}

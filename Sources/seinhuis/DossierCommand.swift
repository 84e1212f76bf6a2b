import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

struct DossierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier", abstract: "Import and list dossiers (PROTOCOL section 3).",
        subcommands: [Import.self, List.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import dossiers from a JSON file (one dossier or an array).",
            discussion: """
                All or nothing: a file with one bad dossier imports none, and the error names the dossier and field.
                Importing an existing id replaces its conditions from now on and keeps every earlier version.
                Every subject must be a pseudonym (PROTOCOL 7): by default 2-40 characters of A-Z a-z 0-9 _ - with at
                least one digit; --subject-pattern replaces that rule. The error never shows a refused subject.
                Done --by an admin account.
                """)
        @Argument(help: "The JSON file.") var file: String
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Option(
            help: ArgumentHelp(
                "A regular expression every subject must match as a whole, instead of the default rule.",
                valueName: "regex"))
        var subjectPattern: String?
        @Option(help: "Output format of the summary.") var format: OutputFormat = .table

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.importDossiers, in: store)
            let records: [DossierRecord]
            do {
                let subjects = try subjectPattern.map { try SubjectPattern(regex: $0) } ?? SubjectPattern()
                records = try DossierImport.run(
                    file: file, store: store, by: account.name, role: account.role.rawValue, at: now(),
                    subjects: subjects)
            } catch let e as DossierImportError {
                throw ValidationError(e.message)
            }
            switch format {
            case .json:
                print(
                    "["
                        + records.map { r in
                            var o = JSONObjectWriter()
                            o.string("id", r.id)
                            o.int("version", r.version)
                            return o.finish()
                        }.joined(separator: ",") + "]")
            default:
                print(
                    "imported \(records.count) dossier(s): "
                        + records.map { "\($0.id) (v\($0.version))" }.joined(separator: ", "))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dossiers.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Only dossiers with a Radex focus, with review status, open alerts and last contact (overview).")
        var radex = false
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            if radex {
                print(try Overview.render(database: database, radexOnly: true, scope: .radex, format: format))
                return
            }
            let store = try database.open()
            let records = try store.dossiers()
            let listing = Listing(
                headers: ["id", "subject", "radex", "mandate", "start", "end", "timezone", "devices", "version"],
                rows: records.map {
                    [
                        $0.id, $0.subject, $0.radex ? "yes" : "no", $0.mandate, $0.start, $0.end ?? "", $0.timezone,
                        $0.devices.joined(separator: " "), String($0.version),
                    ]
                })
            print(listing.render(format) { records.map(\.json) })
        }
    }
}

import ArgumentParser
import SeinhuisCore
import SeinhuisPipeline

/// `seinhuis keys`: CURVE key pairs for `serve --curve` (PROTOCOL 7).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "CURVE key pairs for serve --curve, gateways and subscribers.",
        discussion: """
            A key directory for serve --curve DIR:
              seinhuis keys generate server --out DIR                 # DIR/server.key, DIR/server.pub
              seinhuis keys generate gw-north --out gw                 # on the gateway; copy gw/gw-north.pub to DIR/gateways/
              seinhuis keys generate police-1 --out sub                # copy sub/police-1.pub to DIR/subscribers/
              echo police > DIR/subscribers/police-1.queues           # the queues it receives
            Clients are given DIR/server.pub and keep their own .key.
            """,
        subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write NAME.key (secret, mode 0600) and NAME.pub (public), each 40 Z85 characters.")

        @Argument(help: "The key's name (a subscriber's or gateway's name; 'server' for the server).") var name: String
        @Option(help: "The directory to write to (created if missing).") var out: String
        @Flag(help: "Replace existing files of that name.") var force = false
        @Option(help: "Output: table or json.") var format: OutputFormat = .table

        func run() throws {
            let w: KeyFiles.Written
            do {
                w = try KeyFiles.generate(name: name, directory: out, force: force)
            } catch {
                throw ValidationError("\(error)")
            }
            switch format {
            case .json:
                let q = JSONObjectWriter.quoted
                print(
                    #"{"name":\#(q(w.name)),"public_key":\#(q(w.publicKey)),"secret_file":\#(q(w.secretPath)),"public_file":\#(q(w.publicPath))}"#
                )
            case .table, .csv:
                let listing = Listing(
                    headers: ["name", "public_key", "secret_file", "public_file"],
                    rows: [[w.name, w.publicKey, w.secretPath, w.publicPath]])
                print(listing.render(format) { [] })
            }
        }
    }
}

import ArgumentParser
import Foundation
import SeinhuisApp
import SeinhuisCore
import SeinhuisStore

extension Role: ExpressibleByArgument {}

/// `seinhuis user add|passwd|list|disable|enable|set-language`: the console's accounts (docs/CONSOLE.md).
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the console's users: each has one role, a password stored only as a bcrypt hash.",
        discussion: """
            Roles: operator (queue vcet), coordinator, cic, police, cell (each its own queue), admin (everything).
            The first account, on a new database (no --by: there is no account yet to do it):
              seinhuis user add admin --role admin     # prints a generated password once
            Then open http://127.0.0.1:8460/ while serve runs and sign in. Every later change is done --by an admin
            account (default $SEINHUIS_USER, else $USER), recorded in the audit trail with its role.
            """,
        subcommands: [Add.self, Passwd.self, List.self, Disable.self, Enable.self, SetLanguage.self])

    /// The password from standard input (one line), or a generated one that is printed once.
    static func password(fromStdin: Bool) throws -> (password: String, generated: Bool) {
        guard fromStdin else { return (Passwords.generated(), true) }
        guard let line = readLine(strippingNewline: true) else {
            throw ValidationError("--password-stdin: no password on standard input")
        }
        if let problem = Credentials.passwordProblem(line) { throw ValidationError(problem) }
        return (line, false)
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with a role.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The user name: 1-64 of a-z 0-9 . _ -") var name: String
        @Option(help: "operator, coordinator, cic, police, cell or admin.") var role: Role
        @OptionGroup var source: PasswordOption

        func validate() throws {
            guard Credentials.isValidUserName(name) else {
                throw ValidationError("user name must be 1-64 of a-z 0-9 . _ - (starting with a letter or digit)")
            }
        }

        func run() throws {
            let store = try database.open()
            // The first account bootstraps the rest: on an empty users table an admin may be added by no one.
            let first = try store.userCount() == 0
            if first, role != .admin {
                throw ValidationError(
                    "there are no accounts yet: the first one must be an admin (seinhuis user add NAME --role admin)")
            }
            let account = first ? nil : try actor.account(.manageUsers, in: store)
            let (secret, generated) = try UserCommand.password(fromStdin: source.passwordStdin)
            do {
                try store.addUser(
                    name: name, role: role, passwordHash: Passwords.hash(secret), by: account?.name ?? name,
                    actorRole: account?.role.rawValue ?? Role.admin.rawValue, onlyIfFirst: first, at: now())
            } catch let e as UserError {
                throw ValidationError(e.description)
            }
            print("added \(name) (\(role.rawValue))")
            if generated { print("password: \(secret)") }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new password for a user (ends the user's sessions).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The user name.") var name: String
        @OptionGroup var source: PasswordOption

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.manageUsers, in: store)
            guard try store.user(name: name) != nil else { throw ValidationError("no user \(name)") }
            let (secret, generated) = try UserCommand.password(fromStdin: source.passwordStdin)
            try store.setPassword(
                name: name, passwordHash: Passwords.hash(secret), by: account.name, actorRole: account.role.rawValue,
                at: now())
            print("new password set for \(name); their sessions ended")
            if generated { print("password: \(secret)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users (never their password hashes).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let users = try database.open().users()
            let listing = Listing(
                headers: ["name", "role", "created_at", "password_changed_at", "disabled"],
                rows: users.map {
                    [
                        $0.name, $0.role.rawValue, $0.createdAt.rfc3339, $0.passwordChangedAt.rfc3339,
                        $0.disabled ? "yes" : "no",
                    ]
                })
            print(
                listing.render(format) {
                    users.map { u in
                        var o = JSONObjectWriter()
                        o.string("name", u.name)
                        o.string("role", u.role.rawValue)
                        o.string("created_at", u.createdAt.rfc3339)
                        o.string("password_changed_at", u.passwordChangedAt.rfc3339)
                        o.bool("disabled", u.disabled)
                        return o.finish()
                    }
                })
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user (ends their sessions).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The user name.") var name: String

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.manageUsers, in: store)
            // Without an enabled admin no one could add, enable or import any more (nor undo this).
            let admins = try store.users().filter { $0.role == .admin && !$0.disabled }.map(\.name)
            if admins == [name] { throw ValidationError("\(name) is the last enabled admin: add another first") }
            do {
                try store.setDisabled(name: name, true, by: account.name, actorRole: account.role.rawValue, at: now())
            } catch let e as UserError {
                throw ValidationError(e.description)
            }
            print("disabled \(name)")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The user name.") var name: String

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.manageUsers, in: store)
            do {
                try store.setDisabled(name: name, false, by: account.name, actorRole: account.role.rawValue, at: now())
            } catch let e as UserError {
                throw ValidationError(e.description)
            }
            print("enabled \(name)")
        }
    }
}

/// Where a new password comes from (`user add`, `user passwd`).
struct PasswordOption: ParsableArguments {
    @Flag(
        help:
            "Read the password from standard input (one line). Without it, a strong one is generated and printed once."
    )
    var passwordStdin = false
}

/// `seinhuis user set-language NAME nl|fr|en|none --by ADMIN`.
extension UserCommand {
    struct SetLanguage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-language",
            abstract: "Set a user's console language (nl, fr, en; none: the browser's, else Dutch). Audited.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var actor: ActorOption
        @Argument(help: "The user name.") var name: String
        @Argument(help: "nl, fr, en, or none.") var language: String

        func validate() throws {
            guard language == "none" || Language(rawValue: language) != nil else {
                throw ValidationError("the language must be nl, fr, en or none, not \(language)")
            }
        }

        func run() throws {
            let store = try database.open()
            let account = try actor.account(.manageUsers, in: store)
            let chosen = Language(rawValue: language)
            do {
                try store.setLanguage(
                    name: name, chosen?.rawValue, by: account.name, actorRole: account.role.rawValue, at: now())
            } catch let e as UserError {
                throw ValidationError(e.description)
            }
            // Said in the language just chosen (the account's own words from now on).
            let lang = chosen ?? .standard
            print(
                chosen.map { Catalogue.format("cli.languageSet", lang, name, $0.name) }
                    ?? Catalogue.format("cli.languageCleared", lang, name))
        }
    }
}

import ArgumentParser
import Foundation
import SeinhuisApp

/// `--lang nl|fr|en`: the language of what a command says to operators and of its reports (machine formats such as
/// JSON and CSV headers keep the contract's codes). Default `$SEINHUIS_LANG`, else Dutch.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: "nl (default), fr or en; default $SEINHUIS_LANG, else nl.")
    var tag: String?

    func validate() throws {
        if let tag, Language(tag: tag) == nil { throw ValidationError("--lang must be nl, fr or en, not \(tag)") }
    }

    var language: Language {
        if let tag, let l = Language(tag: tag) { return l }
        let env = ProcessInfo.processInfo.environment["SEINHUIS_LANG"] ?? ""
        return Language(tag: env) ?? .standard
    }
}

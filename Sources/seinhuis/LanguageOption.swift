import ArgumentParser
import Foundation
import SeinhuisApp

/// `--lang nl|fr|en` for what a command writes for operators (reports, result tables): default `$SEINHUIS_LANG`,
/// else Dutch.
struct LanguageOption: ParsableArguments {
    @Option(help: "Language of the output: nl, fr or en (default: $SEINHUIS_LANG, else nl).")
    var lang: String?

    func validate() throws {
        if let lang, Language(tag: lang) == nil { throw ValidationError("--lang must be nl, fr or en, not \(lang)") }
    }

    var language: Language {
        if let lang, let l = Language(tag: lang) { return l }
        if let env = ProcessInfo.processInfo.environment["SEINHUIS_LANG"], let l = Language(tag: env) { return l }
        return .standard
    }
}

import Hummingbird
import SeinhuisApp
import SeinhuisStore

/// The language a console page is written in for a request.
enum ConsoleLanguage {
    /// The browser's `Accept-Language`, else Dutch.
    static func of(_ request: Request, user: SessionUser?) -> Language {
        request.headers[.acceptLanguage].flatMap { Language.preferred(acceptLanguage: $0) } ?? .standard
    }
}

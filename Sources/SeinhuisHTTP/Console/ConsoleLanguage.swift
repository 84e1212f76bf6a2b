import Hummingbird
import SeinhuisApp
import SeinhuisStore

/// The language a console page or message is shown in: one function for every page.
enum ConsoleLanguage {
    /// The account's stored preference, else the browser's `Accept-Language`, else Dutch.
    static func of(_ request: Request, user: SessionUser?) -> Language {
        if let tag = user?.language, let chosen = Language(tag: tag) { return chosen }
        if let header = request.headers[.acceptLanguage], let asked = Language.preferred(acceptLanguage: header) {
            return asked
        }
        return .standard
    }
}

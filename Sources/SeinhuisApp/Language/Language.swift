import Foundation

/// The languages operators read Seinhuis in: Dutch first (the default), French, English.
///
/// Which one a reader gets: on the command line `--lang` (else `SEINHUIS_LANG`, else Dutch); in the console the
/// account's stored preference, else the browser's `Accept-Language`, else Dutch.
public enum Language: String, CaseIterable, Sendable, Codable {
    case nl, fr, en

    public static let standard: Language = .nl

    /// A language from a tag such as `nl`, `fr-BE`, `en_GB` or `FR`; nil for any other.
    public init?(tag: String) {
        let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        guard let l = Language(rawValue: primary.lowercased()) else { return nil }
        self = l
    }

    /// The reader's preferred supported language from an `Accept-Language` header (`fr-BE,fr;q=0.9,en;q=0.8`):
    /// the highest weight wins, the earlier on a tie; nil when none is supported. A weight of 0 refuses a language.
    public static func preferred(acceptLanguage header: String) -> Language? {
        var best: (lang: Language, q: Double)?
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = fields.first, let lang = Language(tag: tag) else { continue }
            var q = 1.0
            for f in fields.dropFirst() where f.hasPrefix("q=") { q = Double(f.dropFirst(2)) ?? 0 }
            if q > 0, q > (best?.q ?? 0) { best = (lang, q) }
        }
        return best?.lang
    }

    /// The locale for dates and numbers: the Belgian forms of Dutch and French, British English.
    public var locale: Locale {
        switch self {
        case .nl: Locale(identifier: "nl_BE")
        case .fr: Locale(identifier: "fr_BE")
        case .en: Locale(identifier: "en_GB")
        }
    }

    /// The language's own name, for a language picker.
    public var name: String {
        switch self {
        case .nl: "Nederlands"
        case .fr: "Français"
        case .en: "English"
        }
    }
}

/// One message of the catalogue, in every language. The initializer takes all three, so a message cannot lack one.
public struct Message: Sendable {
    public let key: String
    public let nl: String
    public let fr: String
    public let en: String

    public init(_ key: String, nl: String, fr: String, en: String) {
        self.key = key
        self.nl = nl
        self.fr = fr
        self.en = en
    }

    public func text(_ lang: Language) -> String {
        switch lang {
        case .nl: nl
        case .fr: fr
        case .en: en
        }
    }
}

/// The one message catalogue of everything Seinhuis says to operators: the console, the reports and the CLI messages
/// meant for them. Each area keeps its messages in a file of its own (`Catalogue+Area.swift`, a static array) and adds
/// that array to `all`. Keys are `area.name`. A message may hold numbered placeholders `{1}`, `{2}`, … filled by
/// `format`; every language of a message has the same placeholders (CatalogueTests checks this and that every key
/// used in the sources exists).
public enum Catalogue {
    public static let all: [Message] =
        common + names + console + alertPage + pages + cli + report + incident + survey + evaluation

    static let index: [String: Message] = Dictionary(all.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })

    /// The message for `key` in `lang`; the key itself when it is missing, so a typo shows instead of crashing.
    public static func text(_ key: String, _ lang: Language) -> String {
        index[key]?.text(lang) ?? key
    }

    /// The message with `{1}`, `{2}`, … replaced by `args` in order.
    public static func format(_ key: String, _ lang: Language, _ args: String...) -> String {
        fill(text(key, lang), args)
    }

    /// The message with `{1}`, `{2}`, … replaced by `args` in order (for callers that hold the arguments as an array).
    public static func format(_ key: String, _ lang: Language, args: [String]) -> String {
        fill(text(key, lang), args)
    }

    static func fill(_ template: String, _ args: [String]) -> String {
        var out = template
        for (i, a) in args.enumerated() { out = out.replacingOccurrences(of: "{\(i + 1)}", with: a) }
        return out
    }

    /// Every message of `lang` as key → text (for the console's script).
    public static func table(_ lang: Language) -> [String: String] {
        index.mapValues { $0.text(lang) }
    }

    /// The messages shared by every area.
    static let common: [Message] = [
        Message("common.language", nl: "Taal", fr: "Langue", en: "Language"),
        Message("common.none", nl: "—", fr: "—", en: "—"),
        Message("common.yes", nl: "ja", fr: "oui", en: "yes"),
        Message("common.no", nl: "nee", fr: "non", en: "no"),
        Message("common.day", nl: "1 dag", fr: "1 jour", en: "1 day"),
        Message("common.days", nl: "{1} dagen", fr: "{1} jours", en: "{1} days"),
    ]
}

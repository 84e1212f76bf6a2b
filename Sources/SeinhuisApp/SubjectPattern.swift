import SeinhuisCore

/// What a dossier's `subject` may be (PROTOCOL 7, Pseudonyms): a pseudonym, never a name. The default is 2-40
/// characters of `[A-Za-z0-9_-]` with at least one digit; `dossier import --subject-pattern REGEX` replaces it with a
/// regular expression the whole subject must match.
public struct SubjectPattern {
    /// The default rule, written as the regular expression it is equivalent to (for help texts and docs).
    public static let defaultRegex = "(?=.*[0-9])[A-Za-z0-9_-]{2,40}"

    /// The default rule in words, for error messages.
    public static let defaultRule = "2-40 characters of A-Z a-z 0-9 _ -, with at least one digit"

    /// The pattern as given (nil: the default rule).
    public let regex: String?
    private let compiled: Regex<AnyRegexOutput>?

    /// The default rule.
    public init() {
        regex = nil
        compiled = nil
    }

    /// A custom pattern; throws `DossierImportError` when it is not a valid regular expression.
    public init(regex: String) throws {
        do {
            compiled = try Regex(regex)
        } catch {
            throw DossierImportError(message: "--subject-pattern is not a valid regular expression: \(error)")
        }
        self.regex = regex
    }

    /// The rule in words, for error messages (a custom pattern is quoted; it is configuration, not data).
    public var rule: String {
        regex.map { "the subject pattern /\($0)/" } ?? Self.defaultRule
    }

    /// Whether `subject` is an acceptable pseudonym: the whole of it matches.
    public func accepts(_ subject: String) -> Bool {
        if let compiled { return (try? compiled.wholeMatch(in: subject)) != nil }
        let u = subject.utf8
        guard (2...40).contains(u.count) else { return false }
        var digit = false
        for c in u {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"),
                UInt8(ascii: "-"):
                continue
            default: return false
            }
        }
        return digit
    }

    /// Checks every dossier of a file: throws one error naming each refused dossier and the field, never the subject
    /// itself (it may be a real name, and error messages end up in terminals and logs).
    public func check(_ dossiers: [Dossier], source: String) throws {
        let refused = dossiers.filter { !accepts($0.subject) }.map(\.id)
        guard !refused.isEmpty else { return }
        let which = refused.count == 1 ? "dossier \(refused[0])" : "dossiers \(refused.joined(separator: ", "))"
        throw DossierImportError(
            message: "\(source): \(which): field subject is not a pseudonym (\(rule)); nothing imported")
    }
}

import Foundation
import SeinhuisApp
import SeinhuisCore
import Testing

@Suite("the message catalogue: every key in Dutch, French and English")
struct CatalogueTests {
    static func placeholders(_ s: String) -> Set<String> {
        let re = try! NSRegularExpression(pattern: #"\{[0-9]+\}"#)
        let ns = s as NSString
        return Set(re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) })
    }

    @Test func keysAreUniqueAndNoLanguageIsEmpty() {
        var seen = Set<String>()
        for m in Catalogue.all {
            #expect(seen.insert(m.key).inserted, "key \(m.key) twice")
            for lang in Language.allCases {
                #expect(!m.text(lang).trimmingCharacters(in: .whitespaces).isEmpty, "\(m.key) empty in \(lang)")
            }
        }
    }

    @Test func everyLanguageHasTheSamePlaceholders() {
        for m in Catalogue.all {
            let nl = Self.placeholders(m.nl)
            #expect(Self.placeholders(m.fr) == nl, "\(m.key): French placeholders differ")
            #expect(Self.placeholders(m.en) == nl, "\(m.key): English placeholders differ")
        }
    }

    /// Every key the sources ask for (`Catalogue.text("area.key"`, `.format("area.key"`, `tr("area.key"`, and the
    /// console script's `T["area.key"]`) is in the catalogue: a key typed wrong would show as itself.
    @Test func everyKeyUsedInTheSourcesExists() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let re = try NSRegularExpression(
            pattern: #"(?:Catalogue\.text|Catalogue\.format|\btr|\btrf|T)[\(\[]"([a-z]+\.[A-Za-z0-9_.]+)""#)
        var used = 0
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let ns = text as NSString
            for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let key = ns.substring(with: m.range(at: 1))
                used += 1
                #expect(Catalogue.text(key, .nl) != key, "\(url.lastPathComponent) uses \(key), not in the catalogue")
            }
        }
        #expect(used > 0)
    }

    /// Every code of the contract that people read has a display name in all three languages: a new breach kind,
    /// measure or queue cannot reach a page as its bare code.
    @Test func everyCodeHasADisplayName() {
        let codes: [(String, [String])] = [
            ("kind", AlertKind.allCases.map(\.rawValue)), ("severity", Severity.allCases.map(\.rawValue)),
            ("state", AlertState.allCases.map(\.rawValue)), ("queue", Queue.allCases.map(\.rawValue)),
            ("measure", Measure.allCases.map(\.rawValue)), ("role", Role.allCases.map(\.rawValue)),
            ("action", ["acknowledge", "respond", "close"]), ("decision", ReviewDecision.allCases.map(\.rawValue)),
            ("event", EventKind.allCases.map(\.name)),
        ]
        for (area, values) in codes {
            for code in values {
                #expect(Catalogue.text("\(area).\(code)", .fr) != "\(area).\(code)", "no name for \(area) \(code)")
            }
        }
        #expect(Catalogue.name("kind", "strap_tamper", .fr) == "sabotage du bracelet")
        #expect(Catalogue.name("kind", "not_a_kind", .nl) == "not a kind")  // an unknown code: readable, not a crash
    }

    @Test func aMissingKeyShowsItselfAndPlaceholdersFill() {
        #expect(Catalogue.text("no.such.key", .fr) == "no.such.key")
        #expect(Catalogue.text("common.yes", .fr) == "oui")
        #expect(Catalogue.text("common.yes", .nl) == "ja")
    }
}

@Suite("languages: --lang tags, Accept-Language, the forms of dates and numbers")
struct LanguageTests {
    @Test func tags() {
        #expect(Language(tag: "fr-BE") == .fr)
        #expect(Language(tag: "NL") == .nl)
        #expect(Language(tag: "en_GB") == .en)
        #expect(Language(tag: "de") == nil)
        #expect(Language(tag: "") == nil)
    }

    @Test func acceptLanguageTakesTheHighestWeightOfASupportedLanguage() {
        #expect(Language.preferred(acceptLanguage: "fr-BE,fr;q=0.9,en;q=0.8") == .fr)
        #expect(Language.preferred(acceptLanguage: "de-DE,de;q=0.9,en;q=0.5,nl;q=0.7") == .nl)
        #expect(Language.preferred(acceptLanguage: "en;q=0.2, fr;q=0.3") == .fr)
        #expect(Language.preferred(acceptLanguage: "fr;q=0, en") == .en)
        #expect(Language.preferred(acceptLanguage: "de, it") == nil)
        #expect(Language.preferred(acceptLanguage: "") == nil)
        #expect(Language.preferred(acceptLanguage: ";;,q=,") == nil)
    }

    @Test func numbersInEachLanguagesForm() {
        #expect(Formats(.nl).decimal(1234.56) == "1.234,6")
        #expect(Formats(.en).decimal(1234.56) == "1,234.6")
        #expect(Formats(.fr).decimal(3.25, digits: 2) == "3,25")
        #expect(Formats(.en).integer(2000) == "2,000")
        #expect(Formats(.nl).percent(0.934).hasPrefix("93,4"))
        #expect(Formats(.en).percent(0.934) == "93.4%")
    }

    /// 2026-03-29T01:30Z is 03:30 in Brussels (summer time began at 01:00 UTC); 00:30Z is 01:30 (winter time).
    @Test func datesAndTimesInBrusselsAcrossTheSpringChange() {
        let before: Int64 = 1_774_744_200_000  // 2026-03-29T00:30:00Z
        let after = before + 3_600_000  // 2026-03-29T01:30:00Z
        #expect(Formats(.nl).time(ms: before) == "01:30")
        #expect(Formats(.nl).time(ms: after) == "03:30")
        #expect(Formats(.nl).date(ms: after) == "29 maart 2026")
        #expect(Formats(.fr).date(ms: after) == "29 mars 2026")
        #expect(Formats(.en).dateTime(ms: after) == "29 March 2026 03:30")
    }
}

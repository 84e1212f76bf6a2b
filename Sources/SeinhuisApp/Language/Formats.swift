import Foundation

/// Dates and numbers in a language's own form; times always in Europe/Brussels, where the operators are.
public struct Formats: Sendable {
    public let lang: Language
    public static let displayZone = TimeZone(identifier: "Europe/Brussels")!

    public init(_ lang: Language) { self.lang = lang }

    /// `1.234` in Dutch and French forms (`1 234` with a narrow space in French), `1,234` in English.
    public func integer(_ n: Int) -> String {
        n.formatted(.number.locale(lang.locale))
    }

    /// A number with `digits` decimals: `3,5` in Dutch and French, `3.5` in English.
    public func decimal(_ x: Double, digits: Int = 1) -> String {
        x.formatted(.number.locale(lang.locale).precision(.fractionLength(digits)).grouping(.automatic))
    }

    /// A share (0…1) as a percentage: `93,4 %` in French, `93,4%` in Dutch, `93.4%` in English.
    public func percent(_ share: Double, digits: Int = 1) -> String {
        share.formatted(.percent.locale(lang.locale).precision(.fractionLength(digits)))
    }

    /// A day: `30 november 2026`, `30 novembre 2026`, `30 November 2026`.
    public func date(ms: Int64) -> String {
        Self.instant(ms).formatted(dateStyle(.long))
    }

    /// A moment to the minute, in Brussels time: `30 november 2026 01:53`.
    public func dateTime(ms: Int64) -> String {
        "\(date(ms: ms)) \(time(ms: ms))"
    }

    /// A time of day in Brussels, 24-hour: `01:53`.
    public func time(ms: Int64) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = Self.displayZone
        let c = cal.dateComponents([.hour, .minute], from: Self.instant(ms))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(c.hour ?? 0)):\(two(c.minute ?? 0))"
    }

    private func dateStyle(_ style: Date.FormatStyle.DateStyle) -> Date.FormatStyle {
        Date.FormatStyle(
            date: style, time: .omitted, locale: lang.locale, calendar: Calendar(identifier: .gregorian),
            timeZone: Self.displayZone)
    }

    private static func instant(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}

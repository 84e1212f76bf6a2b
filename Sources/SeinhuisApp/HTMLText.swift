/// The one place that turns text into HTML text: the console's pages (`HTML.escape` in SeinhuisHTTP) and the review
/// report's HTML both escape through it.
public enum HTMLText {
    /// `s` with `& < > " '` replaced by their entities: safe as element content and in quoted attributes.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

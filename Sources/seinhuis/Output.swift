/// Prints rows as an aligned table, CSV (RFC 4180 quoting) or JSON lines built by the caller.
struct Listing {
    var headers: [String]
    var rows: [[String]]

    func render(_ format: OutputFormat, json: () -> [String]) -> String {
        switch format {
        case .json:
            return "[" + json().joined(separator: ",\n ") + "]"
        case .csv:
            return ([headers] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n")
        case .table:
            if rows.isEmpty { return "(none)" }
            var widths = headers.map(\.count)
            for r in rows {
                for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
            }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in
                    i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
                }.joined(separator: "  ")
            }
            return ([line(headers.map { $0.uppercased() })] + rows.map(line)).joined(separator: "\n")
        }
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

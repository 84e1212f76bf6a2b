import ArgumentParser
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// An aligned text table.
struct Table {
    var headers: [String]
    var rows: [[String]]
    /// Columns (by index) aligned to the right (numbers).
    var rightAligned: Set<Int> = []

    func render() -> String {
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let padding = String(repeating: " ", count: max(0, widths[i] - c.count))
                if rightAligned.contains(i) { return padding + c }
                return i == cells.count - 1 ? c : c + padding
            }.joined(separator: "  ")
        }
        return ([line(headers.map { $0.uppercased() })] + rows.map(line)).joined(separator: "\n")
    }
}

/// A progress line on standard error: rewritten in place on a terminal, a plain line every 10 s otherwise.
final class Progress {
    let enabled: Bool
    let tty: Bool
    private var last = Date.distantPast
    private var shown = false

    init(enabled: Bool) {
        self.enabled = enabled
        tty = isatty(2) != 0
    }

    func tick(_ text: () -> String) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= (tty ? 0.5 : 10) else { return }
        last = now
        write(tty ? "\r\u{1B}[K" + text() : text() + "\n")
        shown = true
    }

    func note(_ text: String) {
        guard enabled else { return }
        write((tty && shown ? "\r\u{1B}[K" : "") + text + "\n")
        shown = false
    }

    func done() {
        if enabled && tty && shown { write("\n") }
        shown = false
    }

    private func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

func stderrLine(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Seconds with millisecond precision, for tables.
func secondsText(_ ms: Double) -> String { String(format: "%.3f", ms / 1000) }

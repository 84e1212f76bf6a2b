import ArgumentParser
import Logging
import SeinhuisServer

/// `serve --log-format`: swift-log's key=value text, or one JSON object per line (`JSONLogHandler`).
enum LogFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json

    /// Bootstraps swift-log (once per process) with this format's handler on standard error.
    func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            switch self {
            case .text:
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = level
                return h
            case .json:
                var h = JSONLogHandler.standardError(label: label)
                h.logLevel = level
                return h
            }
        }
    }
}

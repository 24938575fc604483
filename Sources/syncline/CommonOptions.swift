import ArgumentParser
import Foundation
import Logging
import SynclineMapping
import SynclineHub
import SynclineSecurity

/// Options every command that reads declarations or state shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "Project directory holding topics/ and connectors/.")
    var root: String = "."

    @Option(help: "State directory (default: $SYNCLINE_STATE_DIR, else ./.syncline).")
    var state: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default: $SYNCLINE_LOG_LEVEL or info).")
    var logLevel: String?

    @Flag(help: "Show phone numbers, emails and message text in logs unmasked (local debugging only; also SYNCLINE_LOG_UNMASKED=1). Secrets stay redacted.")
    var logUnmasked = false

    var rootURL: URL { URL(fileURLWithPath: root, isDirectory: true) }

    var stateURL: URL {
        if let state { return URL(fileURLWithPath: state, isDirectory: true) }
        if let env = ProcessInfo.processInfo.environment["SYNCLINE_STATE_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env, isDirectory: true)
        }
        return URL(fileURLWithPath: ".syncline", isDirectory: true)
    }

    func makeLogger() -> Logger {
        let text = logLevel ?? ProcessInfo.processInfo.environment["SYNCLINE_LOG_LEVEL"] ?? "info"
        let level = Logger.Level(rawValue: text.lowercased()) ?? .info
        let environment = ProcessInfo.processInfo.environment
        let masker = PIIMasker(unmasked: logUnmasked || environment["SYNCLINE_LOG_UNMASKED"] == "1")
        PIIMasker.registerSecrets(LogSecrets.values(in: environment))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return MaskingLogHandler(wrapping: handler, masker: masker)
        }
        return Logger(label: "syncline")
    }
}

/// Writes a line to standard output at once (unbuffered), for output that scripts wait for.
enum Terminal {
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func complain(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

import Foundation
import SynclineKafka
import Testing

/// Runs the built `syncline` binary as a user would, capturing its output line by line.
final class HubProcess: @unchecked Sendable {
    let process = Process()
    private let stdout: PipeReader
    private let stderr: PipeReader

    /// The `syncline` executable built beside the test bundle.
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("syncline")
    }

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = Self.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        stdout = PipeReader(out, name: "hub-stdout")
        stderr = PipeReader(err, name: "hub-stderr")
        try process.run()
    }

    /// Standard output so far, line by line (empty lines left out).
    var output: [String] { stdout.text.split(separator: "\n").map(String.init) }
    var errors: String { stderr.text }

    /// Waits for a stdout line starting with `prefix` and returns the rest of it.
    func waitForLine(prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.first(where: { $0.hasPrefix(prefix) }) { return String(line.dropFirst(prefix.count)) }
            if !process.isRunning {
                try await Task.sleep(for: .milliseconds(100))
                if let line = output.first(where: { $0.hasPrefix(prefix) }) { return String(line.dropFirst(prefix.count)) }
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("no '\(prefix)' line; stdout: \(output); stderr: \(errors.suffix(2000))")
        throw CancellationError()
    }

    /// Waits for the process to exit and returns its status.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let process = self.process
        return try await BlockingThread.run {
            let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning {
                process.interrupt()
                throw CancellationError()
            }
            // The exit can overtake the last output (a loaded full run once read a refusal's stderr
            // as empty): wait, bounded, until both pipes have ended — a child the hub started may
            // still hold them, so the bound, not the end, lets a test go on then.
            let drained = Date().addingTimeInterval(10)
            self.stdout.waitForEnd(timeout: drained.timeIntervalSinceNow)
            self.stderr.waitForEnd(timeout: drained.timeIntervalSinceNow)
            return process.terminationStatus
        }
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

import Foundation

/// Reads a child's output pipe to its end on a thread of its own, with blocking reads: no
/// readability handler, whose dispatch read source could outlive the pipe (a crash seen in CI), and
/// an end that is seen, so a caller can wait until everything the child wrote has been read.
final class PipeReader: @unchecked Sendable {
    private let condition = NSCondition()
    private var bytes: [UInt8] = []
    private var ended = false

    init(_ pipe: Pipe, name: String) {
        // The thread holds the handle, so the descriptor stays open until the read sees the end.
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                condition.lock()
                bytes += buffer[0..<count]
                condition.unlock()
            }
            condition.lock()
            ended = true
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// Everything read so far.
    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Waits until the pipe has ended (every writer closed it) or `timeout` passed; true if it ended.
    @discardableResult
    func waitForEnd(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !ended {
            if !condition.wait(until: deadline) { return ended }
        }
        return true
    }
}

import CRdKafka
#if canImport(Glibc)
import Glibc
#endif

/// One file descriptor that librdkafka writes to when records, delivery reports or commit results
/// arrive on a queue that was empty, so a loop can sleep until there is work instead of waiting
/// out a fixed poll timeout (`rd_kafka_queue_io_event_enable`). librdkafka writes once per
/// "non-polling period": a reader must serve the queue after each wake-up and must not sleep while
/// it knows a queue still holds items.
public final class KafkaWakeup: @unchecked Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    private static let payload: [UInt8] = [1]

    public init() throws(KafkaError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw KafkaError.client("cannot create the wake-up pipe: errno \(errno)") }
        readFD = fds[0]
        writeFD = fds[1]
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    func register(queue: OpaquePointer) {
        Self.payload.withUnsafeBytes { bytes in
            rd_kafka_queue_io_event_enable(queue, writeFD, bytes.baseAddress, 1)
        }
    }

    func unregister(queue: OpaquePointer) {
        rd_kafka_queue_io_event_enable(queue, -1, nil, 0)
    }

    /// Sleeps until a registered queue has something or `timeoutMs` passes (0: just drain).
    /// Returns true if woken by a queue.
    @discardableResult
    public func wait(timeoutMs: Int32) -> Bool {
        var descriptor = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMs)
        guard ready > 0 else { return false }
        var sink = [UInt8](repeating: 0, count: 64)
        while read(readFD, &sink, sink.count) > 0 {}
        return true
    }

    /// Wakes a waiter from any thread (a stop request, an operator's pause).
    public func signal() {
        _ = Self.payload.withUnsafeBytes { write(writeFD, $0.baseAddress, 1) }
    }

    deinit {
        close(readFD)
        close(writeFD)
    }
}

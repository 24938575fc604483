import CRdKafka
import Synchronization
import SynclineRecords

/// The librdkafka side of the producer: topic handles and `rd_kafka_produceva` calls.
final class RDKafkaProducerCore: @unchecked Sendable {
    let handle: RDKafkaHandle
    private let topics = Mutex<[String: UInt]>([:])
    /// The main queue, where delivery reports and client errors arrive as events.
    private let mainQueue: OpaquePointer?

    init(handle: RDKafkaHandle) {
        self.handle = handle
        self.mainQueue = rd_kafka_queue_get_main(handle.pointer)
    }

    /// Writes to `wakeup` whenever a delivery report (or error) arrives on an empty queue.
    func enableWakeup(_ wakeup: KafkaWakeup) {
        guard let mainQueue else { return }
        wakeup.register(queue: mainQueue)
    }

    /// Serves delivery-report events: waits up to `timeoutMs` for the first, then takes what is
    /// there without waiting, up to `maxEvents` events (each carries a batch of reports).
    /// Returns how many reports were handed to `deliver`.
    @discardableResult
    func serve(timeoutMs: Int32, maxEvents: Int = 64, deliver: (DeliveryReport) -> Void) -> Int {
        guard let mainQueue else { return 0 }
        var served = 0
        var wait = timeoutMs
        var lastTopic: OpaquePointer?
        var lastName = ""
        for _ in 0..<max(1, maxEvents) {
            guard let event = rd_kafka_queue_poll(mainQueue, Int32(wait)) else { break }
            wait = 0
            defer { rd_kafka_event_destroy(event) }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_DR:
                while let message = rd_kafka_event_message_next(event) {
                    let m = message.pointee
                    if m.rkt != lastTopic {
                        lastTopic = m.rkt
                        lastName = m.rkt.flatMap { rd_kafka_topic_name($0) }.map { String(cString: $0) } ?? ""
                    }
                    deliver(DeliveryReport(
                        token: UInt64(UInt(bitPattern: m._private)), topic: lastName, partition: m.partition, offset: m.offset,
                        error: m.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaError.from(m.err)))
                    served += 1
                }
            case RD_KAFKA_EVENT_ERROR:
                let text = rd_kafka_event_error_string(event).map { String(cString: $0) }
                let error = RDKafkaError.from(rd_kafka_event_error(event), message: text)
                handle.callbacks.clientError(rd_kafka_event_error_is_fatal(event) != 0 ? error.fatal : error)
            default:
                break
            }
        }
        return served
    }

    private func topicHandle(_ name: String) throws(KafkaError) -> OpaquePointer {
        let cached = topics.withLock { $0[name] }
        if let cached, let pointer = OpaquePointer(bitPattern: cached) { return pointer }
        guard let rkt = rd_kafka_topic_new(handle.pointer, name, nil) else {
            throw RDKafkaError.from(rd_kafka_last_error(), message: "cannot open topic \(name)")
        }
        let stored = topics.withLock { map -> UInt in
            if let existing = map[name] { return existing }
            map[name] = UInt(bitPattern: rkt)
            return UInt(bitPattern: rkt)
        }
        if stored != UInt(bitPattern: rkt) { rd_kafka_topic_destroy(rkt) }
        return OpaquePointer(bitPattern: stored) ?? rkt
    }

    /// Enqueues one record (copied by librdkafka). Throws `QUEUE_FULL` (retriable) when the local
    /// queue is full: the caller must serve delivery reports and try again. Hot path: headers go in
    /// one `rd_kafka_headers_t` built straight from each name's and value's storage (no name
    /// buffers, no nested scopes), and the argument list lives in a temporary (stack) buffer.
    func produce(_ record: OutputRecord, partition: Int32?, token: UInt64) throws(KafkaError) {
        let rkt = try topicHandle(record.topic)
        let headers: OpaquePointer?
        if let block = record.headerBlock {
            headers = block.count == 0 ? nil : rd_kafka_headers_new(block.count)
            if let headers { Self.add(block, to: headers) }
        } else {
            let list = record.headers
            headers = list.isEmpty ? nil : rd_kafka_headers_new(list.count)
            if let headers {
                for header in list { Self.add(header, to: headers) }
            }
        }
        let error: OpaquePointer? = withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { vus in
            vus.initialize(repeating: rd_kafka_vu_t())
            vus[0].vtype = RD_KAFKA_VTYPE_RKT
            vus[0].u.rkt = rkt
            vus[1].vtype = RD_KAFKA_VTYPE_MSGFLAGS
            vus[1].u.i = RD_KAFKA_MSG_F_COPY
            vus[2].vtype = RD_KAFKA_VTYPE_OPAQUE
            vus[2].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(token))
            vus[3].vtype = RD_KAFKA_VTYPE_PARTITION
            vus[3].u.i32 = partition ?? RD_KAFKA_PARTITION_UA
            var count = 6
            if let headers {
                vus[6].vtype = RD_KAFKA_VTYPE_HEADERS
                vus[6].u.headers = headers
                count = 7
            }
            return Self.withBytes(record.key) { keyPointer, keyCount in
                Self.withBytes(record.value) { valuePointer, valueCount in
                    vus[4].vtype = RD_KAFKA_VTYPE_KEY
                    vus[4].u.mem.ptr = keyPointer
                    vus[4].u.mem.size = keyCount
                    vus[5].vtype = RD_KAFKA_VTYPE_VALUE
                    vus[5].u.mem.ptr = valuePointer
                    vus[5].u.mem.size = valueCount
                    return rd_kafka_produceva(handle.pointer, vus.baseAddress, count)
                }
            }
        }
        if let error {
            // On failure the headers stay ours (librdkafka owns them only once the record is queued).
            if let headers { rd_kafka_headers_destroy(headers) }
            throw RDKafkaError.consume(error)
        }
    }

    nonisolated(unsafe) private static let emptyValue: UnsafeMutableRawPointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

    /// Adds one header, copied by librdkafka; an empty value stays empty (not null), a nil one is null.
    private static func add(_ header: RecordHeader, to headers: OpaquePointer) {
        var name = header.name
        name.withUTF8 { nameBytes in
            let namePointer = UnsafeRawPointer(nameBytes.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
            guard let value = header.value else {
                _ = rd_kafka_header_add(headers, namePointer, nameBytes.count, nil, 0)
                return
            }
            value.withUnsafeBytes { raw in
                _ = rd_kafka_header_add(headers, namePointer, nameBytes.count, raw.baseAddress ?? UnsafeRawPointer(emptyValue), raw.count)
            }
        }
    }

    /// Adds every header of a pre-encoded block, straight from the block's bytes (copied by librdkafka).
    private static func add(_ block: HeaderBlock, to headers: OpaquePointer) {
        block.forEach { name, value in
            let namePointer = (name.baseAddress ?? UnsafeRawPointer(emptyValue)).assumingMemoryBound(to: CChar.self)
            if let value {
                _ = rd_kafka_header_add(headers, namePointer, name.count, value.baseAddress ?? UnsafeRawPointer(emptyValue), value.count)
            } else {
                _ = rd_kafka_header_add(headers, namePointer, name.count, nil, 0)
            }
        }
    }

    private static func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) -> T) -> T {
        guard let bytes else { return body(nil, 0) }
        return bytes.withUnsafeBytes { raw in
            body(raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }, raw.count)
        }
    }

    /// Waits until every queued record has its delivery report, serving the reports on this thread
    /// (with delivery-report events, `rd_kafka_flush` only waits for another thread to serve them).
    func flush(timeoutMs: Int32, deliver: (DeliveryReport) -> Void) -> KafkaError? {
        let deadline = ContinuousClock.now + .milliseconds(Int(max(0, timeoutMs)))
        while rd_kafka_outq_len(handle.pointer) > 0 {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return RDKafkaError.from(RD_KAFKA_RESP_ERR__TIMED_OUT) }
            serve(timeoutMs: Int32(min(10, max(1, remaining / .milliseconds(1)))), deliver: deliver)
        }
        return nil
    }

    /// Waits for the queue to empty while another thread serves the reports.
    func flushServedElsewhere(timeoutMs: Int32) -> KafkaError? {
        let err = rd_kafka_flush(handle.pointer, timeoutMs)
        return err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaError.from(err)
    }

    var queueLength: Int32 { rd_kafka_outq_len(handle.pointer) }

    /// librdkafka's own fabricated fatal error (`rd_kafka_test_fatal_error`), as if the brokers had
    /// fenced the idempotent producer: for tests of what the owner does then.
    func raiseFatalErrorForTesting(reason: String) {
        _ = rd_kafka_test_fatal_error(handle.pointer, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, reason)
    }

    /// Drops every queued and in-flight message (their delivery reports say PURGE_*).
    func purge() {
        _ = rd_kafka_purge(handle.pointer, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
    }

    func destroy() {
        if let mainQueue { rd_kafka_queue_destroy(mainQueue) }
        let handles = topics.withLock { map -> [UInt] in
            defer { map.removeAll() }
            return Array(map.values)
        }
        for value in handles {
            if let rkt = OpaquePointer(bitPattern: value) { rd_kafka_topic_destroy(rkt) }
        }
        handle.destroy()
    }
}

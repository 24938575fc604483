import CRdKafka
import Synchronization
import SynclineCore

/// The librdkafka side of the producer: topic handles and `rd_kafka_produceva` calls.
final class RDKafkaProducerCore: @unchecked Sendable {
    let handle: RDKafkaHandle
    private let topics = Mutex<[String: UInt]>([:])

    init(handle: RDKafkaHandle) {
        self.handle = handle
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
    /// queue is full: the caller must serve delivery reports and try again.
    func produce(_ record: OutputRecord, partition: Int32?, token: UInt64) throws(KafkaError) {
        let rkt = try topicHandle(record.topic)
        // Header names (NUL-terminated) and values laid out in one buffer.
        var buffer: [UInt8] = []
        var layout: [(name: Int, value: Int, size: Int)] = []
        layout.reserveCapacity(record.headers.count)
        for header in record.headers {
            let nameStart = buffer.count
            buffer.append(contentsOf: header.name.utf8)
            buffer.append(0)
            let valueStart = buffer.count
            if let value = header.value { buffer.append(contentsOf: value) }
            layout.append((nameStart, valueStart, header.value?.count ?? -1))
        }
        let fixed = 6
        var vus = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: fixed + layout.count)
        vus[0].vtype = RD_KAFKA_VTYPE_RKT
        vus[0].u.rkt = rkt
        vus[1].vtype = RD_KAFKA_VTYPE_MSGFLAGS
        vus[1].u.i = RD_KAFKA_MSG_F_COPY
        vus[2].vtype = RD_KAFKA_VTYPE_OPAQUE
        vus[2].u.ptr = UnsafeMutableRawPointer(bitPattern: UInt(token))
        vus[3].vtype = RD_KAFKA_VTYPE_PARTITION
        vus[3].u.i32 = partition ?? RD_KAFKA_PARTITION_UA
        let error: OpaquePointer? = buffer.withUnsafeBufferPointer { headerBytes in
            let base = headerBytes.baseAddress
            for (index, entry) in layout.enumerated() {
                let slot = fixed + index
                vus[slot].vtype = RD_KAFKA_VTYPE_HEADER
                vus[slot].u.header.name = base.map { UnsafeRawPointer($0 + entry.name).assumingMemoryBound(to: CChar.self) }
                vus[slot].u.header.val = entry.size < 0 ? nil : base.map { UnsafeRawPointer($0 + entry.value) }
                vus[slot].u.header.size = entry.size < 0 ? 0 : entry.size
            }
            return Self.withBytes(record.key) { keyPointer, keyCount in
                Self.withBytes(record.value) { valuePointer, valueCount in
                    vus[4].vtype = RD_KAFKA_VTYPE_KEY
                    vus[4].u.mem.ptr = keyPointer
                    vus[4].u.mem.size = keyCount
                    vus[5].vtype = RD_KAFKA_VTYPE_VALUE
                    vus[5].u.mem.ptr = valuePointer
                    vus[5].u.mem.size = valueCount
                    return rd_kafka_produceva(handle.pointer, vus, vus.count)
                }
            }
        }
        if let error { throw RDKafkaError.consume(error) }
    }

    private static func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeMutableRawPointer?, Int) -> T) -> T {
        guard let bytes else { return body(nil, 0) }
        return bytes.withUnsafeBytes { raw in
            body(raw.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }, raw.count)
        }
    }

    /// Serves delivery reports; returns how many events were served.
    @discardableResult
    func poll(timeoutMs: Int32) -> Int32 {
        rd_kafka_poll(handle.pointer, timeoutMs)
    }

    func flush(timeoutMs: Int32) -> KafkaError? {
        let err = rd_kafka_flush(handle.pointer, timeoutMs)
        return err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaError.from(err)
    }

    var queueLength: Int32 { rd_kafka_outq_len(handle.pointer) }

    /// Drops every queued and in-flight message (their delivery reports say PURGE_*).
    func purge() {
        _ = rd_kafka_purge(handle.pointer, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
    }

    func destroy() {
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

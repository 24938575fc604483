import CCrashMark
import Foundation
import SynclineMapping

/// A 4 KiB file the runtime maps into memory and writes, with plain stores, which input record is
/// in the pipeline and in which kind of stage. A fatal signal on the runtime thread sets a flag in
/// it (`CCrashMark`). The mapping is shared with the file, so what was written survives the
/// process: the next start reads which record, if any, the hub died on. A store costs nanoseconds
/// and no system call, so it is done for every record.
final class CrashMarkFile {
    /// What the previous process left: the record in the pipeline when it ended, and whether a
    /// fatal signal (trap, fault, abort) hit the runtime thread.
    struct Leftover: Equatable {
        var topic: String?
        var partition: Int32
        var offset: Int64
        var stage: ErrorStage?
        var signal: Int32?
    }

    static let size = 4096
    private static let magic: [UInt8] = Array("SYNCPP01".utf8)
    // Layout: [0, 8) magic; 8 fault flag; 9 fault signal; 10 record active; 11 stage mark;
    // [12, 16) topic index; [16, 20) partition; [24, 32) offset; [64, 4096) topic names, "\n"-joined, NUL-ended.
    private enum At {
        static let fault = 8, signal = 9, active = 10, stage = 11, topic = 12, partition = 16, offset = 24, topics = 64
    }

    private let base: UnsafeMutableRawPointer
    private let descriptor: Int32

    /// Maps `url` (created at 4 KiB if missing) and reads what the previous process left in it.
    init(url: URL) throws {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CrashMarkError(message: "cannot open \(url.path): \(String(cString: strerror(errno)))") }
        guard ftruncate(fd, off_t(Self.size)) == 0,
              let mapped = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED
        else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw CrashMarkError(message: "cannot map \(url.path): \(reason)")
        }
        base = mapped
        descriptor = fd
    }

    deinit {
        munmap(base, Self.size)
        close(descriptor)
    }

    /// What the previous process left (nil if it ended with no record in the pipeline and no fault).
    func leftover() -> Leftover? {
        guard (0..<8).allSatisfy({ base.load(fromByteOffset: $0, as: UInt8.self) == Self.magic[$0] }) else { return nil }
        let faulted = base.load(fromByteOffset: At.fault, as: UInt8.self) == 1
        let active = base.load(fromByteOffset: At.active, as: UInt8.self) == 1
        guard faulted || active else { return nil }
        let signal = faulted ? Int32(base.load(fromByteOffset: At.signal, as: UInt8.self)) : nil
        guard active else { return Leftover(topic: nil, partition: -1, offset: -1, stage: nil, signal: signal) }
        let topicIndex = Int(base.load(fromByteOffset: At.topic, as: Int32.self))
        let topics = storedTopics()
        return Leftover(
            topic: topics.indices.contains(topicIndex) ? topics[topicIndex] : nil,
            partition: base.load(fromByteOffset: At.partition, as: Int32.self),
            offset: base.load(fromByteOffset: At.offset, as: Int64.self),
            stage: StageMark.stage(base.load(fromByteOffset: At.stage, as: UInt8.self)) ?? .map,
            signal: signal)
    }

    /// Starts a new life: no record, no fault, this run's input topics (records name them by index).
    func reset(topics: [String]) {
        base.initializeMemory(as: UInt8.self, repeating: 0, count: Self.size)
        var names = Array(topics.joined(separator: "\n").utf8.prefix(Self.size - At.topics - 1))
        names.append(0)
        names.withUnsafeBytes { bytes in
            if let address = bytes.baseAddress { base.advanced(by: At.topics).copyMemory(from: address, byteCount: bytes.count) }
        }
        for (index, byte) in Self.magic.enumerated() { base.storeBytes(of: byte, toByteOffset: index, as: UInt8.self) }
        msync(base, Self.size, MS_SYNC)
    }

    /// Points the calling thread's fatal-signal flag at this file (`CCrashMark`).
    func registerCurrentThread() -> Bool {
        syncline_crash_mark_install()
        return syncline_crash_mark_register_thread(base.advanced(by: At.fault).assumingMemoryBound(to: UInt8.self)) == 0
    }

    func unregisterCurrentThread() { syncline_crash_mark_unregister_thread() }

    /// A record enters the pipeline.
    @inline(__always)
    func begin(topicIndex: Int32, partition: Int32, offset: Int64) {
        base.storeBytes(of: topicIndex, toByteOffset: At.topic, as: Int32.self)
        base.storeBytes(of: partition, toByteOffset: At.partition, as: Int32.self)
        base.storeBytes(of: offset, toByteOffset: At.offset, as: Int64.self)
        base.storeBytes(of: 0, toByteOffset: At.stage, as: UInt8.self)
        base.storeBytes(of: 1, toByteOffset: At.active, as: UInt8.self)
    }

    /// Where the pipeline writes the kind of stage it is in (`RecordPipeline.run(_:stageMark:)`).
    var stageMark: UnsafeMutablePointer<UInt8> { base.advanced(by: At.stage).assumingMemoryBound(to: UInt8.self) }

    /// The record left the pipeline (done, rejected or parked).
    @inline(__always)
    func end() { base.storeBytes(of: 0, toByteOffset: At.active, as: UInt8.self) }

    private func storedTopics() -> [String] {
        let start = base.advanced(by: At.topics).assumingMemoryBound(to: UInt8.self)
        let bytes = UnsafeBufferPointer(start: start, count: Self.size - At.topics)
        let text = bytes.prefix { $0 != 0 }
        return text.isEmpty ? [] : String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

struct CrashMarkError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

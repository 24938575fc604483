import Foundation

/// The runtime's own clocks: monotonic nanoseconds (breaker and rate-limit timing) and process and
/// thread CPU seconds (the benchmark window). Wall milliseconds (record times) come from `EpochClock`.
enum RuntimeClock {
    /// Monotonic nanoseconds.
    static func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .microseconds(1)) / 1_000_000
    }

    /// User plus system CPU time of the calling thread so far (which thread is the bottleneck).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }

    /// User plus system CPU time of the whole process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

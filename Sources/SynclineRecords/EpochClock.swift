#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The wall clock in epoch milliseconds, the unit every record time uses: the project's one helper
/// for "now". A type whose tests must control time takes a `@Sendable () -> Int64` that defaults to
/// `EpochClock.nowMs` rather than reading the clock itself.
public enum EpochClock {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public static func nowMs() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000 + Int64(time.tv_nsec) / 1_000_000
    }
}

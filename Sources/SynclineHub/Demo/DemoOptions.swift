/// `buildApplication(_:demo:)`: run the demo traffic generator inside the hub (`syncline up --demo`).
public struct DemoOptions: Sendable {
    public var traffic: DemoTraffic.Settings
    /// How often the live summary is reported.
    public var summaryEvery: Duration
    /// Receives the live summary (the CLI prints it).
    public var report: @Sendable (String) -> Void

    public init(traffic: DemoTraffic.Settings = .init(), summaryEvery: Duration = .seconds(5), report: @escaping @Sendable (String) -> Void = { _ in }) {
        self.traffic = traffic
        self.summaryEvery = summaryEvery
        self.report = report
    }
}

import Foundation
import Testing

/// Issue 19: `syncline validate` checks processors and `after_routes:` against what the assembly
/// builds, and `syncline up` refuses the same errors before Kafka starts.
@Suite("Processors and after_routes from the command line: validate reports, up refuses", .serialized)
struct ProcessorCommandTests {
    static func shipped(_ name: String) throws -> String {
        try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/\(name).yaml"), encoding: .utf8)
    }

    @Test("a misspelled im option and an unknown after_routes stage: validate exits 1 naming file and field; up exits 2 before Kafka")
    func validateAndUp() async throws {
        let im = try Self.shipped("im").replacingOccurrences(of: "\n  idle_gap: 10m", with: "\n  idle_gap: 10m\n  idel_gap: 5m")
        let tickets = try Self.shipped("tickets").replacingOccurrences(of: "\n  - complaint_alert ", with: "\n  - complaint_alerts ")
        #expect(im.contains("idel_gap") && tickets.contains("complaint_alerts"))
        let project = try ProjectFixture(connectors: ["im.yaml": im, "tickets.yaml": tickets])

        let validate = try HubProcess(["validate", "--root", project.root.path])
        #expect(try await validate.waitForExit() == 1)
        let lines = validate.output
        #expect(lines.contains { $0.hasPrefix("error: ") && $0.contains("im.yaml") && $0.contains("processor_options.idel_gap") && $0.contains("unknown option") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("error: ") && $0.contains("tickets.yaml") && $0.contains("after_routes[1]") && $0.contains("unknown stage 'complaint_alerts'") }, "\(lines)")

        let hub = try HubProcess(["up", "--root", project.root.path, "--state", project.state.path, "--admin", "127.0.0.1:0"])
        #expect(try await hub.waitForExit() == 2)
        #expect(hub.errors.contains("after_routes[1]") || hub.errors.contains("processor_options.idel_gap"), "\(hub.errors)")
        #expect(!hub.output.contains { $0.hasPrefix("kafka:") })
    }

    @Test("only the misspelled im option: up names it (the assembly's check, before anything is opened)")
    func upRefusesProcessorOption() async throws {
        let im = try Self.shipped("im").replacingOccurrences(of: "\n  idle_gap: 10m", with: "\n  idle_gap: 10m\n  idel_gap: 5m")
        let project = try ProjectFixture(connectors: ["im.yaml": im])
        let hub = try HubProcess(["up", "--root", project.root.path, "--state", project.state.path, "--admin", "127.0.0.1:0"])
        #expect(try await hub.waitForExit() == 2)
        #expect(hub.errors.contains("processor_options.idel_gap") && hub.errors.contains("unknown option"), "\(hub.errors)")
        #expect(!hub.output.contains { $0.hasPrefix("kafka:") })
    }
}

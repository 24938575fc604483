import Foundation
import SynclineMapping
import Testing

/// Issue 19: the stages after the routes are declared in the connector file (`after_routes:`),
/// parsed and checked like every other key.
@Suite("after_routes: the connector file declares the stages after its routes")
struct AfterRoutesTests {
    static func spec(_ line: String, processor: String? = nil) throws -> ConnectorSpec {
        var text = line + "\n" + TestSupport.marketing
        if let processor { text = "processor: \(processor)\n" + text }
        return try TestSupport.spec(text)
    }

    static func problems(_ line: String, processor: String? = nil) -> [ConfigProblem] {
        do {
            _ = try spec(line, processor: processor)
            return []
        } catch let error as ConfigProblems {
            return error.problems
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test("a list of known stages, in file order; none declared is none")
    func parses() throws {
        #expect(try Self.spec("after_routes: [follow_up, complaint_alert]").afterRoutes == [.followUp, .complaintAlert])
        #expect(try Self.spec("after_routes: follow_up").afterRoutes == [.followUp])
        #expect(try TestSupport.spec(TestSupport.marketing).afterRoutes.isEmpty)
    }

    @Test("an unknown stage is a problem naming the file, the item and the known stages")
    func unknownStage() {
        let problems = Self.problems("after_routes: [follow_up, follow_ups]")
        #expect(problems.count == 1)
        #expect(problems.first?.file == "connectors/test.yaml" && problems.first?.field == "after_routes[1]")
        #expect(problems.first?.message.contains("unknown stage 'follow_ups'") == true)
        #expect(problems.first?.message.contains("follow_up, complaint_alert") == true)
        #expect(problems.first?.connector == "marketing")
    }

    @Test("a stage listed twice, a mapping, or after_routes with a processor is a problem")
    func otherProblems() {
        #expect(Self.problems("after_routes: [follow_up, follow_up]").map(\.field) == ["after_routes[1]"])
        #expect(Self.problems("after_routes: {follow_up: true}").map(\.field) == ["after_routes"])
        let withProcessor = Self.problems("after_routes: [follow_up]", processor: "assignment")
        #expect(withProcessor.map(\.field) == ["after_routes"] && withProcessor.first?.message.contains("processor: assignment") == true)
    }

    @Test("the linter warns when no route writes a topic the declared stage looks at")
    func lintWarns() throws {
        let spec = try Self.spec("after_routes: [follow_up, complaint_alert]")
        let problems = ConnectorLinter.lint(spec, catalog: try TestSupport.catalog(), samples: nil).filter { $0.field == "after_routes" }
        #expect(problems.count == 1, "marketing writes leads (follow_up sees them) but no customer updates")
        #expect(problems.first?.severity == .warning && problems.first?.message.contains("complaint_alert") == true)
    }

    @Test("the shipped connectors declare what the hub appended by topic before: follow_up on marketing and tickets, complaint_alert on tickets")
    func shipped() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let specs = try ConnectorSpecParser.loadAll(directory: root.appendingPathComponent("connectors"))
        #expect(specs.count >= 7)
        for spec in specs {
            // The old choice: by output topic, for connectors without a processor.
            var old: [AfterRoutesStage] = []
            if spec.processor == nil, spec.routes.contains(where: { $0.topic == TopicNames.leads || $0.topic == TopicNames.activities }) { old.append(.followUp) }
            if spec.processor == nil, spec.routes.contains(where: { $0.topic == TopicNames.customerUpdates }) { old.append(.complaintAlert) }
            #expect(spec.afterRoutes == old, "\(spec.name)")
        }
        #expect(specs.first { $0.name == "tickets" }?.afterRoutes == [.followUp, .complaintAlert])
    }
}

import Foundation
import SynclineConnectors
import SynclineMapping
import Testing

/// Issue 19: processors implement one protocol and are listed once; `syncline validate` checks
/// processor names and options against the list.
@Suite("ProcessorRegistry: one list of processors, their documented options, validate's checks")
struct ProcessorRegistryTests {
    /// A shipped connector file with one more line under `processor_options:`.
    static func spec(_ name: String, extraOption line: String) throws -> ConnectorSpec {
        let text = try String(contentsOf: ProcessorHarness.repositoryRoot.appendingPathComponent("connectors/\(name).yaml"), encoding: .utf8)
        #expect(text.contains("\nprocessor_options:\n"), "\(name)")
        return try ConnectorSpecParser.parse(text.replacingOccurrences(of: "\nprocessor_options:\n", with: "\nprocessor_options:\n  \(line)\n"), file: "\(name).yaml")
    }

    @Test("the registry lists im, telephony and assignment, each option once with a line of documentation")
    func registered() {
        #expect(ProcessorRegistry.names == ["assignment", "im", "telephony"])
        for processor in ProcessorRegistry.processors {
            #expect(!processor.options.isEmpty, "\(processor.name)")
            #expect(Set(processor.options.map(\.name)).count == processor.options.count, "\(processor.name): an option declared twice")
            for option in processor.options { #expect(option.doc.count > 20, "\(processor.name).\(option.name) has no documentation") }
            #expect(ProcessorRegistry.processor(named: processor.name)?.name == processor.name)
        }
        #expect(ProcessorRegistry.processor(named: "fax") == nil)
        #expect(IMProcessor().optionNames == IMSettings.optionNames && TelephonyProcessor().optionNames == TelephonySettings.optionNames)
    }

    @Test("SynclineMapping's copy of two registry facts (stateful processors, their extra output topics) agrees with the registry")
    func mappingAgrees() {
        #expect(Set(ProcessorRegistry.processors.filter(\.keepsPartitionState).map(\.name)) == ConnectorSpec.statefulProcessors)
        for processor in ProcessorRegistry.processors {
            var spec = ConnectorSpec(name: "c", mappingVersion: "1", inputTopics: ["raw.c.v1"], routes: [])
            spec.processor = processor.name
            #expect(spec.processorOutputTopics == processor.outputTopics(connector: "c"), "\(processor.name)")
            #expect(spec.isStateful == processor.keepsPartitionState, "\(processor.name)")
        }
    }

    @Test("the shipped connector named after each processor sets every option it declares (the file is the worked example)")
    func shippedFilesShowEveryOption() throws {
        for processor in ProcessorRegistry.processors {
            let spec = try ProcessorHarness.spec(processor.name)
            #expect(spec.processor == processor.name)
            #expect(Set(spec.processorOptions.keys) == processor.optionNames, "connectors/\(processor.name).yaml")
        }
    }

    @Test("the shipped connectors' processors and options pass")
    func shippedPass() throws {
        for name in ConnectorAssemblyTests.shipped {
            let problems = ProcessorRegistry.problems(try ProcessorHarness.spec(name))
            #expect(problems.filter { $0.severity == .error }.isEmpty, "\(name): \(problems)")
        }
    }

    @Test("validate reports an option the processor does not declare, for every processor, naming file and field", arguments: ["im", "telephony", "assignment"])
    func unknownOption(name: String) throws {
        let spec = try Self.spec(name, extraOption: "idle_gapp: 10m")
        let problems = ProcessorRegistry.problems(spec).filter { $0.field == "processor_options.idle_gapp" }
        #expect(problems.count == 1, "\(ProcessorRegistry.problems(spec))")
        #expect(problems.first?.severity == .error && problems.first?.file == "\(name).yaml" && problems.first?.connector == name)
        #expect(problems.first?.message.contains("unknown option") == true)
    }

    @Test("validate reports a malformed im or telephony option value (before, only `syncline up` did)")
    func malformedValue() throws {
        let im = try ProcessorHarness.spec("im", options: ["idle_gap": "soon"])
        #expect(ProcessorRegistry.problems(im).map(\.field) == ["processor_options.idle_gap"])
        let telephony = try ProcessorHarness.spec("telephony", options: ["extension_max_digits": "-3"])
        #expect(ProcessorRegistry.problems(telephony).map(\.field) == ["processor_options.extension_max_digits"])
    }

    @Test("validate reports an unknown processor on its processor field; a connector without one has nothing to check")
    func unknownProcessor() throws {
        var spec = try ProcessorHarness.spec("telephony")
        spec.processor = "telephone"
        let problems = ProcessorRegistry.problems(spec)
        #expect(problems.map(\.field) == ["processor"] && problems.first?.message.contains("known: assignment, im, telephony") == true)
        // finance has processor_options (read by the reconciliation) but no processor.
        #expect(ProcessorRegistry.problems(try ProcessorHarness.spec("finance")).isEmpty)
    }
}

import Foundation
@testable import SynclineConnectors
@testable import SynclineMapping

/// One record through a shipped connector (connectors/*.yaml against topics/*.yaml): the first byte
/// picks the connector, the rest is the record value. Declared connectors run decode → map → validate;
/// `im` and `telephony` run their decode stage and their code's message / call parser. Every rejection
/// must name a stage and a code the error table knows.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapping(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, count)
    guard let selector = bytes.first else { return 0 }
    let connectors = ShippedConnectors.all
    let connector = connectors[Int(selector) % connectors.count]
    let value = Array(bytes.dropFirst())
    let input = InputRecord(
        topic: connector.spec.inputTopics.first ?? "raw", partition: 0, offset: 0, key: Array("k".utf8), value: value,
        headers: [RecordHeader(HeaderNames.ceID, "fuzz-1")], timestampMs: 1_700_000_000_000)
    switch connector.pipeline.run(input) {
    case .success(let context):
        guard let document = context.document else { return 0 }
        switch connector.spec.processor {
        case "telephony"?: check(Result { () throws(Rejection) in try connector.calls?.parse(document) })
        case "im"?: check(Result { () throws(Rejection) in try connector.chats?.parse(document, headerEventID: "fuzz-1") })
        default:
            for output in context.outputs {
                if let value = output.value { require((try? JSONParser.parse(value)) != nil, "a canonical output is not JSON") }
            }
        }
    case .failure(let rejection):
        check(Result<Void, Rejection>.failure(rejection))
    }
    return 0
}

func check<T>(_ result: Result<T, Rejection>) {
    guard case .failure(let rejection) = result else { return }
    require(ErrorCode(rawValue: rejection.code) != nil, "unknown error code \(rejection.code) at \(rejection.stage)")
}

/// The shipped connectors, loaded once from the repository (SYNCLINE_ROOT, else the current directory).
struct ShippedConnectors: Sendable {
    let spec: ConnectorSpec
    let pipeline: RecordPipeline
    let calls: CallEventParser?
    let chats: ChatMessageParser?

    static let all: [ShippedConnectors] = {
        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SYNCLINE_ROOT"] ?? FileManager.default.currentDirectoryPath)
        do {
            let catalog = try TopicCatalog.load(directory: root.appendingPathComponent("topics"))
            let specs = try ConnectorSpecParser.loadAll(directory: root.appendingPathComponent("connectors"))
            return try specs.sorted { $0.name < $1.name }.map { spec throws(ConfigProblems) in
                switch spec.processor {
                case "telephony"?:
                    return ShippedConnectors(
                        spec: spec, pipeline: RecordPipeline(stages: [CallPayloadDecodeStage(spec: spec)]),
                        calls: CallEventParser(settings: try TelephonySettings(spec: spec), connector: spec.name), chats: nil)
                case "im"?:
                    return ShippedConnectors(
                        spec: spec, pipeline: RecordPipeline(stages: [DecodeStage(spec: spec)]), calls: nil,
                        chats: ChatMessageParser(settings: try IMSettings(spec: spec), connector: spec.name))
                default:
                    return ShippedConnectors(spec: spec, pipeline: try PipelineBuilder.build(spec, catalog: catalog), calls: nil, chats: nil)
                }
            }
        } catch {
            fatalError("cannot load the shipped connectors under \(root.path): \(error)")
        }
    }()
}

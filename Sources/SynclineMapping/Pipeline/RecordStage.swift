/// One step of a connector's pipeline (decode, map, validate, link, …). Stages are synchronous and
/// pure over the context so the runtime can batch them on its own thread; a stage that cannot
/// handle a record throws a `Rejection`, which sends the record to the DLQ with its original bytes.
public protocol RecordStage: Sendable {
    var name: String { get }
    func process(_ context: inout RecordContext) throws(Rejection)
}

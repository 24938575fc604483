/// One step of a connector's pipeline (decode, map, validate, link, …). Stages are synchronous so
/// the runtime can batch them on its own thread, and most are pure over the context. A stage whose
/// results depend on state kept from earlier records says so by adopting `StatefulRecordStage`
/// (a best-effort memory, such as a dedupe cache or a copy handed to a background recorder, does
/// not count). A stage that cannot handle a record throws a `Rejection`, which sends the record
/// to the DLQ with its original bytes.
public protocol RecordStage: Sendable {
    var name: String { get }
    func process(_ context: inout RecordContext) throws(Rejection)
}

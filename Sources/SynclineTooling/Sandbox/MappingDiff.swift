public import SynclineMapping

/// Runs two pipelines of one connector (old and new mapping) over the same real records without
/// producing anything, and compares what each would deliver: the "sandbox upgrade" of `syncline diff`.
/// Values and fill rates are compared over the records both versions deliver, so records that one
/// version rejects show as rejections, not as fill-rate noise in unrelated fields.
public enum MappingDiff {
    /// Compares `old` and `new` on every input. `exampleLimit` bounds the examples kept per finding.
    public static func run(
        old: RecordPipeline, new: RecordPipeline, inputs: [SandboxInput], oldVersion: String, newVersion: String,
        exampleLimit: Int = 3
    ) -> MappingDiffReport {
        var report = MappingDiffReport(
            oldVersion: oldVersion, newVersion: newVersion, records: inputs.count, oldRejected: 0, newRejected: 0,
            routeChanges: [], fieldChanges: [], newRejections: [], resolvedRejections: [], changedRejections: [],
            fillRates: [], disappearedFields: [], appearedFields: [])
        var changes: [String: MappingDiffReport.FieldChange] = [:]
        var oldFill = FillCounts()
        var newFill = FillCounts()
        var paired: [String: Int] = [:]
        for input in inputs {
            let before = old.run(input.record)
            let after = new.run(input.record)
            switch (before, after) {
            case (.success(let was), .success(let now)):
                oldFill.count(was.outputs)
                newFill.count(now.outputs)
                compare(was.outputs, now.outputs, label: input.label, into: &changes, routeChanges: &report.routeChanges, paired: &paired, exampleLimit: exampleLimit)
            case (.success(let was), .failure(let rejection)):
                report.newRejected += 1
                report.newRejections.append(change(input, rejection, eventID: was.eventID, other: nil))
            case (.failure(let rejection), .success(let now)):
                report.oldRejected += 1
                report.resolvedRejections.append(change(input, rejection, eventID: now.eventID, other: nil))
            case (.failure(let was), .failure(let now)):
                report.oldRejected += 1
                report.newRejected += 1
                if was.code != now.code || was.field != now.field {
                    report.changedRejections.append(change(input, now, eventID: nil, other: was))
                }
            }
        }
        for field in changes.keys { changes[field]?.compared = paired[FillCounts.topic(of: field)] ?? 0 }
        report.fieldChanges = changes.values.sorted { $0.changed != $1.changed ? $0.changed > $1.changed : $0.field < $1.field }
        for field in Set(oldFill.filled.keys).union(newFill.filled.keys).sorted() {
            let topic = FillCounts.topic(of: field)
            let rate = MappingDiffReport.FillRate(
                field: field, oldFilled: oldFill.filled[field] ?? 0, oldOutputs: oldFill.outputs[topic] ?? 0,
                newFilled: newFill.filled[field] ?? 0, newOutputs: newFill.outputs[topic] ?? 0)
            if rate.oldFilled * rate.newOutputs != rate.newFilled * rate.oldOutputs { report.fillRates.append(rate) }
            if rate.oldFilled > 0 && rate.newFilled == 0 && rate.newOutputs > 0 { report.disappearedFields.append(field) }
            if rate.newFilled > 0 && rate.oldFilled == 0 && rate.oldOutputs > 0 { report.appearedFields.append(field) }
        }
        return report
    }

    static func change(_ input: SandboxInput, _ rejection: Rejection, eventID: String?, other: Rejection?) -> MappingDiffReport.RejectionChange {
        MappingDiffReport.RejectionChange(
            record: input.label, eventID: eventID, code: rejection.code, field: rejection.field, message: rejection.message,
            otherCode: other?.code, otherField: other?.field)
    }

    /// Pairs the outputs of one record by topic (in order) and records every field whose value differs.
    static func compare(
        _ old: [OutputRecord], _ new: [OutputRecord], label: String, into changes: inout [String: MappingDiffReport.FieldChange],
        routeChanges: inout [MappingDiffReport.Example], paired: inout [String: Int], exampleLimit: Int
    ) {
        let oldTopics = old.map(\.topic)
        let newTopics = new.map(\.topic)
        if oldTopics != newTopics, routeChanges.count < 1_000 {
            routeChanges.append(.init(record: label, old: oldTopics.joined(separator: ", "), new: newTopics.joined(separator: ", ")))
        }
        var remaining = new
        for output in old {
            guard let index = remaining.firstIndex(where: { $0.topic == output.topic }) else { continue }
            let other = remaining.remove(at: index)
            var differing: [(field: String, old: String?, new: String?)] = []
            if output.key != other.key {
                differing.append(("(key)", output.key.map { String(decoding: $0, as: UTF8.self) }, other.key.map { String(decoding: $0, as: UTF8.self) }))
            }
            let before = FillCounts.members(output.value)
            let after = FillCounts.members(other.value)
            let names = Set(before.keys).union(after.keys)
            for name in names.sorted() where before[name] != after[name] {
                differing.append((name, before[name]?.jsonText, after[name]?.jsonText))
            }
            paired[output.topic, default: 0] += 1
            for item in differing {
                let field = output.topic + "." + item.field
                changes[field, default: .init(field: field, changed: 0, compared: 0, examples: [])].changed += 1
                if let current = changes[field], current.examples.count < exampleLimit {
                    changes[field]?.examples.append(.init(record: label, old: item.old, new: item.new))
                }
            }
        }
    }
}

import SynclineMapping

/// What a new mapping would change over real records, compared with the old one (`syncline diff`):
/// per canonical field the outputs whose value changes, records newly rejected or newly accepted,
/// fill-rate changes and fields no output carries any more. Built by `MappingDiff.run`.
public struct MappingDiffReport: Sendable {
    /// One record's value of a field before and after (JSON text; nil: the field is absent).
    public struct Example: Sendable, Equatable {
        public var record: String
        public var old: String?
        public var new: String?
    }

    /// A canonical field (`crm.leads.v1.customer_level`) whose value changed in some outputs.
    public struct FieldChange: Sendable, Equatable {
        public var field: String
        public var changed: Int
        /// Outputs of the field's topic that both mappings produced for the same record.
        public var compared: Int
        public var examples: [Example]
    }

    /// A record one mapping delivers and the other rejects, or that both reject for different reasons.
    public struct RejectionChange: Sendable, Equatable {
        public var record: String
        public var eventID: String?
        public var code: String
        public var field: String?
        public var message: String
        /// For a changed reason: the other mapping's code (and field).
        public var otherCode: String?
        public var otherField: String?
    }

    /// The share of a topic's outputs in which a field has a value, before and after.
    public struct FillRate: Sendable, Equatable {
        public var field: String
        public var oldFilled: Int
        public var oldOutputs: Int
        public var newFilled: Int
        public var newOutputs: Int

        public var oldRate: Double { oldOutputs == 0 ? 0 : Double(oldFilled) / Double(oldOutputs) }
        public var newRate: Double { newOutputs == 0 ? 0 : Double(newFilled) / Double(newOutputs) }
    }

    public var oldVersion: String
    public var newVersion: String
    public var records: Int
    public var oldRejected: Int
    public var newRejected: Int
    /// Records both mappings deliver whose outputs go to different topics (a route condition changed).
    public var routeChanges: [Example]
    public var fieldChanges: [FieldChange]
    public var newRejections: [RejectionChange]
    /// Records the old mapping rejects and the new one delivers.
    public var resolvedRejections: [RejectionChange]
    /// Records both reject, with a different code or field.
    public var changedRejections: [RejectionChange]
    /// Only fields whose fill rate differs (over the records both versions deliver).
    public var fillRates: [FillRate]
    /// Fields some old output filled that no new output fills.
    public var disappearedFields: [String]
    /// Fields some new output fills that no old output filled.
    public var appearedFields: [String]

    /// True when nothing a consumer could notice changes.
    public var isUnchanged: Bool {
        routeChanges.isEmpty && fieldChanges.isEmpty && newRejections.isEmpty && resolvedRejections.isEmpty
            && changedRejections.isEmpty && fillRates.isEmpty && disappearedFields.isEmpty && appearedFields.isEmpty
    }

    /// New rejections per `code field`, most frequent first.
    public var newRejectionCounts: [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for item in newRejections { counts[item.code + (item.field.map { " (field \($0))" } ?? ""), default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

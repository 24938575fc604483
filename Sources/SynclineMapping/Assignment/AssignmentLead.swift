/// The fields of a crm.leads.v1 record the assignment rules read, plain text.
public struct AssignmentLead: Sendable, Equatable {
    public var leadID: String
    public var fields: [String: String]
    /// When the lead happened (`occurred_at`), ms since the epoch, when known.
    public var occurredAtMs: Int64?

    public init(leadID: String, fields: [String: String], occurredAtMs: Int64? = nil) {
        self.leadID = leadID
        self.fields = fields
        self.occurredAtMs = occurredAtMs
    }

    /// Reads a lead record; nil when it has no `lead_id`.
    public init?(document: JSONValue) {
        guard let object = document.objectValue, let id = object["lead_id"].flatMap(FieldConversion.scalarText), !id.isEmpty else { return nil }
        leadID = id
        var fields: [String: String] = [:]
        for field in AssignmentRules.Field.allCases {
            if let text = object[field.leadField].flatMap(FieldConversion.scalarText) {
                let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                if !trimmed.isEmpty { fields[field.leadField] = trimmed }
            }
        }
        self.fields = fields
        occurredAtMs = object["occurred_at"].flatMap(FieldConversion.scalarText).flatMap { try? TimestampParser.utc.milliseconds($0) }
    }

    public func value(_ field: AssignmentRules.Field) -> String? { fields[field.leadField] }
}

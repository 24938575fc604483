/// One field of a canonical topic's schema: its type and domain, so every produced record can be checked.
public struct FieldSchema: Sendable, Equatable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    /// Allowed values for `enum` fields.
    public var values: [String]?
    /// Digits after the point for `decimal` fields.
    public var scale: Int?
    public var maxLength: Int?
    public var description: String?

    public init(
        name: String, type: FieldType, required: Bool = false, values: [String]? = nil,
        scale: Int? = nil, maxLength: Int? = nil, description: String? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.values = values
        self.scale = scale
        self.maxLength = maxLength
        self.description = description
    }
}

/// The pipeline stage at which a record was rejected (`syncline-error-stage` header values).
public enum ErrorStage: String, Sendable, Equatable, CaseIterable, Codable {
    case decode
    case map
    case validate
    case link
    case produce
}

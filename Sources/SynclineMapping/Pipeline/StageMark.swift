/// One byte naming the kind of stage a record is in (0: none), as the runtime's crash-mark file
/// keeps it: written before each stage, read back by the next start after a crash.
public enum StageMark {
    /// The kind of stage a pipeline stage counts as, by its name: payload checks and decoders are
    /// decode, validators validate, the code-level processors' linking is link, the rest map.
    public static func errorStage(ofStageNamed name: String) -> ErrorStage {
        switch name {
        case "decode", "payload", "headers": return .decode
        case "validate": return .validate
        case "im", "telephony": return .link
        default: return .map
        }
    }

    public static func byte(for stage: ErrorStage) -> UInt8 {
        UInt8(truncatingIfNeeded: (ErrorStage.allCases.firstIndex(of: stage) ?? 0) + 1)
    }

    /// The stage a byte names; nil for 0 (no stage) or a byte no stage has.
    public static func stage(_ byte: UInt8) -> ErrorStage? {
        let index = Int(byte) - 1
        return ErrorStage.allCases.indices.contains(index) ? ErrorStage.allCases[index] : nil
    }
}

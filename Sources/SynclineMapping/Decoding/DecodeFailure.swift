/// Why a payload could not be decoded: a stable decode error code and a specific reason.
public struct DecodeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var reason: String

    public init(_ code: ErrorCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}

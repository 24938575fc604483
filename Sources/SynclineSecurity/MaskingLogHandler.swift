public import Logging
import SynclineMapping

/// A `LogHandler` wrapper that masks personal data (phones, emails, message text) and redacts
/// secrets in every message and metadata value before the wrapped handler sees them.
/// With `masker.unmasked` (`--log-unmasked`, local work only) personal data passes; secrets never do.
public struct MaskingLogHandler: LogHandler {
    public var wrapped: any LogHandler
    public let masker: PIIMasker

    public init(wrapping handler: any LogHandler, masker: PIIMasker = PIIMasker()) {
        self.wrapped = handler
        self.masker = masker
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { wrapped.metadata }
        set { wrapped.metadata = newValue.reduce(into: [:]) { $0[$1.key] = mask($1.value, key: $1.key) } }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { wrapped[metadataKey: key] }
        set { wrapped[metadataKey: key] = newValue.map { mask($0, key: key) } }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public func log(event: LogEvent) {
        var masked = event
        masked.message = "\(masker.mask(event.message.description))"
        var metadata = event.metadata.map { $0.reduce(into: Logger.Metadata()) { $0[$1.key] = mask($1.value, key: $1.key) } }
        if let error = event.error {
            // Errors may quote payloads or credentials: pass their masked text, never the value.
            masked.error = nil
            metadata = (metadata ?? [:]).merging(["error": .string(masker.mask("\(error)"))]) { _, new in new }
        }
        masked.metadata = metadata
        wrapped.log(event: masked)
    }

    private func mask(_ value: Logger.Metadata.Value, key: String) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): return .string(masker.mask(value: text, key: key))
        case .stringConvertible(let convertible): return .string(masker.mask(value: convertible.description, key: key))
        case .array(let items): return .array(items.map { mask($0, key: key) })
        case .dictionary(let entries): return .dictionary(entries.reduce(into: [:]) { $0[$1.key] = mask($1.value, key: $1.key) })
        }
    }
}

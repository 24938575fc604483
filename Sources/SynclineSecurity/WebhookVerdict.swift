/// What a verified request asks the ingress to do.
public enum WebhookVerdict: Sendable, Equatable {
    /// Publish these bytes (the body, or WeCom's decrypted XML); `replayKey` identifies the signed
    /// request for the replay guard (nil when the scheme has none).
    case publish(body: [UInt8], replayKey: String?)
    /// Answer with this text and publish nothing (WeCom's URL verification).
    case answer(String)
}

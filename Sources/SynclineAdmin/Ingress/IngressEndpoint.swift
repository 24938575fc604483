import Foundation
public import SynclineCore
public import SynclineSecurity
import Synchronization

/// One connector's webhook ingress at run time: its settings, its verifier (or why it has none),
/// its request-rate bucket and its replay guard.
public final class IngressEndpoint: Sendable {
    public let connector: ConnectorSpec
    public let ingress: IngressSpec
    /// The raw topic bodies go to.
    public let topic: String
    /// The verifier, or `.notConfigured` when a secret is missing from the environment.
    public let verifier: Result<WebhookVerifier, WebhookRejection>
    public let replayGuard: ReplayGuard
    private let bucket: Mutex<TokenBucket>

    /// - Parameter environment: where `secret_env` / `aes_key_env` are looked up.
    public init?(connector: ConnectorSpec, environment: [String: String]) {
        guard let ingress = connector.ingress, let topic = ingress.topic ?? connector.inputTopics.first else { return nil }
        self.connector = connector
        self.ingress = ingress
        self.topic = topic
        let secret = ingress.secretEnv.flatMap { environment[$0] }
        let aesKey = ingress.aesKeyEnv.flatMap { environment[$0] }
        do throws(WebhookRejection) {
            verifier = .success(try WebhookVerifier(spec: ingress, secret: secret, aesKey: aesKey))
        } catch {
            verifier = .failure(error)
        }
        replayGuard = ReplayGuard(windowSeconds: ingress.replayWindowSeconds)
        bucket = Mutex(TokenBucket(rate: ingress.ratePerSecond, burst: ingress.burst, nowNanos: Self.nowNanos()))
    }

    /// The secret values this endpoint uses (to keep them out of logs).
    public static func secrets(of spec: IngressSpec, environment: [String: String]) -> [String] {
        [spec.secretEnv, spec.aesKeyEnv].compactMap { $0.flatMap { environment[$0] } }
    }

    /// Nil when a request may proceed now; otherwise the seconds to wait (for `Retry-After`).
    func throttle() -> Int? {
        let now = Self.nowNanos()
        return bucket.withLock { bucket -> Int? in
            if bucket.tryTake(nowNanos: now) { return nil }
            let wait = bucket.nanosUntilAvailable(nowNanos: now)
            return max(1, Int((Double(wait) / 1e9).rounded(.up)))
        }
    }

    static func nowNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

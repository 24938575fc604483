import Foundation
public import SynclineMapping
public import SynclineSecurity
import Synchronization

/// One connector's webhook ingress at run time: its settings, its verifier (or why it has none),
/// its two rate-limit buckets (per sending address before verification, the connector's after)
/// and its replay guard.
public final class IngressEndpoint: Sendable {
    public let connector: ConnectorSpec
    public let ingress: IngressSpec
    /// The raw topic bodies go to.
    public let topic: String
    /// The verifier, or `.notConfigured` when a secret is missing from the environment.
    public let verifier: Result<WebhookVerifier, WebhookRejection>
    public let replayGuard: ReplayGuard
    private let bucket: Mutex<TokenBucket>
    private let sources: Mutex<SourceBuckets>

    /// - Parameter environment: where `secret_env` / `aes_key_env` / `receiver_id_env` are looked up.
    public init?(connector: ConnectorSpec, environment: [String: String]) {
        guard let ingress = connector.ingress, let topic = ingress.topic ?? connector.inputTopics.first else { return nil }
        self.connector = connector
        self.ingress = ingress
        self.topic = topic
        let secret = ingress.secretEnv.flatMap { environment[$0] }
        let aesKey = ingress.aesKeyEnv.flatMap { environment[$0] }
        let receiver = ingress.receiverIDEnv.flatMap { environment[$0] }
        do throws(WebhookRejection) {
            verifier = .success(try WebhookVerifier(spec: ingress, secret: secret, aesKey: aesKey, receiverID: receiver))
        } catch {
            verifier = .failure(error)
        }
        replayGuard = ReplayGuard(windowSeconds: ingress.replayWindowSeconds)
        let now = Self.nowNanos()
        bucket = Mutex(TokenBucket(rate: ingress.ratePerSecond, burst: ingress.burst, nowNanos: now))
        sources = Mutex(SourceBuckets(rate: ingress.sourceRatePerSecond, burst: ingress.sourceBurst))
    }

    /// The secret values this endpoint uses (to keep them out of logs).
    public static func secrets(of spec: IngressSpec, environment: [String: String]) -> [String] {
        [spec.secretEnv, spec.aesKeyEnv].compactMap { $0.flatMap { environment[$0] } }
    }

    /// The variables a deployment must set for this endpoint.
    public var requiredVariables: [String] {
        [ingress.secretEnv, ingress.aesKeyEnv, ingress.receiverIDEnv].compactMap { $0 }
    }

    /// The sending address's bucket: nil when the request may proceed to verification; otherwise
    /// the seconds to wait (for `Retry-After`).
    func throttle(source: String) -> Int? {
        let now = Self.nowNanos()
        return sources.withLock { $0.take(source: source, nowNanos: now) }.map(Self.seconds)
    }

    /// The connector's bucket, taken only by verified, non-replayed requests.
    func throttle() -> Int? {
        let now = Self.nowNanos()
        return bucket.withLock { bucket -> Int? in
            if bucket.tryTake(nowNanos: now) { return nil }
            return Self.seconds(bucket.nanosUntilAvailable(nowNanos: now))
        }
    }

    static func seconds(_ nanos: UInt64) -> Int { max(1, Int((Double(nanos) / 1e9).rounded(.up))) }

    static func nowNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

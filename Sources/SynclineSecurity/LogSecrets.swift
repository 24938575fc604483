/// Which environment values are secrets to keep out of logs: the admin token, and any variable
/// whose name says it holds a password, secret, token or key (e.g. `SYNCLINE_KAFKA_SASL_PASSWORD`,
/// `SYNCLINE_KAFKA_SSL_KEY`, `STRIPE_KEY`, the ingress `secret_env` variables).
public enum LogSecrets {
    static let markers = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "PRIVATE", "CREDENTIAL"]

    public static func values(in environment: [String: String]) -> [String] {
        environment.compactMap { name, value in
            let upper = name.uppercased()
            return markers.contains(where: { upper.contains($0) }) && !value.isEmpty ? value : nil
        }
    }
}

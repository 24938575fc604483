import SynclineSecurity
import Testing

@Suite("Which environment values are secrets to keep out of logs")
struct LogSecretsTests {
    @Test("names with PASSWORD, SECRET, TOKEN, KEY, PRIVATE or CREDENTIAL mark secrets; empty values and other names do not")
    func markers() {
        let environment = [
            "STRIPE_KEY": "sk_live_1234", "SYNCLINE_KAFKA_SSL_KEY": "-----BEGIN", "SYNCLINE_WECOM_AES_KEY": "aes-value-1",
            "SYNCLINE_TWILIO_AUTH_TOKEN": "twilio-tok", "DB_PASSWORD": "hunter22", "GCP_CREDENTIALS": "json-blob",
            "EMPTY_SECRET": "", "HOME": "/root", "SYNCLINE_INGRESS": "0.0.0.0:8081",
        ]
        let secrets = Set(LogSecrets.values(in: environment))
        #expect(secrets == ["sk_live_1234", "-----BEGIN", "aes-value-1", "twilio-tok", "hunter22", "json-blob"])
    }
}

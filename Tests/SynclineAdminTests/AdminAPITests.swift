import Foundation
import SynclineAdmin
import Testing

@Suite("Admin API over a real listener against a fake backend: routes, JSON shapes, the token, errors")
struct AdminAPITests {
    static let token = "admin-test-token"
    static let bearer = ["Authorization": "Bearer \(token)"]
    static let basic = ["Authorization": "Basic " + Data("ops:\(token)".utf8).base64EncodedString()]

    @Test("probes: /healthz answers ok; /readyz answers ready, or 503 with every reason the backend gives")
    func probes() async throws {
        let server = try await AdminServerHarness.start()
        let health = try await server.call("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.text == "ok\n")
        #expect(try await server.call("GET", "/readyz").text == "ready\n")
        try await server.stop()

        var values = FakeAdminBackend.Values()
        values.reasons = ["connector im has no partitions assigned yet", "the identity index has not caught up with crm.customers.v1 yet"]
        let waiting = try await AdminServerHarness.start(FakeAdminBackend(values))
        let ready = try await waiting.call("GET", "/readyz")
        #expect(ready.status == 503)
        #expect(ready.text == "not ready:\n- connector im has no partitions assigned yet\n- the identity index has not caught up with crm.customers.v1 yet\n")
        try await waiting.stop()
    }

    @Test("/metrics serves the backend's exposition as Prometheus text; / is the HTML status page")
    func metricsAndStatusPage() async throws {
        let server = try await AdminServerHarness.start()
        let metrics = try await server.call("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(metrics.text == server.backend.values.metrics)
        let page = try await server.call("GET", "/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("<html"))
        try await server.stop()
    }

    @Test("GET /api/v1/connectors lists every connector in snake_case")
    func connectors() async throws {
        let server = try await AdminServerHarness.start()
        let answer = try await server.call("GET", "/api/v1/connectors")
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"] == "application/json; charset=utf-8" || answer.headers["content-type"] == "application/json")
        let list = try #require(try answer.object()["connectors"] as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["im", "telephony"])
        let first = try #require(list.first)
        #expect(first["state"] as? String == "running")
        #expect(first["mapping_version"] as? String == "im-1")
        #expect(first["input_topics"] as? [String] == ["raw.im.v1"])
        #expect(first["assigned_partitions"] as? Int == 4)
        #expect(first["records_per_second"] as? Double == 12.5)
        #expect(first["dead_lettered"] as? Int == 2)
        #expect(first["lag_records"] as? Int == 7)
        #expect((first["field_empty_rates"] as? [String: Double])?["city"] == 0.25)
        let decoded = try JSONDecoder().decode([String: [ConnectorStatus]].self, from: answer.body)
        #expect(decoded["connectors"] == server.backend.values.statuses)
        try await server.stop()
    }

    @Test("mutating calls without a configured token are refused (403) and never reach the backend")
    func mutationsWithoutConfiguredToken() async throws {
        let server = try await AdminServerHarness.start()
        for action in ["pause", "resume", "stop", "start"] {
            let answer = try await server.call("POST", "/api/v1/connectors/im/\(action)", headers: Self.bearer)
            #expect(answer.status == 403, "\(action)")
            #expect(try answer.object()["error"] as? String == "mutating calls are disabled: no admin token is configured (SYNCLINE_ADMIN_TOKEN)")
        }
        #expect(server.backend.calls.isEmpty)
        try await server.stop()
    }

    @Test("mutating calls take the Bearer token only: none, wrong or Basic → 401 with a Bearer challenge; right → the backend acts")
    func mutationsNeedBearer() async throws {
        let server = try await AdminServerHarness.start(token: Self.token)
        for headers in [[:], ["Authorization": "Bearer wrong"], Self.basic] {
            let refused = try await server.call("POST", "/api/v1/connectors/im/pause", headers: headers)
            #expect(refused.status == 401, "\(headers)")
            #expect(refused.headers["www-authenticate"] == "Bearer")
            #expect(try refused.object()["error"] as? String == "a valid bearer token is required")
        }
        #expect(server.backend.calls.isEmpty)
        for (action, state) in [("pause", "paused"), ("resume", "running"), ("stop", "stopped")] {
            let answer = try await server.call("POST", "/api/v1/connectors/im/\(action)", headers: Self.bearer)
            #expect(answer.status == 200, "\(action): \(answer.text)")
            #expect(try answer.object() as? [String: String] == ["connector": "im", "state": state])
        }
        let start = try await server.call("POST", "/api/v1/connectors/telephony/start", headers: Self.bearer)
        #expect(try start.object() as? [String: String] == ["connector": "telephony", "state": "running"])
        #expect(server.backend.calls == ["pause im", "resume im", "stop im", "start telephony"])
        try await server.stop()
    }

    @Test("an unknown connector: pause and resume answer 404, stop and start 409, each naming it")
    func unknownConnector() async throws {
        let server = try await AdminServerHarness.start(token: Self.token)
        for action in ["pause", "resume"] {
            let answer = try await server.call("POST", "/api/v1/connectors/nope/\(action)", headers: Self.bearer)
            #expect(answer.status == 404)
            #expect(try answer.object()["error"] as? String == "no connector named 'nope'")
        }
        let stop = try await server.call("POST", "/api/v1/connectors/nope/stop", headers: Self.bearer)
        #expect(stop.status == 409)
        #expect(try stop.object()["error"] as? String == "no running connector named 'nope'")
        let start = try await server.call("POST", "/api/v1/connectors/im/start", headers: Self.bearer)
        #expect(start.status == 409)
        #expect(try start.object()["error"] as? String == "no connector named 'im' stopped by an operator")
        try await server.stop()
    }

    @Test("GET /api/v1/channels/health asks for the window's start and shows rates; a bad window is a 400")
    func channelHealth() async throws {
        let server = try await AdminServerHarness.start()
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let answer = try await server.call("GET", "/api/v1/channels/health?window=1h")
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(answer.status == 200)
        let object = try answer.object()
        #expect(object["window"] as? String == "1h")
        let channel = try #require((object["channels"] as? [[String: Any]])?.first)
        #expect(channel["connector"] as? String == "im")
        #expect(channel["consumed"] as? Int == 200)
        #expect(channel["rejected"] as? Int == 10)
        #expect(channel["success_rate"] as? Double == 0.95)
        #expect(channel["delayed_share"] as? Double == 0.025)
        let since = try #require(server.backend.calls.first.flatMap { Int64($0.split(separator: " ")[1]) })
        #expect((before - 3_600_000)...(after - 3_600_000) ~= since, "since \(since)")

        _ = try await server.call("GET", "/api/v1/channels/health")
        let daySince = try #require(server.backend.calls.last.flatMap { Int64($0.split(separator: " ")[1]) })
        #expect(Int64(Date().timeIntervalSince1970 * 1000) - daySince >= 86_400_000, "the default window is 24h")

        let bad = try await server.call("GET", "/api/v1/channels/health?window=soon")
        #expect(bad.status == 400)
        #expect(bad.text.contains("window 'soon' is not a duration like 30m, 24h or 7d"))
        #expect(server.backend.calls.count == 2, "a bad window asks nothing of the backend")
        try await server.stop()
    }

    @Test("GET /api/v1/latency/samples passes the connector and a limit clamped to 1…500; timestamps side by side")
    func latencySamples() async throws {
        let server = try await AdminServerHarness.start()
        let answer = try await server.call("GET", "/api/v1/latency/samples?connector=im&limit=2")
        #expect(answer.status == 200)
        let sample = try #require((try answer.object()["samples"] as? [[String: Any]])?.first)
        #expect(sample["event_id"] as? String == "evt-1")
        #expect(sample["source"] as? String == "raw.im.messages.v1[3]@17")
        #expect(sample["source_ts"] as? String == "2026-09-21T14:13:20.000Z")
        #expect(sample["ack_ts"] as? String == "2026-09-21T14:15:00.000Z")
        #expect(sample["delay_ms"] as? Int == 100_000)
        #expect(sample["attribution"] as? String == "upstream")
        #expect(sample["output_topic"] as? String == "crm.activities.v1")
        _ = try await server.call("GET", "/api/v1/latency/samples")
        _ = try await server.call("GET", "/api/v1/latency/samples?limit=0")
        _ = try await server.call("GET", "/api/v1/latency/samples?limit=100000")
        #expect(server.backend.calls == ["delayedSamples im 2", "delayedSamples - 5", "delayedSamples - 1", "delayedSamples - 500"])
        try await server.stop()
    }

    @Test("GET /api/v1/dlq masks the reason by default; ?unmasked=1 needs the token (403 none configured, 401 without) and then shows it")
    func deadLetters() async throws {
        let server = try await AdminServerHarness.start(token: Self.token)
        let masked = try await server.call("GET", "/api/v1/dlq?connector=signup&code=invalid_phone")
        #expect(masked.status == 200)
        let entry = try #require((try masked.object()["dead_letters"] as? [[String: Any]])?.first)
        #expect(entry["code"] as? String == "invalid_phone")
        #expect(entry["field"] as? String == "phone")
        #expect(entry["source"] as? String == "raw.marketing.events.v1[1]@9")
        #expect(entry["dlq"] as? String == "hub.dlq.signup.v1[0]@4")
        #expect(entry["failed_at"] as? String == "2026-09-21T14:13:20.000Z")
        let message = try #require(entry["message"] as? String)
        #expect(message.contains("phone '***' omitted") && !message.contains("li.lei@example.com"), "\(message)")
        #expect(try await server.call("GET", "/api/v1/dlq?unmasked=1").status == 401)
        let open = try await server.call("GET", "/api/v1/dlq?unmasked=1&limit=9999", headers: Self.bearer)
        #expect(open.status == 200)
        #expect(open.text.contains("phone '12345' omitted") && open.text.contains("li.lei@example.com"))
        #expect(server.backend.calls == ["deadLetters signup invalid_phone 100", "deadLetters - - 5000"])
        try await server.stop()

        let tokenless = try await AdminServerHarness.start()
        let refused = try await tokenless.call("GET", "/api/v1/dlq?unmasked=1", headers: Self.bearer)
        #expect(refused.status == 403)
        #expect(try refused.object()["error"] as? String == "unmasked reads need the admin token, and none is configured (SYNCLINE_ADMIN_TOKEN)")
        #expect(tokenless.backend.calls.isEmpty)
        try await tokenless.stop()
    }

    @Test("GET /api/v1/alerts masks external phones unless the token asks; /api/v1/latency/percentiles lists each connector")
    func statusPageQueries() async throws {
        let server = try await AdminServerHarness.start(token: Self.token)
        let masked = try await server.call("GET", "/api/v1/alerts")
        #expect(masked.status == 200)
        let alert = try #require((try masked.object()["alerts"] as? [[String: Any]])?.first)
        #expect(alert["alert_id"] as? String == "a-1")
        #expect(alert["call_id"] as? String == "CA-9")
        #expect(alert["record"] as? String == "hub.alerts.v1[0]@5")
        #expect(!masked.text.contains("+14155550123"))
        let open = try await server.call("GET", "/api/v1/alerts?limit=3&unmasked=1", headers: Self.bearer)
        #expect(open.text.contains("+14155550123"))
        #expect(server.backend.calls == ["recentAlerts 20", "recentAlerts 3"])

        let percentiles = try await server.call("GET", "/api/v1/latency/percentiles")
        #expect(percentiles.status == 200)
        let first = try #require((try percentiles.object()["connectors"] as? [[String: Any]])?.first)
        #expect(first["connector"] as? String == "im")
        #expect(first["p99_seconds"] as? Double == 2.5)
        #expect(first["window_seconds"] as? Int == 300)
        try await server.stop()
    }

    @Test("a failing store answers 500 without its error text; a backend without declarations has no lineage map (404)")
    func errors() async throws {
        var values = FakeAdminBackend.Values()
        values.failing = true
        let server = try await AdminServerHarness.start(FakeAdminBackend(values))
        for path in ["/api/v1/channels/health", "/api/v1/latency/samples", "/api/v1/dlq"] {
            let answer = try await server.call("GET", path)
            #expect(answer.status == 500, "\(path)")
            #expect(!answer.text.contains("ledger.sqlite"), "\(path): \(answer.text)")
        }
        for path in ["/lineage", "/lineage.svg", "/api/v1/lineage"] {
            #expect(try await server.call("GET", path).status == 404, "\(path)")
        }
        #expect(try await server.call("GET", "/api/v1/nothing-here").status == 404)
        try await server.stop()
    }

    @Test("off loopback: reads need the token (Bearer or a Basic password), probes stay open; no token at all refuses to start")
    func offLoopback() async throws {
        #expect(throws: AdminServer.UnsafeConfiguration.self) {
            _ = try AdminServer.make(
                backend: FakeAdminBackend(), settings: .init(host: "0.0.0.0", port: 0, token: nil), logger: AdminServerHarness.logger)
        }
        let server = try await AdminServerHarness.start(token: Self.token, host: "0.0.0.0")
        for path in ["/api/v1/connectors", "/api/v1/dlq", "/metrics", "/"] {
            let refused = try await server.call("GET", path)
            #expect(refused.status == 401, "\(path)")
            #expect(refused.headers["www-authenticate"] == "Bearer")
            #expect(try await server.call("GET", path, headers: Self.bearer).status == 200, "\(path) with Bearer")
            #expect(try await server.call("GET", path, headers: Self.basic).status == 200, "\(path) with Basic")
        }
        #expect(try await server.call("GET", "/healthz").status == 200)
        #expect(try await server.call("GET", "/readyz").status == 200)
        try await server.stop()
    }
}

/// The stable list of rejection codes (`syncline-error-code` header). Codes are never renamed or
/// reused: dashboards, DLQ filters (`syncline dlq list --code`) and fixtures depend on them.
public enum ErrorCode: String, Sendable, CaseIterable, Equatable {
    // decode
    case payloadMissing = "payload_missing"
    case payloadTooLarge = "payload_too_large"
    case invalidJSON = "invalid_json"
    case invalidUTF8 = "invalid_utf8"
    case invalidXML = "invalid_xml"
    case invalidForm = "invalid_form"
    case invalidCSV = "invalid_csv"
    case notAnObject = "not_an_object"
    case eventIDMissing = "event_id_missing"
    // map
    case noRoute = "no_route"
    case requiredMissing = "required_missing"
    case wrongType = "wrong_type"
    case notANumber = "not_a_number"
    case notAnInteger = "not_an_integer"
    case intOutOfRange = "int_out_of_range"
    case decimalScaleExceeded = "decimal_scale_exceeded"
    case decimalOverflow = "decimal_overflow"
    case divisionByZero = "division_by_zero"
    case invalidBool = "invalid_bool"
    case invalidTimestamp = "invalid_timestamp"
    case invalidPhone = "invalid_phone"
    case invalidEmail = "invalid_email"
    case valueNotInEnum = "value_not_in_enum"
    case tooLong = "too_long"
    case keyMissing = "key_missing"
    case notDecoded = "not_decoded"
    // validate
    case unknownField = "unknown_field"
    case unknownTopic = "unknown_topic"
    case invalidOutput = "invalid_output"
    // validate: route and item checks (`checks:`, `item_checks:`)
    case checkFailed = "check_failed"
    case netAmountMismatch = "net_amount_mismatch"
    case lineTotalMismatch = "line_total_mismatch"
    case orderTotalMismatch = "order_total_mismatch"
    case contactMissing = "contact_missing"

    // link: code-level processors (im, telephony)
    case stateUnavailable = "state_unavailable"
    /// The brokers refused the output for good (e.g. too large); the input goes to the DLQ.
    case produceRejected = "produce_rejected"
    /// One output kept failing for `retry.give_up_after_ms` while its sink's breaker stayed closed.
    case retriesExhausted = "retries_exhausted"
    /// The hub crashed twice on this record; sent to the DLQ untouched (the stage is the one it crashed in).
    case poisonPill = "poison_pill"

    /// The stage that normally reports the code (some codes, e.g. `required_missing`, occur in map and validate).
    public var stage: ErrorStage {
        switch self {
        case .payloadMissing, .payloadTooLarge, .invalidJSON, .invalidUTF8, .invalidXML, .invalidForm, .invalidCSV,
            .notAnObject, .eventIDMissing:
            return .decode
        case .unknownField, .unknownTopic, .invalidOutput, .checkFailed, .netAmountMismatch, .lineTotalMismatch,
            .orderTotalMismatch, .contactMissing:
            return .validate
        case .stateUnavailable:
            return .link
        case .produceRejected, .retriesExhausted:
            return .produce
        default:
            return .map
        }
    }

    /// One line saying what the code means (the list in connectors/README.md mirrors this).
    public var meaning: String {
        switch self {
        case .payloadMissing: return "the record's value is null (a tombstone) or empty (0 bytes) but the connector needs a payload"
        case .payloadTooLarge: return "the value is larger than the connector's max_payload_bytes (default 1 MiB)"
        case .invalidJSON: return "the value is not strict RFC 8259 JSON (message gives the reason and byte offset)"
        case .invalidUTF8: return "the value (or a string in it) is not valid UTF-8 (message gives the byte offset)"
        case .invalidXML: return "the value is not well-formed XML"
        case .invalidForm: return "the value is not valid application/x-www-form-urlencoded (bad percent-encoding)"
        case .invalidCSV: return "the value is not one CSV record matching the declared or first-line header"
        case .notAnObject: return "the decoded payload is not an object (e.g. a bare JSON array or string)"
        case .eventIDMissing: return "the connector declares event_id but neither that path nor the ce_id header has a value"
        case .noRoute: return "no route's `when` condition matched the record"
        case .requiredMissing: return "a required field has no value (source missing, null or empty and no default)"
        case .wrongType: return "the value has the wrong JSON kind for the field (e.g. an object for a string)"
        case .notANumber: return "a decimal/int field (or arithmetic operand) got text that is not a number"
        case .notAnInteger: return "an int field got a number with a fractional part"
        case .intOutOfRange: return "an int field got a number outside the 64-bit signed range"
        case .decimalScaleExceeded: return "a decimal has more digits after the point than the field's scale"
        case .decimalOverflow: return "a decimal is too large for exact 18-digit arithmetic"
        case .divisionByZero: return "an expression divided by zero"
        case .invalidBool: return "a bool field got something other than true/false/yes/no/1/0"
        case .invalidTimestamp: return "a timestamp is not RFC 3339/ISO-8601, a local date-time, or epoch seconds/ms"
        case .invalidPhone: return "a phone number cannot be normalised to E.164 (message says why: letters, too short, …)"
        case .invalidEmail: return "an email address is not syntactically valid"
        case .valueNotInEnum: return "an enum value is neither mapped by the rule's `map` nor one of the schema's values"
        case .tooLong: return "a string is longer than max_length characters"
        case .keyMissing: return "the route's key field has no value, so the output cannot be keyed"
        case .notDecoded: return "the map stage ran without a decoded document (pipeline misconfiguration)"
        case .unknownField: return "the output has a field the topic schema does not declare"
        case .unknownTopic: return "the output topic is not in the topic catalog"
        case .invalidOutput: return "the output value is not a JSON object"
        case .checkFailed: return "a route or item check (`checks:`, `item_checks:`) did not hold; the message shows the values"
        case .netAmountMismatch: return "the net amount the upstream stated differs from gross − fee − fx_loss (both values in the message)"
        case .lineTotalMismatch: return "an order line's quantity × unit price differs from its stated line total (both values in the message)"
        case .orderTotalMismatch: return "the order lines do not add up to the order's subtotal, or subtotal − discount + tax + shipping ≠ total"
        case .contactMissing: return "a lead has neither a usable phone number nor a usable email address"
        case .stateUnavailable: return "a stateful processor (im, telephony) could not write its state (SQLite); the record is not committed as handled"
        case .produceRejected: return "the brokers refused an output for good (e.g. larger than the topic allows); the message gives librdkafka's error"
        case .retriesExhausted: return "an output kept failing for retry.give_up_after_ms (default 5 minutes) while the sink's circuit breaker stayed closed (the sink judged healthy); the message gives the topic, attempts and last error"
        case .poisonPill: return "the hub crashed twice on this record (a trap or fault in the stage named); it is sent untouched so the connector carries on, and alerted"
        }
    }
}

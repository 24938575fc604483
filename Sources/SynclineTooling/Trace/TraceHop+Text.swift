import Foundation
import SynclineMapping

extension TraceHop {
    /// One line of `syncline trace`: indentation by depth, kind, coordinates, time, delay after the
    /// raw record, and what the headers (or, for alerts and observations, the value) say about it.
    public func line(mask: (String) -> String) -> String {
        let indent = String(repeating: "  ", count: depth)
        let time = record.timestampMs.map { UTCTimestamp.format(ms: $0) } ?? "(no timestamp)"
        let delay = delayMs.map { "+\($0) ms" } ?? "?"
        var facts: [String] = []
        if let key = record.key { facts.append("key=\(mask(String(decoding: key, as: UTF8.self)))") }
        if let id = header(HeaderNames.ceID) { facts.append("ce_id=\(id)") }
        if let connector = header(HeaderNames.connector) { facts.append("connector=\(connector)") }
        if let route = header(HeaderNames.route) { facts.append("route=\(route)") }
        if let version = header(HeaderNames.mappingVersion) { facts.append("mapping=\(version)") }
        if let ms = header(HeaderNames.delayMs) { facts.append("delay_ms=\(ms)") }
        if header(HeaderNames.delayed) == "true" { facts.append("DELAYED") }
        if kind == .dlq {
            facts.append("code=\(header(HeaderNames.errorCode) ?? "?")")
            if let field = header(HeaderNames.errorField) { facts.append("field=\(field)") }
            if let message = header(HeaderNames.errorMessage) { facts.append("reason=\(mask(message))") }
        }
        if kind == .alert || kind == .latency, let value = record.value, let document = try? JSONParser.parse(value) {
            for member in ["kind", "severity", "attribution", "delay_ms", "upstream_ms", "queue_ms", "processing_ms", "message"] {
                guard let found = document[member] else { continue }
                let text = found.stringValue ?? found.jsonText
                facts.append("\(member)=\(member == "message" ? mask(text) : text)")
            }
        }
        let name = kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
        return "\(indent)\(name) \(record.coordinates)  \(time)  \(delay)  " + facts.joined(separator: " ")
    }
}

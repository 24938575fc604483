import Foundation
import SynclineMapping

extension MappingDiffReport {
    /// The report as `syncline diff` prints it. `mask` is applied to every value and message shown
    /// (personal data: phones, emails); pass the identity for unmasked output.
    public func lines(mask: (String) -> String) -> [String] {
        var out: [String] = []
        out.append("records: \(records) · rejected before: \(oldRejected) · after: \(newRejected)")
        out.append("")
        if fieldChanges.isEmpty {
            out.append("changed fields: none")
        } else {
            out.append("changed fields (outputs whose value changes, of those both versions deliver):")
            for change in fieldChanges {
                out.append("  \(change.field): \(change.changed) of \(change.compared)")
                for example in change.examples {
                    out.append("    \(example.record): \(mask(example.old ?? "(absent)")) → \(mask(example.new ?? "(absent)"))")
                }
            }
        }
        if !routeChanges.isEmpty {
            out.append("records delivered to other topics: \(routeChanges.count)")
            for example in routeChanges.prefix(3) {
                out.append("  \(example.record): [\(example.old ?? "")] → [\(example.new ?? "")]")
            }
        }
        out.append(contentsOf: rejectionLines("new rejections (delivered before, DLQ now)", newRejections, mask: mask))
        out.append(contentsOf: rejectionLines("no longer rejected (DLQ before, delivered now)", resolvedRejections, mask: mask))
        if !changedRejections.isEmpty {
            out.append("rejected by both, for another reason: \(changedRejections.count)")
            for item in changedRejections.prefix(3) {
                out.append("  \(item.record): \(item.otherCode ?? "?")\(item.otherField.map { " (\($0))" } ?? "") → \(item.code)\(item.field.map { " (\($0))" } ?? "")")
            }
        }
        if fillRates.isEmpty {
            out.append("fill rates: unchanged")
        } else {
            out.append("fill rates (share of outputs with a value):")
            for rate in fillRates {
                out.append("  \(rate.field): \(Self.percent(rate.oldRate)) → \(Self.percent(rate.newRate))")
            }
        }
        out.append("fields no output carries any more: \(disappearedFields.isEmpty ? "none" : disappearedFields.joined(separator: ", "))")
        if !appearedFields.isEmpty { out.append("fields only the new version fills: \(appearedFields.joined(separator: ", "))") }
        return out
    }

    func rejectionLines(_ title: String, _ items: [RejectionChange], mask: (String) -> String) -> [String] {
        guard !items.isEmpty else { return ["\(title): none"] }
        var out = ["\(title): \(items.count)"]
        var counts: [String: Int] = [:]
        for item in items { counts[item.code + (item.field.map { " (field \($0))" } ?? ""), default: 0] += 1 }
        for (reason, count) in counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            out.append("  \(reason): \(count)")
        }
        for item in items.prefix(3) {
            out.append("    \(item.record)\(item.eventID.map { " (event \($0))" } ?? ""): \(mask(item.message))")
        }
        return out
    }

    static func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }
}

@testable import SynclineHub
import Testing

@Suite("Scheduled reconciliation: which gaps are alerted")
struct ReconciliationAlertRuleTests {
    @Test("a gap is alerted once two runs in a row saw the same figures, once per figures; a passing mid-ingest gap never is")
    func settledGapsOnly() {
        // First sight: not yet (a run can land while one side is still being ingested).
        #expect(!ReconciliationService.shouldRaise(figures: "A", previous: nil, raised: nil))
        // The next run sees other figures (ingest went on): still not.
        #expect(!ReconciliationService.shouldRaise(figures: "B", previous: "A", raised: nil))
        // Seen unchanged twice: alerted.
        #expect(ReconciliationService.shouldRaise(figures: "B", previous: "B", raised: nil))
        // Already alerted with these figures: not again.
        #expect(!ReconciliationService.shouldRaise(figures: "B", previous: "B", raised: "B"))
        // The figures change after the alert (a late booking): alerted again once they settle.
        #expect(!ReconciliationService.shouldRaise(figures: "C", previous: "B", raised: "B"))
        #expect(ReconciliationService.shouldRaise(figures: "C", previous: "C", raised: "B"))
    }
}

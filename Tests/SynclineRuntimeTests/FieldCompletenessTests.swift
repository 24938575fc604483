import SynclineMapping
@testable import SynclineRuntime
import Testing

/// Field completeness is marked by label index and counted into arrays; the oracle is the way it was
/// counted before: one hashed dictionary update per label per record.
@Suite struct FieldCompletenessTests {
    @Test func indexedCountsMatchPerRecordDictionaryCounts() {
        // 300 labels, so the inline words and the overflow words are both used; labels repeat, as
        // two routes to one topic share them.
        let labels = FieldLabels(names: (0..<300).map { "field_\($0 % 250)" })
        var state: UInt64 = 42
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var counter = FieldCompletenessCounter()
        var indexed = ConnectorActivity(connector: "c", atMs: 0)
        var expected = ConnectorActivity(connector: "c", atMs: 0)
        for record in 0..<3_000 {
            var marks = FieldMarks()
            var filled: [String] = []
            var empty: [String] = []
            // Routes mark ascending ranges, as MapStage and the compiled plans do.
            var index = Int(next() % 20)
            while index < labels.names.count {
                let isFilled = next() % 3 != 0
                marks.mark(index, filled: isFilled, labels: labels)
                if isFilled { filled.append(labels.names[index]) } else { empty.append(labels.names[index]) }
                index += 1 + Int(next() % 40)
            }
            #expect(marks.filledFields == filled)
            #expect(marks.emptyFields == empty)
            counter.count(marks, into: &indexed)
            for field in filled { expected.fieldSeen[field, default: 0] += 1 }
            for field in empty {
                expected.fieldSeen[field, default: 0] += 1
                expected.fieldEmpty[field, default: 0] += 1
            }
            if record % 97 == 0 { counter.fold(into: &indexed) }
        }
        counter.fold(into: &indexed)
        #expect(indexed.fieldSeen == expected.fieldSeen)
        #expect(indexed.fieldEmpty == expected.fieldEmpty)
        // Folding again adds nothing.
        counter.fold(into: &indexed)
        #expect(indexed.fieldSeen == expected.fieldSeen)
    }

    @Test func recordsWithoutMarksCountNothing() {
        var counter = FieldCompletenessCounter()
        var activity = ConnectorActivity(connector: "c", atMs: 0)
        counter.count(FieldMarks(), into: &activity)
        counter.fold(into: &activity)
        #expect(activity.fieldSeen.isEmpty && activity.isEmpty)
    }
}

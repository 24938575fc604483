import SynclineTestSupport

/// Inputs for the byte-level conversions' oracle tests: seeds as people and systems write them,
/// and seeded mutations of them (a byte replaced, inserted or removed from an alphabet of the
/// characters that matter), so both the accepted and the refused side of each grammar are walked.
enum ByteConversionCorpus {
    static func mutations(of seeds: [String], alphabet: [String], count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(state: seed)
        var out = seeds
        for index in 0..<count {
            var characters = Array(seeds[index % seeds.count])
            let edits = 1 + Int(random.next() % 3)
            for _ in 0..<edits {
                let position = characters.isEmpty ? 0 : Int(random.next() % UInt64(characters.count + 1))
                let piece = Array(alphabet[Int(random.next() % UInt64(alphabet.count))])
                switch random.next() % 3 {
                case 0 where position < characters.count:
                    characters.replaceSubrange(position...position, with: piece)
                case 1 where position < characters.count:
                    characters.remove(at: position)
                default:
                    characters.insert(contentsOf: piece, at: position)
                }
            }
            out.append(String(characters))
        }
        return out
    }

    /// Calls `body` with the text's UTF-8 bytes as a range inside a larger buffer, between bytes
    /// no valid value holds (`[[` … `]]`), so a read outside the range would change the answer.
    static func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>, Int, Int) -> T) -> T {
        let bytes = Array("[[" .utf8) + Array(text.utf8) + Array("]]".utf8)
        return bytes.withUnsafeBufferPointer { body($0, 2, $0.count - 2) }
    }
}

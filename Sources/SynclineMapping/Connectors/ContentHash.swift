/// A short, stable content hash (FNV-1a 64) used as a mapping version when a file declares none.
public enum ContentHash {
    public static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return "h" + String(repeating: "0", count: 16 - digits.count) + digits
    }
}

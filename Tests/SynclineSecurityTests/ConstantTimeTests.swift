import SynclineSecurity
import Testing

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test("equal, different, shorter, longer and empty inputs")
    func comparisons() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abd", "abc"))
        #expect(!ConstantTime.equals("ab", "abc"))
        #expect(!ConstantTime.equals("abcd", "abc"))
        #expect(!ConstantTime.equals("", ""))
    }
}

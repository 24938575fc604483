/// What one scan of a record left for the compiled routes: the slots of the paths they read and
/// the members collected for `extra` (both in temporary storage that lives for the record).
struct ScanResult {
    let slots: UnsafeMutableBufferPointer<ByteSlot>
    let members: UnsafeMutableBufferPointer<CollectedMember>
    let memberCount: Int
}

/// Field completeness of one record by index, without a String or a hash per field: which of the
/// connector's completeness labels (`FieldLabels`) its routes checked, and which of those were filled.
/// The first 128 labels live inline (no allocation); a connector with more keeps the rest in an array.
public struct FieldMarks: Sendable, Equatable {
    /// The connector's labels the indices refer to (nil until a route marks a field).
    public private(set) var labels: FieldLabels?
    private var checked0: UInt64 = 0
    private var checked1: UInt64 = 0
    private var filled0: UInt64 = 0
    private var filled1: UInt64 = 0
    /// Labels from 128 on: pairs of words (checked, filled) per 64 labels.
    private var more: [UInt64] = []

    public init() {}

    public var isEmpty: Bool { checked0 == 0 && checked1 == 0 && more.allSatisfy { $0 == 0 } }

    /// Notes that label `index` of `labels` was checked, and whether it had a value.
    public mutating func mark(_ index: Int, filled: Bool, labels: FieldLabels) {
        if self.labels !== labels { self.labels = labels }
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0:
            checked0 |= bit
            if filled { filled0 |= bit }
        case 1:
            checked1 |= bit
            if filled { filled1 |= bit }
        default:
            let pair = ((index >> 6) - 2) * 2
            if more.count < pair + 2 { more.append(contentsOf: repeatElement(0, count: pair + 2 - more.count)) }
            more[pair] |= bit
            if filled { more[pair + 1] |= bit }
        }
    }

    /// Calls `body` for every checked label in ascending index (the order the routes marked them).
    @inline(__always)
    public func forEach(_ body: (_ index: Int, _ filled: Bool) -> Void) {
        Self.walk(checked0, filled0, base: 0, body)
        Self.walk(checked1, filled1, base: 64, body)
        var pair = 0
        while pair + 1 < more.count {
            Self.walk(more[pair], more[pair + 1], base: 128 + pair * 32, body)
            pair += 2
        }
    }

    @inline(__always)
    private static func walk(_ checked: UInt64, _ filled: UInt64, base: Int, _ body: (Int, Bool) -> Void) {
        var rest = checked
        while rest != 0 {
            let bit = rest.trailingZeroBitCount
            body(base + bit, filled & (UInt64(1) << UInt64(bit)) != 0)
            rest &= rest &- 1
        }
    }

    /// Labels of the fields filled, in order.
    public var filledFields: [String] { names(filled: true) }
    /// Labels of the fields left empty, in order.
    public var emptyFields: [String] { names(filled: false) }

    private func names(filled wanted: Bool) -> [String] {
        guard let labels else { return [] }
        var names: [String] = []
        forEach { index, filled in
            if filled == wanted { names.append(labels.names[index]) }
        }
        return names
    }

    public static func == (lhs: FieldMarks, rhs: FieldMarks) -> Bool {
        lhs.filledFields == rhs.filledFields && lhs.emptyFields == rhs.emptyFields
    }
}

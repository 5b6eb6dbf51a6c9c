/// Comparison whose time depends only on the lengths, never on where the inputs first differ,
/// so a forger learns nothing from how fast a signature is refused.
public enum ConstantTime {
    @inlinable
    public static func equals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

/// The shape a provider's credential really has, and the test that a configured value has it and is
/// not a placeholder. A webhook function checks its secret with this at start: a secret anyone can
/// guess (`…_pending`, `WH-1`, `pub`) would let anyone sign notifications that move money.
///
/// Its problems never quote the value: they end up in init errors and logs.
public struct SecretShape: Sendable {
    /// The characters a real value is made of after `prefix`.
    public enum Alphabet: Sendable {
        /// A–Z a–z 0–9.
        case alphanumeric
        /// A–Z 0–9.
        case upperAlphanumeric
        /// a–z 0–9.
        case lowerAlphanumeric

        func contains(_ byte: UInt8) -> Bool {
            let digit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            let lower = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            let upper = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            switch self {
            case .alphanumeric: return digit || lower || upper
            case .upperAlphanumeric: return digit || upper
            case .lowerAlphanumeric: return digit || lower
            }
        }

        var name: String {
            switch self {
            case .alphanumeric: "letters and digits"
            case .upperAlphanumeric: "upper-case letters and digits"
            case .lowerAlphanumeric: "lower-case letters and digits"
            }
        }
    }

    public var prefix: String
    public var alphabet: Alphabet
    public var lengths: ClosedRange<Int>
    /// Fewer different characters than this is a typed or repeated value, not a random one. Chosen so a
    /// random value of the shortest length (hex, or ids made mostly of digits) falls below it less than
    /// once in ten billion.
    public var minimumDistinct: Int

    public init(prefix: String = "", alphabet: Alphabet, lengths: ClosedRange<Int>, minimumDistinct: Int) {
        self.prefix = prefix
        self.alphabet = alphabet
        self.lengths = lengths
        self.minimumDistinct = minimumDistinct
    }

    /// Words of placeholders people type (compared ignoring case). Six letters or more, so a random
    /// value of these alphabets holds one by chance far less than once in a million.
    static let placeholderWords = [
        "pending", "placeholder", "changeme", "replace", "example", "secret", "sample", "fixture", "simulator",
        "default", "password", "notreal", "dummyvalue", "testing", "insert", "public", "private", "client",
    ]

    /// The longest run of one character, or of consecutive characters (`abcdefgh`, `12345678`), a random value
    /// may hold: longer runs are typed.
    static let longestRun = 7

    /// What is wrong with `value` in words that never quote it, or nil when it has the shape.
    public func problem(with value: String) -> String? {
        let expected = "\(prefix)\(prefix.isEmpty ? "" : " followed by ")\(describeLengths) \(alphabet.name)"
        guard value.hasPrefix(prefix) else { return "does not have the provider's shape (\(expected))" }
        let body = Array(value.utf8.dropFirst(prefix.utf8.count))
        guard lengths.contains(body.count), body.allSatisfy(alphabet.contains) else {
            return "does not have the provider's shape (\(expected))"
        }
        if Set(body).count < minimumDistinct || Self.hasLongRun(body) {
            return "is not random enough to be the provider's (too few different characters, or a run like aaaa… or 1234…)"
        }
        let lowered = String(decoding: body.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
        if Self.placeholderWords.contains(where: { lowered.contains($0) }) {
            return "looks like a placeholder, not the provider's value"
        }
        return nil
    }

    private var describeLengths: String {
        if lengths.lowerBound == lengths.upperBound { return "\(lengths.lowerBound)" }
        if lengths.upperBound >= 1024 { return "at least \(lengths.lowerBound)" }
        return "\(lengths.lowerBound) to \(lengths.upperBound)"
    }

    static func hasLongRun(_ bytes: [UInt8]) -> Bool {
        var same = 1, rising = 1, falling = 1
        for (previous, next) in zip(bytes, bytes.dropFirst()) {
            same = next == previous ? same + 1 : 1
            rising = next == previous &+ 1 ? rising + 1 : 1
            falling = next &+ 1 == previous ? falling + 1 : 1
            if max(same, rising, falling) > longestRun { return true }
        }
        return false
    }
}

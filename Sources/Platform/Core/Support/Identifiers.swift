/// Random identifiers: a prefix and 24 characters of Crockford base32 (120 bits).
public enum Identifiers {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var id = prefix + "_"
        for _ in 0..<24 { id.append(alphabet[Int(generator.next() % 32)]) }
        return id
    }
}

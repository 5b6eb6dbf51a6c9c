/// application/x-www-form-urlencoded, as some provider APIs take it and some webhooks send it.
public enum FormURLEncoding {
    /// Encodes pairs in order; keys like `metadata[order_id]` are kept literally (bracketed nesting, as form APIs use it).
    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Decodes a body into pairs; nil on invalid percent-encoding or UTF-8.
    public static func decode(_ bytes: [UInt8]) -> [(String, String)]? {
        var pairs: [(String, String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let kv = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = unescape(kv[0]), let value = kv.count == 2 ? unescape(kv[1]) : "" else { return nil }
            pairs.append((key, value))
        }
        return pairs
    }

    public static func escape(_ text: String) -> String {
        PercentEncoding.encode(text.utf8)
    }

    static func unescape<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        PercentEncoding.decodeStrictly(bytes, plusIsSpace: true).flatMap { String(validating: $0, as: UTF8.self) }
    }
}

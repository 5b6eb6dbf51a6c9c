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

    static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                out += "%" + Hex.byte(byte, uppercase: true)
            }
        }
        return out
    }

    static func unescape<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let high = bytes.index(after: index)
                guard high != bytes.endIndex else { return nil }
                let low = bytes.index(after: high)
                guard low != bytes.endIndex, let h = Hex.value(bytes[high]), let l = Hex.value(bytes[low]) else { return nil }
                out.append(h << 4 | l)
                index = low
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(validating: out, as: UTF8.self)
    }
}

/// RFC 3986 percent-encoding over bytes: one writer and one reader of %XX for URL text (SigV4's
/// canonical paths and queries, path segments) and form bodies (`FormURLEncoding`).
public enum PercentEncoding {
    /// Kept as is: the RFC's unreserved characters. Everything else becomes %XX with upper-case hex.
    private static let unreserved: Set<UInt8> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    public static func encode<S: Sequence>(_ bytes: S, keeping extra: Set<UInt8> = []) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if unreserved.contains(byte) || extra.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Undoes %XX escapes, leniently: `+` stays `+` unless `plusIsSpace` (it is a space only in form
    /// bodies and query strings read as forms), and a `%` not followed by two hex digits is kept
    /// literally, so any URL text decodes to some bytes instead of failing.
    public static func decode<C: Collection>(_ bytes: C, plusIsSpace: Bool = false) -> [UInt8] where C.Element == UInt8 {
        // A lenient decoding has no failure: the fallback is never taken.
        decode(bytes, plusIsSpace: plusIsSpace, keepingBrokenEscapes: true) ?? Array(bytes)
    }

    /// Undoes %XX escapes strictly: nil when a `%` is not followed by two hex digits. With `plusIsSpace`
    /// (form bodies), `+` is a space.
    package static func decodeStrictly<C: Collection>(_ bytes: C, plusIsSpace: Bool) -> [UInt8]? where C.Element == UInt8 {
        decode(bytes, plusIsSpace: plusIsSpace, keepingBrokenEscapes: false)
    }

    private static func decode<C: Collection>(_ bytes: C, plusIsSpace: Bool, keepingBrokenEscapes: Bool) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let high = bytes.index(after: index)
                let low = high == bytes.endIndex ? high : bytes.index(after: high)
                if low != bytes.endIndex, let h = Hex.value(bytes[high]), let l = Hex.value(bytes[low]) {
                    out.append(h << 4 | l)
                    index = bytes.index(after: low)
                    continue
                }
                guard keepingBrokenEscapes else { return nil }
                out.append(byte)
            } else {
                out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            }
            index = bytes.index(after: index)
        }
        return out
    }
}

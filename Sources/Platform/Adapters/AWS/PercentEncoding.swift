import Platform

/// RFC 3986 percent-encoding over bytes, as SigV4 canonicalises paths and query strings.
enum PercentEncoding {
    /// Kept as is: the RFC's unreserved characters. Everything else becomes %XX with upper-case hex.
    private static let unreserved: Set<UInt8> = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func encode<S: Sequence>(_ bytes: S, keeping extra: Set<UInt8> = []) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes {
            if unreserved.contains(byte) || extra.contains(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Undoes %XX escapes. `+` stays `+` (it is not a space outside form bodies), and a `%` not followed by
    /// two hex digits is kept literally, so any URL text decodes to some bytes instead of failing.
    static func decode<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        let bytes = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = Hex.value(bytes[index + 1]), let low = Hex.value(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }
}

/// Reading with a selection: the same grammar and checks as the full reader, in the same order, so
/// a text is refused with the same error either way; only what the selection names becomes values.
extension StrictJSONParser {
    mutating func document(keeping selection: JSONSelection) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw fail("empty JSON text") }
        let value = try self.value(keeping: selection)
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected characters after the JSON value") }
        return value
    }

    mutating func value(keeping selection: JSONSelection) throws(JSONSyntaxError) -> JSONValue {
        guard selection.members != nil, index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            return try value()
        }
        return .object(try members(keeping: selection))
    }

    /// Checks one value without building it.
    mutating func skipValue() throws(JSONSyntaxError) {
        guard index < bytes.count else { throw fail("unexpected end of JSON text") }
        switch bytes[index] {
        case UInt8(ascii: "{"): _ = try members(keeping: nil)
        case UInt8(ascii: "["): try skipArray()
        case UInt8(ascii: "\""): _ = try stringContent()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw fail("unexpected character")
        }
    }

    /// An object's members that `wanted` names (none when `wanted` is nil), every member checked.
    mutating func members(keeping wanted: JSONSelection?) throws(JSONSyntaxError) -> [String: JSONValue] {
        try enter()
        index += 1
        var kept: [String: JSONValue] = [:]
        if let count = wanted?.members?.count { kept.reserveCapacity(count) }
        var keys = ObjectKeys()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return kept
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyOffset = index
            let key = try stringContent()
            let isASCII = key.allSatisfy { $0 < 0x80 }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            index += 1
            skipWhitespace()
            if let member = wanted?.member(key, isASCII: isASCII) {
                kept[String(decoding: key, as: UTF8.self)] = try value(keeping: member.selection)
            } else {
                try skipValue()
            }
            guard keys.insert(key, isASCII: isASCII) else { throw JSONSyntaxError(reason: "repeated key in an object", offset: keyOffset) }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of JSON text in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in an object") }
            index += 1
            depth -= 1
            return kept
        }
    }

    mutating func skipArray() throws(JSONSyntaxError) {
        try enter()
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try skipValue()
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of JSON text in an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in an array") }
            index += 1
            depth -= 1
            return
        }
    }
}

/// The keys of one object so far, compared as the full reader's dictionary compares them (String
/// equality). ASCII keys, nearly all of them, are compared as bytes, which for ASCII is the same; a
/// long list becomes a set, so a body of many keys stays linear. Once a key is not ASCII, every key is
/// compared as a String (canonical equivalence: "e\u{301}" is "\u{e9}", U+212A is "K").
struct ObjectKeys {
    /// The keys so far with a cheap hash of each (FNV-1a), so a new key is compared with an old one
    /// only when their hashes match: comparing every pair of byte slices cost 400 instructions a key.
    private var few: [(hash: UInt64, key: ArraySlice<UInt8>)] = []
    private var many: Set<ArraySlice<UInt8>>?
    private var strings: Set<String>?

    /// False when `key` (its content bytes, escapes resolved) was already there.
    mutating func insert(_ key: ArraySlice<UInt8>, isASCII: Bool) -> Bool {
        if strings == nil, isASCII {
            if many != nil { return many!.insert(key).inserted }
            let hash = Self.fnv1a(key)
            for entry in few where entry.hash == hash && entry.key == key { return false }
            if few.isEmpty { few.reserveCapacity(16) }
            few.append((hash, key))
            if few.count > 32 {
                many = Set(few.map(\.key))
                few = []
            }
            return true
        }
        if strings == nil {
            strings = Set((many.map(Array.init) ?? few.map(\.key)).map { String(decoding: $0, as: UTF8.self) })
        }
        return strings!.insert(String(decoding: key, as: UTF8.self)).inserted
    }

    private static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in buffer { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return hash
        }
    }
}

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
        guard case .members(let wanted) = selection, index < bytes.count, bytes[index] == UInt8(ascii: "{") else {
            return try value()
        }
        return .object(try members(keeping: wanted))
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

    /// An object's members named in `wanted` (none when `wanted` is nil), every member checked.
    mutating func members(keeping wanted: [String: JSONSelection]?) throws(JSONSyntaxError) -> [String: JSONValue] {
        try enter()
        index += 1
        var kept: [String: JSONValue] = [:]
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
            let key = String(decoding: try stringContent(), as: UTF8.self)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            index += 1
            skipWhitespace()
            if let selection = wanted?[key] {
                kept[key] = try value(keeping: selection)
            } else {
                try skipValue()
            }
            guard keys.insert(key) else { throw JSONSyntaxError(reason: "repeated key in an object", offset: keyOffset) }
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
/// equality). A short list is searched; a long one becomes a set, so a body of many keys stays linear.
struct ObjectKeys {
    private var few: [String] = []
    private var many: Set<String>?

    /// False when `key` was already there.
    mutating func insert(_ key: String) -> Bool {
        if many != nil { return many!.insert(key).inserted }
        if few.contains(key) { return false }
        few.append(key)
        if few.count > 16 {
            many = Set(few)
            few = []
        }
        return true
    }
}

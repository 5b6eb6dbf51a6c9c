/// A JSON text that a strict reader refuses. The reason names the rule and the byte offset, never
/// the content, since the content may be a secret or card data.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public var offset: Int

    public var description: String { "\(reason) (at byte \(offset))" }
}

extension JSONValue {
    /// Reads exactly one RFC 8259 JSON text, and refuses what other parsers would read differently:
    /// a repeated object key (some keep the first value, most the last), invalid UTF-8, lone
    /// surrogates, and nesting deeper than `maximumDepth` (which would otherwise exhaust the stack).
    public init(parsing bytes: [UInt8], maximumDepth: Int = 64) throws(JSONSyntaxError) {
        self = try StrictJSONParser.read(bytes, keeping: .all, maximumDepth: maximumDepth)
    }

    public init(parsing text: String, maximumDepth: Int = 64) throws(JSONSyntaxError) {
        try self.init(parsing: Array(text.utf8), maximumDepth: maximumDepth)
    }
}

struct StrictJSONParser {
    /// The text, borrowed for the length of one `read`: a buffer, not an array, so that a string's
    /// content is a range of it and reading one costs no reference counting.
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var index = 0
    var depth = 0
    var keys = ObjectKeys()
    /// Where a selection with slots (`JSONPaths`) puts what it names, instead of building objects.
    var captures = JSONCaptures.Slots()

    static func read(_ bytes: [UInt8], keeping selection: JSONSelection, maximumDepth: Int) throws(JSONSyntaxError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSONValue in
            var parser = StrictJSONParser(bytes: buffer, maximumDepth: maximumDepth)
            return try parser.document(keeping: selection)
        }
    }

    static func capture(_ bytes: [UInt8], _ paths: JSONPaths, maximumDepth: Int) throws(JSONSyntaxError) -> JSONCaptures.Slots {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSONCaptures.Slots in
            var parser = StrictJSONParser(bytes: buffer, maximumDepth: maximumDepth)
            parser.captures = JSONCaptures.Slots(count: paths.slotCount)
            _ = try parser.document(keeping: paths.selection)
            return parser.captures
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// The one JSON text, built as `selection` says (`.all`: everything).
    mutating func document(keeping selection: JSONSelection) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw fail("empty JSON text") }
        let value = try self.value(keeping: selection) ?? .null  // never nil: a selection was given
        skipWhitespace()
        guard index == bytes.count else { throw fail("unexpected characters after the JSON value") }
        return value
    }

    func fail(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(reason: reason, offset: index) }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// One value, built as `selection` says. Without a selection the value is read and checked by
    /// exactly the same rules, in the same order, but nothing is built (and nil is returned): what
    /// the reader is not asked for costs no strings or dictionaries, and is refused alike.
    mutating func value(keeping selection: JSONSelection?) throws(JSONSyntaxError) -> JSONValue? {
        guard index < bytes.count else { throw fail("unexpected end of JSON text") }
        let build = selection != nil
        switch bytes[index] {
        case UInt8(ascii: "{"):
            let members = try object(keeping: selection)
            if let slot = selection?.slot, selection?.members != nil {
                // Its named members went to their slots: the object itself is only noted as one.
                captures.objects[slot] = true
                return nil
            }
            return build ? .object(members) : nil
        case UInt8(ascii: "["):
            let elements = try array(building: build)
            return build ? .array(elements) : nil
        case UInt8(ascii: "\""):
            let content = try stringContent()
            return build ? .string(content.withBytes(in: bytes) { String(decoding: $0, as: UTF8.self) }) : nil
        case UInt8(ascii: "t"):
            try literal("true")
            return build ? JSONValue.bool(true) : nil
        case UInt8(ascii: "f"):
            try literal("false")
            return build ? JSONValue.bool(false) : nil
        case UInt8(ascii: "n"):
            try literal("null")
            return build ? JSONValue.null : nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber()
            return build ? .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) : nil
        default:
            throw fail("unexpected character")
        }
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= maximumDepth else { throw fail("JSON nested deeper than \(maximumDepth) levels") }
    }

    /// An object's members that `selection` keeps (none without a selection), every member checked.
    mutating func object(keeping selection: JSONSelection?) throws(JSONSyntaxError) -> [String: JSONValue] {
        try enter()
        index += 1
        var members: [String: JSONValue] = [:]
        if selection?.slot == nil, let count = selection?.members?.count { members.reserveCapacity(count) }
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return members
        }
        var frame = keys.open()
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyOffset = index
            let key = try stringContent()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            index += 1
            skipWhitespace()
            let kept = selection.flatMap { selection in key.withBytes(in: bytes) { selection.selection(for: $0, isASCII: key.isASCII) } }
            if let member = try value(keeping: kept) {
                if let slot = kept?.slot {
                    captures.values[slot] = member
                } else {
                    members[key.withBytes(in: bytes) { String(decoding: $0, as: UTF8.self) }] = member
                }
            }
            guard keys.insert(key, in: &frame, text: bytes) else {
                throw JSONSyntaxError(reason: "repeated key in an object", offset: keyOffset)
            }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of JSON text in an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in an object") }
            index += 1
            depth -= 1
            keys.close(frame)
            return members
        }
    }

    /// An array's elements when `building`, every element checked either way.
    mutating func array(building: Bool) throws(JSONSyntaxError) -> [JSONValue] {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return elements
        }
        while true {
            skipWhitespace()
            if let element = try value(keeping: building ? .all : nil) { elements.append(element) }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of JSON text in an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in an array") }
            index += 1
            depth -= 1
            return elements
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("unexpected end of JSON text") }
        let matches = word.withUTF8Buffer { expected in
            (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw fail("unexpected character") }
        index += count
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`: the number is kept as written.
    mutating func scanNumber() throws(JSONSyntaxError) {
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a number needs digits") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw fail("a number must not have leading zeros") }
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a fraction needs digits") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("an exponent needs digits") }
            skipDigits()
        }
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    /// A string's content, escapes resolved and checked to be UTF-8: a range of the text itself when
    /// it has no escape, so a string that is only checked costs no allocation.
    mutating func stringContent() throws(JSONSyntaxError) -> StringContent {
        index += 1
        let start = index
        // Fast path: up to the first quote, backslash or control character, eight bytes at a time,
        // noting whether any byte is not ASCII (only then is the UTF-8 checked).
        var highBits: UInt64 = 0
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if Self.hasQuoteBackslashOrControl(word) { break }
                highBits |= word
                index += 8
            }
        }
        var highByte: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            highByte |= byte
            index += 1
        }
        let isASCII = highBits & 0x8080_8080_8080_8080 == 0 && highByte < 0x80
        if index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !isASCII { try validateUTF8(UnsafeBufferPointer(rebasing: bytes[start..<index]), at: start) }
                index += 1
                return StringContent(range: start..<index - 1, decoded: nil, isASCII: isASCII)
            }
            if byte < 0x20 { throw fail("control character in a string") }
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                try decoded.withUnsafeBufferPointer { (content) throws(JSONSyntaxError) in try validateUTF8(content, at: start) }
                index += 1
                return StringContent(range: start..<index - 1, decoded: decoded, isASCII: decoded.allSatisfy { $0 < 0x80 })
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &decoded)
            case ..<0x20:
                throw fail("control character in a string")
            default:
                decoded.append(byte)
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// Whether any of the word's eight bytes is a quote, a backslash or below 0x20 (the classic
    /// has-zero-byte test on the word XOR the byte, and has-less-than for the control characters).
    static func hasQuoteBackslashOrControl(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22), backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        let hasControl = (word &- ones &* 0x20) & ~word
        return (hasQuote | hasBackslash | hasControl) & highs != 0
    }

    func validateUTF8(_ content: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONSyntaxError) {
        guard UTF8Validation.isValid(content) else {
            throw JSONSyntaxError(reason: "a string is not valid UTF-8", offset: offset)
        }
    }

    mutating func escape(into decoded: inout [UInt8]) throws(JSONSyntaxError) {
        guard index < bytes.count else { throw fail("unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw fail("lone surrogate in a string")
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("lone surrogate in a string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("lone surrogate in a string")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid escape") }
            UTF8.encode(unicode) { decoded.append($0) }
        default:
            throw fail("invalid escape")
        }
    }

    mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

/// A string as the strict reader read it: where its content lies in the text and, when it had escapes,
/// the content with them resolved. A string without escapes (nearly all) costs no allocation.
struct StringContent {
    var range: Range<Int>
    var decoded: [UInt8]?
    var isASCII: Bool

    /// The content's bytes, escapes resolved; `text` is the JSON text it was read from.
    func withBytes<R>(in text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let decoded { return try decoded.withUnsafeBufferPointer(body) }
        return try body(UnsafeBufferPointer(rebasing: text[range]))
    }
}

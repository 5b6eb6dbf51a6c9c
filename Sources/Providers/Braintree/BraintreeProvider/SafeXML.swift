import Platform

/// A small, strict XML reader for Braintree's gateway answers and webhook payloads.
///
/// It reads only what Braintree sends: elements, attributes, text, CDATA, comments and an optional
/// `<?xml …?>` declaration. It is safe on hostile input by construction:
/// - no DTD: `<!DOCTYPE` is refused, so no entity can be declared (no billion laughs, no external entities);
/// - only the five predefined entities and numeric character references are expanded; any other `&name;` is refused;
/// - the input size, the nesting depth, the element count and the attribute count are bounded;
/// - malformed markup (mismatched tags, stray `<`, duplicate attributes, invalid UTF-8, text outside the root) is refused.
/// Processing instructions other than the leading declaration are refused too.
public enum SafeXML {
    public struct Limits: Sendable {
        public var maximumBytes = 1 << 20
        public var maximumDepth = 64
        public var maximumElements = 20_000
        public var maximumAttributes = 16
        public init() {}
    }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
        public var description: String { reason }
    }

    /// One element: its name, attributes, direct text (all text pieces joined, untrimmed) and child elements.
    public struct Element: Sendable, Equatable {
        public var name: String
        public var attributes: [String: String]
        public var text: String
        public var children: [Element]

        /// The first child named `name`.
        public func child(_ name: String) -> Element? { children.first { $0.name == name } }

        /// All children named `name`.
        public func children(_ name: String) -> [Element] { children.filter { $0.name == name } }

        /// The element at a slash-separated path below this one: "subject/transaction/id".
        public func element(at path: String) -> Element? {
            var current = self
            for step in path.split(separator: "/") {
                guard let next = current.child(String(step)) else { return nil }
                current = next
            }
            return current
        }

        /// The trimmed text at `path`; nil when the element is missing, empty or marked `nil="true"`.
        public func value(at path: String) -> String? {
            guard let element = element(at: path), element.attributes["nil"] != "true" else { return nil }
            let trimmed = element.trimmedText
            return trimmed.isEmpty ? nil : trimmed
        }

        /// The text without surrounding XML whitespace (space, tab, CR, LF).
        public var trimmedText: String { text.trimmingASCII(\.isASCIIWhitespace) }
    }

    /// Parses a whole document and returns its root element.
    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(ParseError) -> Element {
        guard bytes.count <= limits.maximumBytes else { throw ParseError("document larger than \(limits.maximumBytes) bytes") }
        var parser = Parser(bytes: bytes, limits: limits)
        return try parser.document()
    }

    /// Escapes text for an XML element or attribute value: the five predefined entities.
    /// Control characters XML 1.0 cannot carry are dropped (they cannot be escaped either).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                guard isXMLCharacter(scalar.value) else { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isXMLCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    struct Parser {
        let bytes: [UInt8]
        let limits: Limits
        var index = 0
        var elementCount = 0

        init(bytes: [UInt8], limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        mutating func document() throws(ParseError) -> Element {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // UTF-8 byte order mark
            skipSpace()
            if starts(with: "<?xml") {
                guard let end = find("?>") else { throw ParseError("unterminated XML declaration") }
                index = end + 2
            }
            try skipMisc()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "<") else { throw ParseError("no root element") }
            let root = try element(depth: 1)
            try skipMisc()
            guard index == bytes.count else { throw ParseError("content after the root element") }
            return root
        }

        /// Whitespace and comments between top-level items; anything else is refused.
        mutating func skipMisc() throws(ParseError) {
            while true {
                skipSpace()
                if starts(with: "<!--") { try comment(); continue }
                if starts(with: "<!DOCTYPE") || starts(with: "<!doctype") { throw ParseError("DOCTYPE is not accepted") }
                if starts(with: "<?") { throw ParseError("processing instructions are not accepted") }
                return
            }
        }

        mutating func element(depth: Int) throws(ParseError) -> Element {
            guard depth <= limits.maximumDepth else { throw ParseError("nesting deeper than \(limits.maximumDepth)") }
            elementCount += 1
            guard elementCount <= limits.maximumElements else { throw ParseError("more than \(limits.maximumElements) elements") }
            index += 1  // "<"
            let name = try self.name()
            var attributes: [String: String] = [:]
            while true {
                let hadSpace = skipSpace()
                guard index < bytes.count else { throw ParseError("unterminated start tag <\(name)>") }
                if bytes[index] == UInt8(ascii: "/") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw ParseError("malformed empty tag <\(name)/>") }
                    index += 2
                    return Element(name: name, attributes: attributes, text: "", children: [])
                }
                if bytes[index] == UInt8(ascii: ">") { index += 1; break }
                guard hadSpace else { throw ParseError("malformed start tag <\(name)>") }
                let attribute = try self.name()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw ParseError("attribute \(attribute) has no value") }
                index += 1
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                    throw ParseError("attribute \(attribute) is not quoted")
                }
                let quote = bytes[index]
                index += 1
                var value: [UInt8] = []
                while true {
                    guard index < bytes.count else { throw ParseError("unterminated attribute \(attribute)") }
                    let byte = bytes[index]
                    if byte == quote { index += 1; break }
                    if byte == UInt8(ascii: "<") { throw ParseError("'<' in attribute \(attribute)") }
                    if byte == UInt8(ascii: "&") { value += try reference() } else { value.append(byte); index += 1 }
                }
                guard attributes[attribute] == nil else { throw ParseError("duplicate attribute \(attribute)") }
                guard attributes.count < limits.maximumAttributes else { throw ParseError("too many attributes on <\(name)>") }
                attributes[attribute] = try string(value)
            }

            var text: [UInt8] = []
            var children: [Element] = []
            while true {
                guard index < bytes.count else { throw ParseError("element <\(name)> is not closed") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "&") { text += try reference(); continue }
                if byte != UInt8(ascii: "<") {
                    if byte == UInt8(ascii: ">"), index >= 2, bytes[index - 1] == UInt8(ascii: "]"), bytes[index - 2] == UInt8(ascii: "]") {
                        throw ParseError("']]>' in text")
                    }
                    text.append(byte)
                    index += 1
                    continue
                }
                if starts(with: "</") {
                    index += 2
                    let closing = try self.name()
                    skipSpace()
                    guard closing == name, index < bytes.count, bytes[index] == UInt8(ascii: ">") else {
                        throw ParseError("<\(name)> closed by </\(closing)>")
                    }
                    index += 1
                    return Element(name: name, attributes: attributes, text: try string(text), children: children)
                }
                if starts(with: "<!--") { try comment(); continue }
                if starts(with: "<![CDATA[") {
                    index += 9
                    guard let end = find("]]>") else { throw ParseError("unterminated CDATA section") }
                    text += bytes[index..<end]
                    index = end + 3
                    continue
                }
                if starts(with: "<!") { throw ParseError("declarations are not accepted inside elements") }
                if starts(with: "<?") { throw ParseError("processing instructions are not accepted") }
                children.append(try element(depth: depth + 1))
            }
        }

        /// An element or attribute name: ASCII letters, digits, '-', '_', '.', ':' (what Braintree uses), not starting with a digit, '-' or '.'.
        mutating func name() throws(ParseError) -> String {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                let isOther = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                if isLetter || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || (isOther && index > start) {
                    index += 1
                } else {
                    break
                }
            }
            guard index > start, index - start <= 200 else { throw ParseError("invalid name at byte \(start)") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#NN;` `&#xHH;`; anything else is an undeclared entity and refused.
        mutating func reference() throws(ParseError) -> [UInt8] {
            let start = index + 1
            var end = start
            while end < bytes.count, end - start <= 12, bytes[end] != UInt8(ascii: ";") { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: ";"), end > start else { throw ParseError("malformed entity reference") }
            let name = String(decoding: bytes[start..<end], as: UTF8.self)
            index = end + 1
            switch name {
            case "lt": return [UInt8(ascii: "<")]
            case "gt": return [UInt8(ascii: ">")]
            case "amp": return [UInt8(ascii: "&")]
            case "quot": return [UInt8(ascii: "\"")]
            case "apos": return [UInt8(ascii: "'")]
            default:
                guard name.hasPrefix("#") else { throw ParseError("undeclared entity &\(name);") }
                let digits = name.dropFirst()
                let value: UInt32?
                if digits.hasPrefix("x") {
                    let hex = digits.dropFirst()
                    value = hex.isEmpty || !hex.allSatisfy(\.isHexDigit) ? nil : UInt32(hex, radix: 16)
                } else {
                    value = digits.isEmpty || !digits.allSatisfy(\.isWholeNumber) ? nil : UInt32(digits, radix: 10)
                }
                guard let value, isXMLCharacter(value), let scalar = Unicode.Scalar(value) else {
                    throw ParseError("invalid character reference &\(name);")
                }
                return Array(String(Character(scalar)).utf8)
            }
        }

        mutating func comment() throws(ParseError) {
            index += 4
            guard let end = find("--") else { throw ParseError("unterminated comment") }
            guard end + 2 < bytes.count, bytes[end + 2] == UInt8(ascii: ">") else { throw ParseError("'--' inside a comment") }
            index = end + 3
        }

        @discardableResult
        mutating func skipSpace() -> Bool {
            let start = index
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            return index > start
        }

        func starts(with literal: String) -> Bool {
            let pattern = Array(literal.utf8)
            guard bytes.count - index >= pattern.count else { return false }
            for offset in 0..<pattern.count where bytes[index + offset] != pattern[offset] { return false }
            return true
        }

        /// The index where `literal` next occurs at or after the current position.
        func find(_ literal: String) -> Int? {
            let pattern = Array(literal.utf8)
            guard bytes.count >= pattern.count else { return nil }
            var position = index
            while position + pattern.count <= bytes.count {
                if bytes[position] == pattern[0], bytes[position..<(position + pattern.count)].elementsEqual(pattern) { return position }
                position += 1
            }
            return nil
        }

        func string(_ raw: [UInt8]) throws(ParseError) -> String {
            guard let text = String(validating: raw, as: UTF8.self) else { throw ParseError("text is not valid UTF-8") }
            guard text.unicodeScalars.allSatisfy({ SafeXML.isXMLCharacter($0.value) }) else { throw ParseError("text contains characters XML does not allow") }
            return text
        }
    }
}

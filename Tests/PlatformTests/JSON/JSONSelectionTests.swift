import Platform
import PropertyBased
import Testing
import TestSupport

/// Reading with a selection must accept and refuse exactly what an independent reference reader
/// (written below from RFC 8259 and the reader's documented rules) does, refuse with the same error as
/// the full reader, and keep exactly what the selection names: checked on generated JSON texts and on
/// every kind of damage done to them.
@Suite struct JSONSelectionTests {
    static let keep: Keep = .members([
        "id": .all, "type": .all,
        "data": .members(["object": .members(["id": .all, "amount": .all, "metadata": .all])]),
    ])
    static let selection = keep.selection

    static func outcome(_ body: () throws(JSONSyntaxError) -> JSONValue) -> Result<JSONValue, JSONSyntaxError> {
        do { return .success(try body()) } catch { return .failure(error) }
    }

    static func expectSameVerdict(_ bytes: [UInt8], _ keep: Keep, sourceLocation: SourceLocation = #_sourceLocation) {
        let full = outcome { () throws(JSONSyntaxError) in try JSONValue(parsing: bytes) }
        let selected = outcome { () throws(JSONSyntaxError) in try JSONValue(parsing: bytes, keeping: keep.selection) }
        let text = String(decoding: bytes, as: UTF8.self)
        switch (ReferenceJSON.read(bytes), full, selected) {
        case (let reference?, .success(let whole), .success(let kept)):
            #expect(whole == reference, "\(text)", sourceLocation: sourceLocation)
            #expect(kept == keep.apply(to: reference), "\(text)", sourceLocation: sourceLocation)
        case (nil, .failure(let a), .failure(let b)):
            #expect(a == b, "\(text)", sourceLocation: sourceLocation)
        case (let reference, _, _):
            Issue.record("reference \(reference.map { "\($0)" } ?? "refused"), full \(full), selected \(selected) for \(bytes)", sourceLocation: sourceLocation)
        }
    }

    @Test func keepsOnlyTheSelectedMembersOfAStripeLikeEvent() throws {
        let text = #"{"id":"evt_1","object":"event","data":{"object":{"id":"pi_1","amount":2000,"currency":"usd","metadata":{"payment_id":"pay_1"},"charges":[{"id":"ch_1"}]}},"type":"payment_intent.succeeded","request":{"id":null}}"#
        let kept = try JSONValue(parsing: Array(text.utf8), keeping: Self.selection)
        #expect(kept == .object([
            "id": .string("evt_1"), "type": .string("payment_intent.succeeded"),
            "data": .object(["object": .object([
                "id": .string("pi_1"), "amount": .number("2000"), "metadata": .object(["payment_id": .string("pay_1")]),
            ])]),
        ]))
    }

    @Test(arguments: [
        #"{"id":"a","request":{"x":1,"x":2}}"#,        // a repeated key in a part that is not kept
        #"{"id":"a","skipped":["\ud800"]}"#,            // a lone surrogate in a skipped string
        #"{"id":"a","skipped":"\u00e9","\u0069\u0064":1}"#,  // a repeated key written with escapes
        "{\"id\":\"a\",\"e\u{301}\":1,\"\u{e9}\":2}",   // keys equal as Strings (canonically equivalent)
        "{\"K\":1,\"\u{212A}\":2}", "{\"data\":{\"\u{212A}\":1,\"K\":2}}",   // KELVIN SIGN is "K" to a String
        #"{"skipped":01}"#, #"{"skipped":[1,]}"#, #"{"skipped":tru}"#, #"{"data":{"object":[]}}"#, #"{"data":7}"#,
    ])
    func refusesOrAcceptsWhatTheFullReaderDoes(text: String) {
        Self.expectSameVerdict(Array(text.utf8), Self.keep)
    }

    @Test func aSkippedStringWithInvalidUTF8IsRefusedAtTheSameOffset() {
        Self.expectSameVerdict(Array(#"{"skipped":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8), Self.keep)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: Array(#"{"x":""#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8), keeping: Self.selection) }
    }

    @Test func deepNestingIsRefusedInSkippedParts() {
        let deep = #"{"skipped":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        Self.expectSameVerdict(Array(deep.utf8), Self.keep)
        let fine = #"{"skipped":"# + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        #expect(throws: Never.self) { try JSONValue(parsing: Array(fine.utf8), keeping: Self.selection) }
    }

    @Test func manyKeysInOneObjectStillFindARepeat() {
        let keys = (0..<200).map { #""k\#($0)":\#($0)"# }
        Self.expectSameVerdict(Array(("{" + keys.joined(separator: ",") + "}").utf8), Self.keep)
        Self.expectSameVerdict(Array(("{" + (keys + [#""k117":0"#]).joined(separator: ",") + "}").utf8), Self.keep)
    }

    /// Generated documents, then each damaged at a random place (a byte replaced, dropped or added).
    @Test func generatedAndDamagedTextsGetTheSameVerdict() async {
        await propertyCheck(count: 1_500, input: Gen.int(in: 0...Int.max)) { seed in
            var random = SeededGenerator(seed: UInt64(seed))
            let text = Array(RandomJSON.document(&random).utf8)
            Self.expectSameVerdict(text, Self.keep)
            var damaged = text
            let position = Int.random(in: 0..<damaged.count, using: &random)
            let replacement = RandomJSON.damage.randomElement(using: &random)!
            switch Int.random(in: 0..<3, using: &random) {
            case 0: damaged[position] = replacement
            case 1: damaged.remove(at: position)
            default: damaged.insert(replacement, at: position)
            }
            Self.expectSameVerdict(damaged, Self.keep)
            Self.expectSameVerdict(damaged, .members(["id": .members(["x": .all])]))
            Self.expectSameVerdict(text, .members(["\u{e9}": .all, "x": .members(["id": .all])]))
        }
    }

    static let paths = JSONPaths([["id"], ["type"], ["data", "object", "id"], ["data", "object", "amount"], ["data", "object", "metadata"], ["\u{e9}"]])

    /// Captured paths hold what the full tree holds there, and the same texts are refused with the same errors.
    static func expectSameCaptures(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let full = outcome { () throws(JSONSyntaxError) in try JSONValue(parsing: bytes) }
        let captured: Result<JSONCaptures, JSONSyntaxError>
        do { captured = .success(try JSONCaptures(parsing: bytes, paths: paths)) } catch { captured = .failure(error) }
        let text = String(decoding: bytes, as: UTF8.self)
        switch (ReferenceJSON.read(bytes), full, captured) {
        case (let whole?, .success, .success(let fields)):
            func at(_ path: [String]) -> JSONValue? {
                path.reduce(Optional(whole)) { node, name in
                    guard case .object(let members)? = node else { return nil }
                    return members[name]
                }
            }
            for (index, path) in paths.paths.enumerated() {
                #expect(fields[index] == at(path), "\(path) in \(text)", sourceLocation: sourceLocation)
            }
            for (index, path) in paths.paths.enumerated() {
                let parentIsObject = if case .object? = at(Array(path.dropLast())) { true } else { false }
                #expect(fields.hasParentObject(index) == parentIsObject, "\(path) in \(text)", sourceLocation: sourceLocation)
            }
        case (nil, .failure(let a), .failure(let b)):
            #expect(a == b, "\(text)", sourceLocation: sourceLocation)
        case (let reference, _, _):
            Issue.record("reference \(reference.map { "\($0)" } ?? "refused"), full \(full), captured \(captured) for \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        #"{"id":"evt_1","type":"t","data":{"object":{"id":"pi_1","amount":2000,"metadata":{"payment_id":"pay_1"},"other":[1]}}}"#,
        #"{"data":{"object":7}}"#, #"{"data":[{"object":{}}]}"#, #"{"data":{"object":{"id":null}},"id":{"x":1}}"#, "7", "[]",
        #"{"data":{"object":{"id":1,"id":2}}}"#, #"{"é":1}"#, "{\"e\u{301}\":2}", #"{"data":{"object":{"metadata":"#,
    ])
    func capturesWhatTheFullTreeHolds(text: String) {
        Self.expectSameCaptures(Array(text.utf8))
    }

    @Test func generatedAndDamagedTextsGetTheSameCaptures() async {
        await propertyCheck(count: 1_500, input: Gen.int(in: 0...Int.max)) { seed in
            var random = SeededGenerator(seed: UInt64(seed))
            let text = Array(RandomJSON.document(&random).utf8)
            Self.expectSameCaptures(text)
            var damaged = text
            let position = Int.random(in: 0..<damaged.count, using: &random)
            damaged[position] = RandomJSON.damage.randomElement(using: &random)!
            Self.expectSameCaptures(damaged)
        }
    }

    /// The UTF-8 check used for strings gives `String(validating:)`'s verdict on every short sequence
    /// around the boundaries of Table 3-7.
    @Test func theUTF8CheckAgreesWithTheStandardLibrary() async {
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF,
                                    0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        await propertyCheck(count: 3_000, input: Gen.int(in: 0..<interesting.count).array(of: 0...6)) { picks in
            let bytes = picks.map { interesting[$0] }
            let text = [UInt8(ascii: "\"")] + bytes + [UInt8(ascii: "\"")]
            let viaLibrary = String(validating: bytes, as: UTF8.self) != nil
            let full = Self.outcome { () throws(JSONSyntaxError) in try JSONValue(parsing: text) }
            let controlCharacter = bytes.contains { $0 < 0x20 }
            if !controlCharacter {
                if case .success = full { #expect(viaLibrary, "\(bytes)") } else { #expect(!viaLibrary, "\(bytes)") }
            }
            Self.expectSameVerdict(Array(#"{"skipped":"#.utf8) + text + [UInt8(ascii: "}")], Self.keep)
        }
    }
}

/// A selection as the test writes it, so the test can apply it by itself.
indirect enum Keep: Sendable {
    case all
    case members([String: Keep])

    var selection: JSONSelection {
        switch self {
        case .all: .all
        case .members(let members): .members(members.mapValues(\.selection))
        }
    }

    /// What the selection keeps of a value: of an object only the listed members (names compared as
    /// Strings), any other value whole.
    func apply(to value: JSONValue) -> JSONValue {
        guard case .members(let wanted) = self, case .object(let members) = value else { return value }
        var kept: [String: JSONValue] = [:]
        for (key, value) in members {
            if let keep = wanted.first(where: { $0.key == key })?.value { kept[key] = keep.apply(to: value) }
        }
        return .object(kept)
    }
}

/// The reference: a plain recursive reader of RFC 8259 with the strict reader's documented extra
/// rules (a repeated key, equal as Strings, is refused; so are invalid UTF-8, lone surrogates, and
/// nesting deeper than 64), sharing no code with it. Nil for a refused text.
struct ReferenceJSON {
    let bytes: [UInt8]
    var index = 0
    var depth = 0

    static func read(_ bytes: [UInt8]) -> JSONValue? {
        var reader = ReferenceJSON(bytes: bytes)
        reader.space()
        guard let value = reader.value() else { return nil }
        reader.space()
        return reader.index == bytes.count ? value : nil
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func space() {
        while let byte = current, [0x20, 0x09, 0x0A, 0x0D].contains(byte) { index += 1 }
    }

    mutating func take(_ byte: Character) -> Bool {
        guard current == byte.asciiValue else { return false }
        index += 1
        return true
    }

    mutating func value() -> JSONValue? {
        switch current {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return word("true", .bool(true))
        case UInt8(ascii: "f"): return word("false", .bool(false))
        case UInt8(ascii: "n"): return word("null", .null)
        default: return number()
        }
    }

    mutating func word(_ text: String, _ value: JSONValue) -> JSONValue? {
        guard bytes.count - index >= text.utf8.count, Array(bytes[index..<index + text.utf8.count]) == Array(text.utf8) else { return nil }
        index += text.utf8.count
        return value
    }

    mutating func object() -> JSONValue? {
        index += 1
        depth += 1
        guard depth <= 64 else { return nil }
        defer { depth -= 1 }
        var members: [String: JSONValue] = [:]
        space()
        if take("}") { return .object(members) }
        while true {
            space()
            guard current == UInt8(ascii: "\""), let key = string() else { return nil }
            // A Dictionary of Strings finds keys equal as Strings (canonically equivalent).
            guard members[key] == nil else { return nil }
            space()
            guard take(":") else { return nil }
            space()
            guard let value = value() else { return nil }
            members[key] = value
            space()
            if take("}") { return .object(members) }
            guard take(",") else { return nil }
        }
    }

    mutating func array() -> JSONValue? {
        index += 1
        depth += 1
        guard depth <= 64 else { return nil }
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        space()
        if take("]") { return .array(elements) }
        while true {
            space()
            guard let value = value() else { return nil }
            elements.append(value)
            space()
            if take("]") { return .array(elements) }
            guard take(",") else { return nil }
        }
    }

    mutating func hex4() -> UInt32? {
        guard bytes.count - index >= 4, let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
              bytes[index..<index + 4].allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else { return nil }
        index += 4
        return value
    }

    mutating func string() -> String? {
        index += 1
        var content: [UInt8] = []
        while let byte = current {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = current else { return nil }
                index += 1
                let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
                if let byte = simple[escape] {
                    content.append(byte)
                    continue
                }
                guard escape == UInt8(ascii: "u"), var scalar = hex4() else { return nil }
                if (0xDC00...0xDFFF).contains(scalar) { return nil }
                if (0xD800...0xDBFF).contains(scalar) {
                    guard take("\\"), take("u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                    scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                }
                content += Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
            case 0..<0x20:
                return nil
            default:
                content.append(byte)
            }
        }
        return nil
    }

    mutating func number() -> JSONValue? {
        let start = index
        func digits(_ reader: inout ReferenceJSON) -> Int {
            let from = reader.index
            while let byte = reader.current, (0x30...0x39).contains(byte) { reader.index += 1 }
            return reader.index - from
        }
        _ = take("-")
        if take("0") {
            if let byte = current, (0x30...0x39).contains(byte) { return nil }
        } else {
            guard digits(&self) > 0 else { return nil }
        }
        if take(".") { guard digits(&self) > 0 else { return nil } }
        if take("e") || take("E") {
            _ = take("+") || take("-")
            guard digits(&self) > 0 else { return nil }
        }
        return .number(String(decoding: bytes[start..<index], as: UTF8.self))
    }
}

/// Small random JSON documents whose keys often meet the selection's names.
enum RandomJSON {
    static let keys = ["id", "type", "data", "object", "amount", "metadata", "x", "\\u0069d", "e\u{301}", "\u{e9}", "k"]
    static let strings = ["", "a", "pi_1", "\\n", "\\ud83d\\ude00", "é", "\\u00e9", "\\/"]
    static let damage: [UInt8] = Array("{}[],:\"\\0-1e.tfn ".utf8) + [0x01, 0xC3, 0xE9, 0xFF]

    static func document(_ random: inout SeededGenerator) -> String { value(&random, depth: 0, preferObject: true) }

    static func value(_ random: inout SeededGenerator, depth: Int, preferObject: Bool = false) -> String {
        let choice = preferObject ? 0 : Int.random(in: 0..<(depth > 4 ? 6 : 8), using: &random)
        switch choice {
        case 0, 6:
            let count = Int.random(in: 0...5, using: &random)
            let members = (0..<count).map { _ in "\"\(keys.randomElement(using: &random)!)\":\(value(&random, depth: depth + 1))" }
            return "{" + members.joined(separator: ",") + "}"
        case 1, 7:
            let count = Int.random(in: 0...3, using: &random)
            return "[" + (0..<count).map { _ in value(&random, depth: depth + 1) }.joined(separator: ", ") + "]"
        case 2: return "\"\(strings.randomElement(using: &random)!)\""
        case 3: return ["0", "-1", "2000", "1.5", "2e3", "-0.0E+1"].randomElement(using: &random)!
        case 4: return ["true", "false"].randomElement(using: &random)!
        default: return "null"
        }
    }
}

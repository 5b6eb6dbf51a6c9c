import Platform
import PropertyBased
import Testing
import TestSupport

/// Strings and keys read by the strict reader, against an expectation built piece by piece: the reader
/// scans eight bytes at a time and keeps keys in buffers shared by nested objects, so every piece is
/// tried at every offset from a word's start, and keys are repeated across nesting and escaping.
@Suite struct StrictJSONStringTests {
    /// A piece of a JSON string as written, and what it reads as (nil: the piece makes the text invalid).
    struct Piece {
        var written: [UInt8]
        var reads: String?
        var refusal: String?
    }

    static let valid: [Piece] = [
        Piece(written: Array("a".utf8), reads: "a"), Piece(written: Array("Z9 _-".utf8), reads: "Z9 _-"),
        Piece(written: Array("é".utf8), reads: "é"), Piece(written: Array("😀".utf8), reads: "😀"),
        Piece(written: Array(#"\n"#.utf8), reads: "\n"), Piece(written: Array(#"\""#.utf8), reads: "\""),
        Piece(written: Array(#"\\"#.utf8), reads: "\\"), Piece(written: Array(#"\u00e9"#.utf8), reads: "é"),
        Piece(written: Array(#"\u0041"#.utf8), reads: "A"), Piece(written: Array(#"\ud83d\ude00"#.utf8), reads: "😀"),
        Piece(written: [0x7F], reads: "\u{7F}"),
    ]
    static let invalid: [Piece] = [
        Piece(written: [0x01], refusal: "control character"), Piece(written: [0x1F], refusal: "control character"),
        Piece(written: [0x0A], refusal: "control character"), Piece(written: [0xFF], refusal: "not valid UTF-8"),
        Piece(written: [0xC3], refusal: "not valid UTF-8"), Piece(written: [0xED, 0xA0, 0x80], refusal: "not valid UTF-8"),
        Piece(written: Array(#"\x"#.utf8), refusal: "invalid escape"), Piece(written: Array(#"\ud800"#.utf8), refusal: "lone surrogate"),
    ]

    static func outcome(_ bytes: [UInt8]) -> Result<JSONValue, JSONSyntaxError> {
        do { return .success(try JSONValue(parsing: bytes)) } catch { return .failure(error) }
    }

    @Test func everyPieceAtEveryOffsetOfAWord() {
        for piece in Self.valid + Self.invalid {
            for padding in 0..<17 {
                let prefix = Array(repeating: UInt8(ascii: "p"), count: padding)
                let text = [UInt8(ascii: "\"")] + prefix + piece.written + Array("tail-of-the-string".utf8) + [UInt8(ascii: "\"")]
                switch (Self.outcome(text), piece.reads) {
                case (.success(let value), let reads?):
                    #expect(value == .string(String(repeating: "p", count: padding) + reads + "tail-of-the-string"), "\(text)")
                case (.failure(let error), nil):
                    #expect(error.reason.contains(piece.refusal!), "\(text): \(error)")
                case (let outcome, _):
                    Issue.record("\(text) read as \(outcome)")
                }
            }
        }
    }

    @Test func anUnterminatedStringIsRefusedWhereverItEnds() {
        for length in 0..<20 {
            let text = [UInt8(ascii: "\"")] + Array(repeating: UInt8(ascii: "x"), count: length)
            guard case .failure(let error) = Self.outcome(text) else { Issue.record("\(length) accepted"); continue }
            #expect(error.reason.contains("unterminated string") && error.offset == text.count)
        }
    }

    /// Random strings of pieces: the reader's value or refusal is the pieces'.
    @Test func randomStringsReadAsTheirPieces() async {
        await propertyCheck(count: 2_000, input: Gen.int(in: 0...Int.max)) { seed in
            var random = SeededGenerator(seed: UInt64(seed))
            let count = Int.random(in: 0...24, using: &random)
            let pieces = (0..<count).map { _ in
                Int.random(in: 0..<12, using: &random) == 0 ? Self.invalid.randomElement(using: &random)! : Self.valid.randomElement(using: &random)!
            }
            let text = [UInt8(ascii: "\"")] + pieces.flatMap(\.written) + [UInt8(ascii: "\"")]
            let outcome = Self.outcome(text)
            if let firstBad = pieces.first(where: { $0.reads == nil }) {
                // Escapes are refused where they are read; the other faults as the string is checked.
                guard case .failure(let error) = outcome else { Issue.record("\(text) accepted"); return }
                let refusals = Set(pieces.compactMap(\.refusal))
                #expect(refusals.contains { error.reason.contains($0) }, "\(text): \(error), first bad \(firstBad.written)")
            } else {
                #expect(outcome == .success(.string(pieces.map { $0.reads! }.joined())), "\(text)")
            }
        }
    }

    /// Objects of random keys, written with and without escapes, some nested under a key of the
    /// same name: refused exactly when one object has two keys equal as Strings.
    @Test func aRepeatedKeyIsFoundHoweverItIsWritten() async {
        let spellings: [(written: String, reads: String)] = [
            ("id", "id"), (#"\u0069d"#, "id"), ("i\\u0064", "id"), ("type", "type"), ("data", "data"), (#"d\u0061ta"#, "data"),
            ("\u{e9}", "\u{e9}"), ("e\u{301}", "e\u{301}"), (#"\u00e9"#, "\u{e9}"), ("K", "K"), ("\u{212A}", "\u{212A}"),
            ("a-rather-long-key-name", "a-rather-long-key-name"), (#"a-rather-long-key-n\u0061me"#, "a-rather-long-key-name"),
        ] + (0..<40).map { ("k\($0)", "k\($0)") }
        await propertyCheck(count: 1_500, input: Gen.int(in: 0...Int.max)) { seed in
            var random = SeededGenerator(seed: UInt64(seed))
            let count = Int.random(in: 1...(Bool.random(using: &random) ? 6 : 45), using: &random)
            let keys = (0..<count).map { _ in spellings.randomElement(using: &random)! }
            let nestedAt = Int.random(in: 0..<count, using: &random)
            let inner = keys.shuffled(using: &random).prefix(3)
            let innerRepeats = Set(inner.map(\.reads)).count < inner.count
            let members = keys.enumerated().map { index, key in
                let value = index == nestedAt ? "{" + inner.enumerated().map { "\"\($1.written)\":\($0)" }.joined(separator: ",") + "}" : "\(index)"
                return "\"\(key.written)\":\(value)"
            }
            let text = Array(("{" + members.joined(separator: ",") + "}").utf8)
            let repeats = Set(keys.map(\.reads)).count < keys.count || innerRepeats
            switch Self.outcome(text) {
            case .success: #expect(!repeats, "\(String(decoding: text, as: UTF8.self))")
            case .failure(let error):
                #expect(repeats && error.reason.contains("repeated key"), "\(String(decoding: text, as: UTF8.self)): \(error)")
            }
        }
    }
}

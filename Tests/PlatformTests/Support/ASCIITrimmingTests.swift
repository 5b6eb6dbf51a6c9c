import Platform
import Testing

@Suite struct ASCIITrimmingTests {
    @Test func bothEndsLoseOnlyWhatThePredicateAccepts() {
        #expect(" \t a b \t ".trimmingASCII(\.isSpaceOrTab) == "a b")
        #expect("\r\n value\t\r\n".trimmingASCII(\.isASCIIWhitespace) == "value")
        #expect("\r\n value\r\n".trimmingASCII(\.isSpaceOrTab) == "\r\n value\r\n")
        #expect("  x  ".trimmingASCII { $0 == UInt8(ascii: " ") } == "x")
        #expect("\tx\t".trimmingASCII { $0 == UInt8(ascii: " ") } == "\tx\t")
    }

    @Test func allTrimmedOrNothingGivesEmptyText() {
        #expect(" \t \t".trimmingASCII(\.isSpaceOrTab) == "")
        #expect("".trimmingASCII(\.isASCIIWhitespace) == "")
    }

    @Test func multiByteCharactersAndInnerBlanksAreKept() {
        // U+00A0 (no-break space) and U+3000 are whitespace to Unicode but not ASCII: kept, as each reader did.
        #expect(" \u{00A0}é \u{3000} ".trimmingASCII(\.isSpaceOrTab) == "\u{00A0}é \u{3000}")
        #expect(" a\u{301} ".trimmingASCII(\.isSpaceOrTab) == "a\u{301}")
    }

    @Test func aByteSliceTrimsInPlaceWithItsOwnIndices() {
        let bytes = Array("xx  v1=ab  yy".utf8)
        let trimmed = bytes[2..<11].trimmingASCII { $0 == UInt8(ascii: " ") }
        #expect(trimmed.startIndex == 4 && trimmed.endIndex == 9)
        #expect(String(decoding: trimmed, as: UTF8.self) == "v1=ab")
        let substring = "a, b ,c"[...].split(separator: ",").map { String(Substring($0.utf8.trimmingASCII { $0 == UInt8(ascii: " ") })) }
        #expect(substring == ["a", "b", "c"])
    }

    @Test func thePredicatesAreExactlyTheirBytes() {
        let spaceOrTab = (0...255).map(UInt8.init).filter(\.isSpaceOrTab)
        let whitespace = (0...255).map(UInt8.init).filter(\.isASCIIWhitespace)
        #expect(spaceOrTab == [9, 32])
        #expect(whitespace == [9, 10, 13, 32])
    }
}

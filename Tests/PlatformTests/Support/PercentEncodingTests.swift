import Platform
import Testing

@Suite struct PercentEncodingTests {
    func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test func encodingKeepsOnlyTheUnreservedAndWhatTheCallerKeeps() {
        #expect(PercentEncoding.encode("AZaz09-._~".utf8) == "AZaz09-._~")
        #expect(PercentEncoding.encode("a b/c+é%".utf8) == "a%20b%2Fc%2B%C3%A9%25")
        #expect(PercentEncoding.encode("/a b/".utf8, keeping: [UInt8(ascii: "/")]) == "/a%20b/")
        #expect(PercentEncoding.encode([0x00, 0x0f, 0xff]) == "%00%0F%FF")
    }

    @Test func everyByteRoundTrips() {
        let all = (0...255).map(UInt8.init)
        let encoded = PercentEncoding.encode(all)
        #expect(PercentEncoding.decode(encoded.utf8) == all)
        #expect(PercentEncoding.decodeStrictly(encoded.utf8, plusIsSpace: true) == all)
    }

    @Test func hexDigitsOfEitherCaseDecode() {
        #expect(text(PercentEncoding.decode("%2f%2F%c3%A9".utf8)) == "//é")
    }

    @Test func aBrokenEscapeAndAPlusStayAsWrittenWhenLenient() {
        #expect(text(PercentEncoding.decode("a+b%2".utf8)) == "a+b%2")
        #expect(text(PercentEncoding.decode("%zz%4%".utf8)) == "%zz%4%")
        #expect(text(PercentEncoding.decode("100%25%".utf8)) == "100%%")
    }

    @Test func aBrokenEscapeIsNilWhenStrictAndPlusIsWhatTheCallerSays() {
        #expect(PercentEncoding.decodeStrictly("a%2".utf8, plusIsSpace: true) == nil)
        #expect(PercentEncoding.decodeStrictly("%".utf8, plusIsSpace: false) == nil)
        #expect(PercentEncoding.decodeStrictly("%g0".utf8, plusIsSpace: false) == nil)
        #expect(text(PercentEncoding.decodeStrictly("a+b%2B".utf8, plusIsSpace: true)) == "a b+")
        #expect(text(PercentEncoding.decodeStrictly("a+b%2B".utf8, plusIsSpace: false)) == "a+b+")
    }

    @Test func aSliceDecodesWithItsOwnIndices() {
        let bytes = Array("key=a%20b&x".utf8)
        #expect(text(PercentEncoding.decode(bytes[4..<9])) == "a b")
    }
}

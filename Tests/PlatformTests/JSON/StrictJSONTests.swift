import Testing
import Platform

/// The strict reader: RFC 8259 exactly, numbers as written, and nothing another parser would read differently.
@Suite struct StrictJSONTests {
    @Test func readsEveryKindOfValueAndKeepsNumbersAsWritten() throws {
        let value = try JSONValue(parsing: #" {"a":[1,-0.5,2e3,1999.99999999999999999,true,false,null],"b":{"c":"d\u00e9\ud83d\ude00\n\"\/"}} "#)
        #expect(value["a"] == .array([.number("1"), .number("-0.5"), .number("2e3"), .number("1999.99999999999999999"), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"]?.string == "dé😀\n\"/")
        #expect(value["a"]?[0]?.int == 1)
        #expect(value["a"]?[2]?.int == nil, "2e3 is not an integer literal")
    }

    @Test(arguments: [
        ("", "empty JSON text"), ("{", "expected a string key"), (#"{"a":1,"a":2}"#, "repeated key"),
        (#"{"a":{"b":1,"b":1}}"#, "repeated key"), (#"{"a":1,"\u0061":2}"#, "repeated key"), ("{\"e\u{301}\":1,\"\u{e9}\":2}", "repeated key"),
        ("{\"K\":1,\"\u{212A}\":2}", "repeated key"), ("01", "leading zeros"),
        ("+1", "unexpected character"), ("1.", "fraction needs digits"), ("1e", "exponent needs digits"), ("NaN", "unexpected character"),
        (#"{"a":1,}"#, "expected a string key"), ("[1,]", "unexpected character"), (#"{"a":1} {}"#, "after the JSON value"),
        (#""\ud800""#, "lone surrogate"), (#""\udc00""#, "lone surrogate"), (#""\x""#, "invalid escape"), ("\"a\u{1}\"", "control character"),
        (#""abc"#, "unterminated string"), ("tru", "unexpected end"), ("nul", "unexpected end"), ("[1 2]", "expected ','"),
    ])
    func refusesWhatIsNotStrictJSON(text: String, reason: String) {
        #expect {
            _ = try JSONValue(parsing: text)
        } throws: { error in
            (error as? JSONSyntaxError)?.reason.contains(reason) == true
        }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: String(repeating: "[", count: 65) + String(repeating: "]", count: 65)) }
        #expect(throws: Never.self) { try JSONValue(parsing: String(repeating: "[", count: 64) + String(repeating: "]", count: 64)) }
    }

    @Test func errorsNameTheRuleAndOffsetButNotTheContent() {
        #expect {
            _ = try JSONValue(parsing: #"{"secret-4242424242424242":1,"secret-4242424242424242":2}"#)
        } throws: { error in
            let description = String(describing: error)
            return description.contains("repeated key") && !description.contains("4242") && description.contains("byte 29")
        }
    }
}

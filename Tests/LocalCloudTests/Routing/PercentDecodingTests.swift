import Testing
@testable import LocalCloud

struct PercentDecodingTests {
    @Test(arguments: [
        ("pay%20x", false, "pay x"),
        ("a+b", false, "a+b"),
        ("a+b", true, "a b"),
        ("a%2Bb+c", true, "a+b c"),
        ("caf%C3%A9", false, "café"),
        ("100%", false, "100%"),
        ("%zz%41", false, "%zzA"),
        ("%FF", false, "%FF"),
        ("plain", true, "plain"),
    ] as [(String, Bool, String)])
    func decodes(text: String, plusIsSpace: Bool, expected: String) {
        #expect(percentDecoded(text, plusIsSpace: plusIsSpace) == expected)
    }
}

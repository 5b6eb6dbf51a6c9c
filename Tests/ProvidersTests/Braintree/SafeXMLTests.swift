import Foundation
import Testing
@testable import BraintreeProvider
import Platform

@Suite struct SafeXMLTests {
    func parse(_ text: String, limits: SafeXML.Limits = .init()) throws -> SafeXML.Element {
        try SafeXML.parse(Array(text.utf8), limits: limits)
    }

    func refused(_ text: String, limits: SafeXML.Limits = .init(), sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: SafeXML.ParseError.self, sourceLocation: sourceLocation) { try parse(text, limits: limits) }
    }

    @Test func readsElementsAttributesAndPaths() throws {
        let root = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- a comment -->
            <transaction>
              <id>abc</id>
              <amount>12.34</amount>
              <tax-exempt type="boolean">false</tax-exempt>
              <customer><email nil="true"/></customer>
              <items type='array'><item>1</item><item>2</item></items>
            </transaction>
            """)
        #expect(root.name == "transaction")
        #expect(root.value(at: "id") == "abc")
        #expect(root.element(at: "tax-exempt")?.attributes == ["type": "boolean"])
        #expect(root.value(at: "customer/email") == nil)
        #expect(root.element(at: "customer/email")?.attributes["nil"] == "true")
        #expect(root.element(at: "items")?.children("item").map(\.text) == ["1", "2"])
        #expect(root.value(at: "missing/path") == nil)
    }

    @Test func decodesThePredefinedEntitiesCharacterReferencesAndCDATA() throws {
        let root = try parse("<a b=\"&quot;x&apos;\">&lt;&gt;&amp;&#65;&#x42;&#x1F600;<![CDATA[<raw & stuff>]]></a>")
        #expect(root.text == "<>&AB😀<raw & stuff>")
        #expect(root.attributes["b"] == "\"x'")
    }

    @Test func escapeRoundTrips() throws {
        let nasty = "a<b>&c\"d'e]]>f\u{1}g😀"
        let root = try parse("<v k=\"\(SafeXML.escape(nasty))\">\(SafeXML.escape(nasty))</v>")
        #expect(root.text == "a<b>&c\"d'e]]>fg😀")
        #expect(root.attributes["k"] == root.text)
    }

    @Test func refusesDTDsAndUndeclaredEntities() {
        refused("<!DOCTYPE a><a/>")
        refused("<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>")
        refused("<a>&x;</a>")
        refused("<a>&#0;</a>")
        refused("<a>&#xD800;</a>")
        refused("<a>&#x110000;</a>")
        refused("<a>&amp</a>")
        refused("<a><!ENTITY x \"y\"></a>")
        refused("<a><?php echo 1 ?></a>")
    }

    @Test func enforcesLimits() throws {
        var limits = SafeXML.Limits()
        limits.maximumDepth = 3
        _ = try parse("<a><b><c/></b></a>", limits: limits)
        refused("<a><b><c><d/></c></b></a>", limits: limits)
        limits = SafeXML.Limits()
        limits.maximumElements = 3
        refused("<a><b/><c/><d/></a>", limits: limits)
        limits = SafeXML.Limits()
        limits.maximumBytes = 10
        refused("<abcdefgh/>", limits: limits)
        refused("<a " + (0..<20).map { "x\($0)=\"1\"" }.joined(separator: " ") + "/>")
        refused(String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65))
    }

    @Test(arguments: [
        "", "   ", "text only", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a/>trailing", "<1a/>", "<a b=c/>",
        "<a b=\"1\" b=\"2\"/>", "<a b=\"<\"/>", "<a b=\"1\"c=\"2\"/>", "<a><!-- x -- y --></a>", "<a><![CDATA[open</a>",
        "<a>]]></a>", "<a>\u{0}</a>", "<a", "<a/", "<?xml version=\"1.0\"",
    ])
    func refusesMalformedDocuments(text: String) {
        refused(text)
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: SafeXML.ParseError.self) { try SafeXML.parse([0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E]) }
    }

    @Test func readsEveryCommittedBraintreeDocument() throws {
        for name in ["transaction_sale.xml", "transaction_declined.xml", "transaction_validation_error.xml", "merchant_accounts.xml"] {
            let root = try SafeXML.parse(Array(try Fixtures.data("Braintree/api/\(name)")))
            #expect(["transaction", "api-error-response", "merchant-accounts"].contains(root.name))
        }
    }
}

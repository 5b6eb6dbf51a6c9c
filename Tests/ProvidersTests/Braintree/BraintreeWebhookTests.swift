import Foundation
import Testing
import PaymentsCore
import Platform
import SQLiteAdapter
@testable import BraintreeProvider

/// Braintree's webhook beyond the shared catalogue: the signature's corner cases, every fixture kind,
/// and hostile XML inside correctly signed payloads.
@Suite struct BraintreeWebhookTests {
    typealias Kit = BraintreeWebhookKit
    let kit = BraintreeWebhookKit()

    /// The shared harness over Braintree's kit, optionally with another authenticator (other keys).
    struct Harness {
        static func make(authenticator: BraintreeWebhookAuthenticator? = nil) throws -> WebhookHarness {
            try WebhookHarness(BraintreeWebhookKit(), authenticator: authenticator)
        }
    }

    // MARK: Fixtures made by the SDK

    @Test func fixtureSignaturesMatchTheSDKsAlgorithm() throws {
        let manifest = try Fixtures.json("Braintree/webhooks/manifest.json")
        let notifications = try #require(manifest["notifications"] as? [[String: Any]])
        #expect(notifications.count == 8)
        for entry in notifications {
            let payload = try #require(entry["btPayload"] as? String)
            let xml = try #require(entry["xml"] as? String)
            #expect(BraintreeSignature.signature(payload: payload, publicKey: Kit.publicKey, privateKey: Kit.privateKey) == entry["btSignature"] as? String)
            #expect(Kit.payload(xml: xml) == payload, "our MIME base64 matches Python's base64.encodebytes")
        }
    }

    /// Every kind the SDK can make, parsed from the committed deliveries: kind, subject and mapping.
    @Test(arguments: [
        ("01-transaction_settled.json", "transaction_settled", PaymentFact.succeeded as PaymentFact?),
        ("02-transaction_settlement_declined.json", "transaction_settlement_declined", .failed),
        ("03-transaction_disbursed.json", "transaction_disbursed", .succeeded),
        ("04-dispute_opened.json", "dispute_opened", .disputeOpened),
        ("05-dispute_lost.json", "dispute_lost", .disputeLost),
        ("06-dispute_won.json", "dispute_won", .disputeWon),
        ("07-check.json", "check", nil),
        ("08-subscription_went_past_due.json", "subscription_went_past_due", nil),
    ])
    func everyFixtureKindMapsAsDocumented(file: String, kind: String, fact: PaymentFact?) throws {
        let request = try Fixtures.event("Braintree/webhooks/\(file)")
        let notifications = try Kit.authenticator().notifications(in: WebhookDelivery(body: request.rawBody()!, request: request, receivedAt: 0))
        if let fact {
            #expect(notifications.count == 1)
            #expect(notifications.first?.type == kind)
            #expect(notifications.first?.fact == fact)
            #expect(notifications.first?.providerReference == Kit.transactionID)
            #expect(notifications.first?.paymentID == nil)
            #expect(notifications.first?.currency == (kind == "transaction_disbursed" ? nil : "USD"))
        } else {
            #expect(notifications.isEmpty)
        }
    }

    @Test func checkIsAcknowledgedAndChangesNothing() throws {
        let harness = try Harness.make()
        let before = try harness.stored
        #expect(try harness.send(try Fixtures.event("Braintree/webhooks/07-check.json")).statusCode == 200)
        #expect(try harness.stored == before)
        #expect(try harness.outbox.isEmpty)
    }

    @Test func settlementDeclinedFailsThePaymentAndLaterSettledWins() throws {
        let harness = try Harness.make()
        #expect(try harness.send(try Fixtures.event("Braintree/webhooks/02-transaction_settlement_declined.json")).statusCode == 200)
        #expect(try harness.stored.status == .failed)
        #expect(try harness.send(try Fixtures.event("Braintree/webhooks/01-transaction_settled.json")).statusCode == 200)
        #expect(try harness.stored.status == .succeeded)
        #expect(try harness.outbox.map(\.detailType) == ["PaymentFailed", "PaymentSucceeded"])
    }

    @Test func disputeWonAfterOpenedEndsWon() throws {
        let harness = try Harness.make()
        for file in ["06-dispute_won.json", "04-dispute_opened.json", "01-transaction_settled.json"] {
            #expect(try harness.send(try Fixtures.event("Braintree/webhooks/\(file)")).statusCode == 200)
        }
        #expect(try harness.stored.status == .disputeWon)
        #expect(try harness.outbox.count == 1, "the dispute seen first moves the payment there in one transition")
    }

    /// One document can only carry one kind; several kinds and subjects are exercised through
    /// hand-written notifications (a dispute for another transaction, a transaction inside a dispute).
    @Test func subjectsAreReadFromTheRightPlaceForEachKind() throws {
        let dispute = """
            <notification><kind>dispute_opened</kind><subject><dispute><id>dp_1</id><currency-iso-code>EUR</currency-iso-code>\
            <transaction><id>txn_of_dispute</id><order-id>ord_9</order-id></transaction></dispute></subject></notification>
            """
        let parsed = try BraintreeWebhookAuthenticator.notifications(in: SafeXML.parse(Array(dispute.utf8)))
        #expect(parsed.map(\.providerReference) == ["txn_of_dispute"])
        #expect(parsed.map(\.currency) == ["EUR"])
        #expect(parsed.map(\.fact) == [.disputeOpened])

        let noTransaction = "<notification><kind>dispute_lost</kind><subject><dispute><id>dp_1</id></dispute></subject></notification>"
        #expect(throws: WebhookError.self) { try BraintreeWebhookAuthenticator.notifications(in: SafeXML.parse(Array(noTransaction.utf8))) }
        let nilID = "<notification><kind>transaction_settled</kind><subject><transaction><id nil=\"true\"/></transaction></subject></notification>"
        #expect(throws: WebhookError.self) { try BraintreeWebhookAuthenticator.notifications(in: SafeXML.parse(Array(nilID.utf8))) }
        let notNotification = "<transaction><kind>transaction_settled</kind></transaction>"
        #expect(throws: WebhookError.self) { try BraintreeWebhookAuthenticator.notifications(in: SafeXML.parse(Array(notNotification.utf8))) }
        let unknownKind = "<notification><kind>sub_merchant_account_approved</kind><subject><merchant-account/></subject></notification>"
        #expect(try BraintreeWebhookAuthenticator.notifications(in: SafeXML.parse(Array(unknownKind.utf8))).isEmpty)
    }

    @Test func notificationInAnotherCurrencyIsAcknowledgedButNotApplied() throws {
        let harness = try Harness.make()
        let xml = try Kit.manifestXML("01-transaction_settled.json").replacingOccurrences(of: "<currency-iso-code>USD", with: "<currency-iso-code>EUR")
        #expect(try harness.send(Kit.signed(xml: xml)).statusCode == 200)
        #expect(try harness.stored.status == .pending)
        #expect(try harness.outbox.isEmpty)
    }

    // MARK: Signature

    @Test func severalSignaturePairsAreAcceptedWhenOursIsNotFirst() throws {
        let harness = try Harness.make()
        let form = Kit.form(of: try kit.successDelivery())
        let ours = try #require(form["bt_signature"])
        let other = BraintreeSignature.signature(payload: form["bt_payload"]!, publicKey: "old_public_key", privateKey: "old_private_key")
        let body = FormURLEncoding.encode([("bt_signature", "\(other)&\(ours)"), ("bt_payload", form["bt_payload"]!)])
        #expect(try harness.send(Kit.delivery(body: body)).statusCode == 200)
        #expect(try harness.stored.status == .succeeded)
    }

    @Test func onlyTheFirstPairForOurKeyCountsAsInTheSDK() throws {
        let form = Kit.form(of: try kit.successDelivery())
        let forged = Kit.publicKey + "|" + String(repeating: "0", count: 40)
        let body = FormURLEncoding.encode([("bt_signature", "\(forged)&\(form["bt_signature"]!)"), ("bt_payload", form["bt_payload"]!)])
        try Harness.make().expectRefused(Kit.delivery(body: body), slug: "invalid-signature")
    }

    @Test func payloadSignedWithATrailingNewlineIsAccepted() throws {
        // The SDK also accepts the HMAC of the payload plus one "\n" (a payload whose final newline was stripped in transit).
        let payload = Kit.payload(xml: try Kit.manifestXML("01-transaction_settled.json"))
        let stripped = String(payload.dropLast())
        let signature = BraintreeSignature.signature(payload: payload, publicKey: Kit.publicKey, privateKey: Kit.privateKey)
        let harness = try Harness.make()
        #expect(try harness.send(Kit.delivery(body: FormURLEncoding.encode([("bt_signature", signature), ("bt_payload", stripped)]))).statusCode == 200)
        #expect(try harness.stored.status == .succeeded)
    }

    @Test func tamperedPayloadIsRefused() throws {
        let form = Kit.form(of: try kit.successDelivery())
        var payload = Array(form["bt_payload"]!)
        payload[100] = payload[100] == "A" ? "B" : "A"
        try Harness.make().expectRefused(Kit.delivery(body: FormURLEncoding.encode([("bt_signature", form["bt_signature"]!), ("bt_payload", String(payload))])),
                                    slug: "invalid-signature")
    }

    @Test func signatureForAnotherPublicKeyOnlyIsRefused() throws {
        // Correct HMAC (our private key) but labelled with someone else's public key: no pair for us.
        let request = try Kit.signed(xml: Kit.manifestXML("01-transaction_settled.json"), publicKey: "someone_else")
        try Harness.make().expectRefused(request, slug: "invalid-signature")
    }

    @Test func wrongPrivateKeyIsRefused() throws {
        try Harness.make().expectRefused(try kit.wrongKeyDelivery(), slug: "invalid-signature")
    }

    @Test func functionConfiguredWithAnotherKeyRefusesTheFixtures() throws {
        try Harness.make(authenticator: Kit.authenticator(privateKey: "rotated_private_key")).expectRefused(try kit.successDelivery(), slug: "invalid-signature")
    }

    @Test(arguments: ["bt_signature", "bt_payload"])
    func missingFieldIsRefused(field: String) throws {
        let form = Kit.form(of: try kit.successDelivery())
        let body = FormURLEncoding.encode([(field, form[field]!)])
        try Harness.make().expectRefused(Kit.delivery(body: body), slug: "invalid-signature")
    }

    @Test(arguments: [
        "bt_signature=%ZZ&bt_payload=abc",       // broken percent-encoding
        "bt_signature=a%FF%FE&bt_payload=abc",   // not UTF-8
        "",                                       // empty body
        "bt_signature=x&bt_signature=y&bt_payload=abc",  // duplicated field
        "{\"bt_signature\":\"x\",\"bt_payload\":\"y\"}",  // JSON, not a form
    ])
    func malformedFormIsRefused(body: String) throws {
        try Harness.make().expectRefused(Kit.delivery(body: body), slug: "invalid-signature")
    }

    @Test func payloadWithAPlusDecodedAsSpaceIsRefused() throws {
        // A sender that forgot to percent-encode '+' makes the payload carry spaces: the SDK refuses it, so do we.
        let form = Kit.form(of: try kit.successDelivery())
        let raw = "bt_signature=\(FormURLEncoding.escape(form["bt_signature"]!))&bt_payload=\(form["bt_payload"]!.replacingOccurrences(of: "\n", with: "%0A"))"
        #expect(form["bt_payload"]!.contains("+"))
        try Harness.make().expectRefused(Kit.delivery(body: raw), slug: "invalid-signature")
    }

    // MARK: Hostile XML, correctly signed: malformed, nothing stored

    static let hostileDocuments: [String] = [
        // Billion laughs.
        """
        <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\
        <notification><kind>&lol2;</kind></notification>
        """,
        // External entity.
        """
        <?xml version="1.0"?><!DOCTYPE n [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\
        <notification><kind>transaction_settled</kind><subject><transaction><id>&xxe;</id></transaction></subject></notification>
        """,
        // A bare DOCTYPE.
        "<!DOCTYPE notification><notification><kind>check</kind></notification>",
        // An undeclared entity without a DTD.
        "<notification><kind>transaction_settled</kind><subject><transaction><id>&xxe;</id></transaction></subject></notification>",
        // Deep nesting.
        "<notification>" + String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100) + "</notification>",
        // Oversize: more than 1 MiB of XML.
        "<notification><kind>check</kind><subject>" + String(repeating: "<x>y</x>", count: 140_000) + "</subject></notification>",
        // Malformed: mismatched tags, unclosed root, two roots.
        "<notification><kind>transaction_settled</kinds></notification>",
        "<notification><kind>transaction_settled</kind>",
        "<notification/><notification/>",
    ]

    @Test(arguments: hostileDocuments.indices)
    func hostileXMLIsRefusedAsMalformed(index: Int) throws {
        let xml = Self.hostileDocuments[index]
        let harness = try Harness.make()
        var function = harness.function
        function.maximumBodyBytes = 4 << 20  // let the oversize document reach the XML reader
        let before = try harness.stored
        let response = try function.handle(try Kit.signed(xml: xml), context: testContext)
        #expect(response.statusCode == 400)
        #expect(response.json["type"] as? String == "/problems/malformed-notification")
        #expect(try harness.stored == before)
        #expect(try harness.outbox.isEmpty)
    }
}

import Foundation
import FunctionHost
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
@testable import PayPalProvider
import Testing

/// A captured PayPal delivery re-sent within the replay window with another body of the same CRC-32:
/// the signature still holds (PayPal signs the CRC), so only the transmission ledger can refuse it.
@Suite struct PayPalReplayTests {
    /// The genuine partial refund (10.00 of 20.00), signed by scripts/paypal_webhooks.py.
    static let refundFile = "05-PAYMENT.CAPTURE.REFUNDED"
    /// Transmitted at base + 5 s; the deliveries below arrive a minute later.
    static let now = PayPalFixtures.baseTime.addingTimeInterval(65)

    /// The genuine refund's body turned into a full refund, with the genuine body's CRC-32.
    static func forgedFullRefund() throws -> APIGatewayV2Request {
        let genuine = try PayPalFixtures.delivery(refundFile)
        let body = try #require(genuine.body)
        let template = body.replacingOccurrences(of: #""total_refunded_amount":{"currency_code":"USD","value":"10.00"}"#,
                                                 with: #""total_refunded_amount":{"currency_code":"USD","value":"20.00"}"#)
            .replacingOccurrences(of: "A 10.00 USD capture payment was refunded", with: "Refund ZZZZZZZZZZZZ")
        #expect(template != body)
        let forged = try #require(CRC32Forgery.body(template, placeholder: "ZZZZZZZZZZZZ", crc: CRC32.checksum(Array(body.utf8))))
        var request = genuine
        request.body = forged
        return request
    }

    struct Rig {
        let store: SQLitePaymentStore
        let function: WebhookFunction
        let payment: Payment

        init() throws {
            store = try makeTemporaryStore()
            payment = try PayPalFixtures.seedPayment(in: store)
            let clock = FixedClock(PayPalReplayTests.now)
            let authenticator = try PayPalFixtures.authenticator(client: PayPalFakeHTTP(), store: store, clock: clock, capture: false)
            function = WebhookFunction(authenticator: authenticator, store: store, clock: clock)
            #expect(try deliver(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")).statusCode == 200)
        }

        func deliver(_ request: APIGatewayV2Request) throws -> APIGatewayV2Response { try function.handle(request, context: testContext) }
        var status: PaymentStatus { get throws { try #require(try store.payment(id: payment.id)).status } }

        func snapshot() throws -> [[String?]] {
            try store.database.withConnection { connection in
                try connection.query("SELECT * FROM payments") + connection.query("SELECT event_id FROM outbox ORDER BY seq")
            }
        }
    }

    @Test func theForgedBodyHasTheGenuineCRCAndPassesTheSignatureCheck() throws {
        let genuine = try PayPalFixtures.delivery(Self.refundFile)
        let forged = try Self.forgedFullRefund()
        #expect(forged.body != genuine.body)
        #expect(CRC32.checksum(try #require(forged.rawBody())) == CRC32.checksum(try #require(genuine.rawBody())))
        #expect(try JSONValue(parsing: try #require(forged.rawBody())).path("resource", "seller_payable_breakdown", "total_refunded_amount", "value")?.string == "20.00")
        let verifier = PayPalWebhookVerifier(webhookID: PayPalFixtures.webhookID, method: .offline(try PayPalFixtures.pinnedCertificates()))
        try verifier.verify(WebhookDelivery(body: try #require(forged.rawBody()), request: forged, receivedAt: Self.now.timeIntervalSince1970))
    }

    @Test func aForgedBodyAloneWouldRefundThePaymentInFull() throws {
        // The harm the ledger prevents: a function that has not seen the genuine delivery takes the forgery.
        let rig = try Rig()
        #expect(try rig.deliver(try Self.forgedFullRefund()).statusCode == 200)
        #expect(try rig.status == .refunded)
    }

    @Test func aReSentDeliveryWithACRCMatchedBodyIsRefusedAndStoresNothing() throws {
        let rig = try Rig()
        #expect(try rig.deliver(try PayPalFixtures.delivery(Self.refundFile)).statusCode == 200)
        #expect(try rig.status == .partiallyRefunded)
        let before = try rig.snapshot()

        let response = try rig.deliver(try Self.forgedFullRefund())
        #expect(response.statusCode == 400)
        #expect(response.json["type"] as? String == "/problems/invalid-signature")
        #expect((response.json["detail"] as? String)?.contains("PAYPAL-TRANSMISSION-ID was already delivered with another body") == true)
        #expect(try rig.status == .partiallyRefunded)
        #expect(try rig.snapshot() == before, "nothing stored or published")
    }

    @Test func theSameTransmissionWithTheSameBodyIsARedeliveryAndAccepted() throws {
        let rig = try Rig()
        let genuine = try PayPalFixtures.delivery(Self.refundFile)
        #expect(try rig.deliver(genuine).statusCode == 200)
        let before = try rig.snapshot()
        #expect(try rig.deliver(genuine).statusCode == 200)
        #expect(try rig.deliver(genuine.base64Encoded()).statusCode == 200, "the same bytes, however API Gateway encodes them")
        #expect(try rig.snapshot() == before)
        // Still the same transmission: the forgery is refused after any number of redeliveries.
        #expect(try rig.deliver(try Self.forgedFullRefund()).statusCode == 400)
    }

    @Test func anIgnoredEventTypeIsRecordedToo() throws {
        // A forged body could turn an event this service ignores into one that moves a payment.
        let rig = try Rig()
        let ignored = try PayPalFixtures.delivery("08-BILLING.PLAN.CREATED")
        #expect(try rig.deliver(ignored).statusCode == 200)
        let rows = try rig.store.database.withConnection {
            try $0.query("SELECT provider, id, expires_at FROM webhook_transmissions WHERE id = ?", [.text(ignored.header("paypal-transmission-id")!)])
        }
        #expect(rows.count == 1)
        // Kept until the replay window closes: transmission time + 300 s.
        let time = try #require(PayPalTransmission.parseTime(ignored.header("paypal-transmission-time")!))
        #expect(rows.first?[2] == String(Int(time) + 300))
    }

    @Test func aLedgerThatCannotBeReachedAnswers503AndStoresNothing() throws {
        struct Unreachable: TransmissionLedger {
            func record(_ transmission: RecordedTransmission, now: Double) throws -> TransmissionLedgerOutcome { throw StoreError("down") }
        }
        let store = try makeTemporaryStore()
        _ = try PayPalFixtures.seedPayment(in: store)
        let clock = FixedClock(Self.now)
        let function = WebhookFunction(authenticator: try PayPalFixtures.authenticator(client: PayPalFakeHTTP(), store: store, clock: clock,
                                                                                       capture: false, transmissions: Unreachable()),
                                       store: store, clock: clock)
        let response = try function.handle(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED"), context: testContext)
        #expect(response.statusCode == 503)
        #expect(try store.unpublishedEvents(limit: 10).isEmpty)
    }

    @Test func theFunctionAsDeployedRefusesTheReplay() throws {
        // The wiring of `paypal-webhook` itself: the ledger is the one PAYMENTS_STORE names.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).sqlite").path
        let environment = [
            "PAYMENTS_STORE": "sqlite:\(path)", "PAYPAL_CLIENT_ID": "replay-client", "PAYPAL_CLIENT_SECRET": "replay-secret",
            "PAYPAL_WEBHOOK_ID": PayPalFixtures.webhookID, "PAYPAL_WEBHOOK_CERT": PayPalFixtures.certsDirectory + "/leaf.pem",
        ]
        let runtime = try FunctionRuntime(PayPalFunctions.webhook.definition, environment: environment, logger: .discarding,
                                          httpClient: PayPalFakeHTTP(), clock: FixedClock(Self.now))
        let store = try SQLitePaymentStore(path: path)
        let payment = try PayPalFixtures.seedPayment(in: store)
        func deliver(_ request: APIGatewayV2Request) throws -> Int {
            let bytes = try runtime.invoke(event: BadInputCatalogue.encode(request), context: testContext)
            return try JSONDecoder().decode(APIGatewayV2Response.self, from: Data(bytes)).statusCode
        }
        #expect(try deliver(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED")) == 200)
        #expect(try deliver(try PayPalFixtures.delivery(Self.refundFile)) == 200)
        #expect(try deliver(try Self.forgedFullRefund()) == 400)
        #expect(try store.payment(id: payment.id)?.status == .partiallyRefunded)
    }
}

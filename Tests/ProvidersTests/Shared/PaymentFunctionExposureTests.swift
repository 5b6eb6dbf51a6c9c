import Foundation
import Testing
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
@testable import StripeProvider

/// What the payment function's answers must not give away: the customer's contact on `GET /payments/{id}`
/// (`ShownPayment`), and another payment's id to a reused `Idempotency-Key` with another body.
@Suite struct PaymentFunctionExposureTests {
    let store: SQLitePaymentStore
    let clock = FixedClock(Date(timeIntervalSince1970: 1_764_000_000))

    init() throws { store = try makeTemporaryStore() }

    func function(_ client: FakeHTTPClient) -> PaymentFunction {
        PaymentFunction(gateway: StripeGateway(secretKey: "sk_test_123", apiBase: "http://stripe.local", client: client), store: store, clock: clock)
    }

    static let body = #"{"orderId":"ord_1","amount":2000,"currency":"usd","customerEmail":"buyer@example.com","customerPhone":"+14155550123","description":"Blue mug"}"#

    func create(_ client: FakeHTTPClient, body: String = Self.body, key: String = "key-1") throws -> APIGatewayV2Response {
        try function(client).handle(APIGatewayV2Request(method: "POST", path: "/payments/stripe",
                                                        headers: ["content-type": "application/json", "idempotency-key": key], body: body),
                                    context: testContext)
    }

    @Test func getAnswersThePaymentWithoutTheCustomersContactOrTheStoresBookkeeping() throws {
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")
        let id = try #require(try create(stripe).json["paymentId"] as? String)
        let shown = try function(stripe).handle(APIGatewayV2Request(method: "GET", path: "/payments/\(id)"), context: testContext)
        #expect(shown.statusCode == 200)
        let json = shown.json
        #expect(Set(json.keys) == ["id", "orderId", "provider", "providerReference", "amount", "currency", "status", "progress",
                                   "refundedAmount", "dispute", "description", "createdAt", "updatedAt"])
        #expect(json["id"] as? String == id && json["orderId"] as? String == "ord_1" && json["provider"] as? String == "stripe")
        #expect(json["providerReference"] as? String == (try store.payment(id: id))?.providerReference)
        #expect(json["amount"] as? Int == 2000 && json["currency"] as? String == "USD" && json["refundedAmount"] as? Int == 0)
        #expect(json["status"] as? String == "pending" && json["description"] as? String == "Blue mug")
        let text = try #require(shown.body)
        for exposed in ["buyer@example.com", "4155550123", "customerEmail", "customerPhone", "secret", "version", "attemptStartedAt"] {
            #expect(!text.contains(exposed), "\(exposed) in \(text)")
        }
        let stored = try #require(try store.payment(id: id))
        #expect(stored.customerEmail == "buyer@example.com" && stored.customerPhone == "+14155550123", "stored for Notification, just not shown")
    }

    @Test func aFailedPaymentShowsWhyAndAPayPalApprovalLinkIsKept() throws {
        let stripe = try FakeHTTPClient(status: 402, fixture: "Stripe/api/error_card_declined.json")
        let declined = try create(stripe, body: #"{"orderId":"ord_2","amount":2000,"currency":"usd","paymentMethod":"pm_card_chargeDeclined"}"#)
        let id = try #require(declined.json["paymentId"] as? String)
        let shown = try function(stripe).handle(APIGatewayV2Request(method: "GET", path: "/payments/\(id)"), context: testContext).json
        #expect(shown["status"] as? String == "failed")
        #expect((shown["failure"] as? [String: Any])?["kind"] as? String == "declined")

        let payment = Payment(id: "pay_pp", orderID: "ord_3", provider: "paypal", providerReference: "5O190127TN364715T",
                              amount: Money(minorUnits: 100, currency: Currency(code: "USD")!), customerEmail: "buyer@example.com",
                              checkout: Payment.Checkout(approvalURL: "https://www.paypal.com/checkoutnow?token=5O190127TN364715T"),
                              createdAt: clock.instant)
        let encoded = try JSONSerialization.jsonObject(with: JSON.encoder.encode(ShownPayment(payment))) as? [String: Any]
        #expect(encoded?["checkout"] as? [String: String] == ["approvalURL": "https://www.paypal.com/checkoutnow?token=5O190127TN364715T"])
        #expect(encoded?["customerEmail"] == nil)
    }

    /// The key's owner gets the conflict; nobody learns which payment the key made.
    @Test func aReusedKeyWithAnotherBodyIsRefusedWithoutTheOtherPaymentsID() throws {
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")
        let first = try #require(try create(stripe).json["paymentId"] as? String)
        let other = try create(stripe, body: #"{"orderId":"ord_9","amount":9999,"currency":"usd"}"#)
        #expect(other.statusCode == 422)
        #expect(other.headers?["content-type"] == "application/problem+json")
        #expect(other.json["type"] as? String == "/problems/idempotency-key-reused")
        #expect(other.json["detail"] as? String == "This Idempotency-Key was used with a different request body; use a new key for a new payment.")
        #expect(other.json["paymentId"] == nil)
        #expect(!(other.body ?? "").contains(first) && !(other.body ?? "").contains("pay_"))
        #expect(stripe.requests.count == 1, "the provider is not called")
        #expect(try store.unpublishedEvents(limit: 10).map(\.detailType) == ["PaymentPending"], "nothing stored or announced")
    }
}

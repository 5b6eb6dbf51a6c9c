import Foundation
import XCTest
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
@testable import StripeProvider

/// `POST /payments/stripe` against a fake Stripe API answering with Stripe's documented bodies.
final class StripePaymentTests: XCTestCase {
    var store: SQLitePaymentStore!
    let clock = FixedClock(Date(timeIntervalSince1970: 1_764_000_000))

    override func setUpWithError() throws { store = try makeTemporaryStore() }

    func function(_ client: FakeHTTPClient) -> PaymentFunction {
        PaymentFunction(gateway: StripeGateway(secretKey: "sk_test_123", apiBase: "http://stripe.local", client: client), store: store, clock: clock)
    }

    func request(_ body: String = #"{"orderId":"ord_1","amount":2000,"currency":"usd","customerEmail":"a@example.com","description":"Café"}"#,
                 key: String? = "key-1") -> APIGatewayV2Request {
        var headers = ["content-type": "application/json"]
        headers["idempotency-key"] = key
        return APIGatewayV2Request(method: "POST", path: "/payments/stripe", headers: headers, body: body)
    }

    func testCreatesAPaymentIntentAndStoresThePaymentPending() throws {
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")
        let response = try function(stripe).handle(request(), context: testContext)
        XCTAssertEqual(response.statusCode, 201)
        let answer = response.json
        let paymentID = try XCTUnwrap(answer["paymentId"] as? String)
        XCTAssertEqual(answer["status"] as? String, "pending")
        XCTAssertNotNil(answer["clientSecret"] as? String)

        let call = try XCTUnwrap(stripe.requests.first)
        XCTAssertEqual(call.method, "POST")
        XCTAssertEqual(call.url, "http://stripe.local/v1/payment_intents")
        XCTAssertEqual(call.header("Authorization"), "Bearer sk_test_123")
        XCTAssertEqual(call.header("Idempotency-Key"), "key-1")
        XCTAssertEqual(call.header("Content-Type"), "application/x-www-form-urlencoded")
        XCTAssertTrue(call.isIdempotent)
        let form = call.form
        XCTAssertEqual(form["amount"], "2000")
        XCTAssertEqual(form["currency"], "usd")
        XCTAssertEqual(form["metadata[payment_id]"], paymentID)
        XCTAssertEqual(form["metadata[order_id]"], "ord_1")
        XCTAssertEqual(form["receipt_email"], "a@example.com")
        XCTAssertEqual(form["description"], "Café")

        let stored = try XCTUnwrap(try store.payment(id: paymentID))
        XCTAssertEqual(stored.status, .pending)
        XCTAssertEqual(stored.providerReference, answer["providerReference"] as? String)
        XCTAssertEqual(try store.unpublishedEvents(limit: 10).map(\.detailType), ["PaymentPending"])
    }

    func testTheSameKeyReturnsTheSamePaymentAndCallsStripeOnce() throws {
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")
        let first = try function(stripe).handle(request(), context: testContext)
        let second = try function(stripe).handle(request(), context: testContext)
        XCTAssertEqual(second.statusCode, 201)
        XCTAssertEqual(second.json["paymentId"] as? String, first.json["paymentId"] as? String)
        XCTAssertEqual(second.headers?["idempotent-replayed"], "true")
        XCTAssertEqual(stripe.requests.count, 1)
        XCTAssertEqual(try store.unpublishedEvents(limit: 10).count, 1, "the replay announces nothing")
    }

    func testTheSameKeyWithOtherContentIsRefused() throws {
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")
        _ = try function(stripe).handle(request(), context: testContext)
        let other = try function(stripe).handle(request(#"{"orderId":"ord_1","amount":9999,"currency":"usd"}"#), context: testContext)
        XCTAssertEqual(other.statusCode, 422)
        XCTAssertEqual(other.json["type"] as? String, "/problems/idempotency-key-reused")
        XCTAssertEqual(stripe.requests.count, 1)
    }

    func testStripeUnavailableIs502AndTheSameKeyRetriesWithStripesIdempotency() throws {
        let body = Array(try Fixtures.data("Stripe/api/payment_intent_created.json"))
        let stripe = FakeHTTPClient(answerByCall: { _, call in
            call == 1 ? HTTPResponse(status: 503) : HTTPResponse(status: 200, body: body)
        })
        let first = try function(stripe).handle(request(), context: testContext)
        XCTAssertEqual(first.statusCode, 502)
        XCTAssertEqual(first.json["type"] as? String, "/problems/provider-unavailable")
        let paymentID = try XCTUnwrap(first.json["paymentId"] as? String)
        XCTAssertEqual(try store.payment(id: paymentID)?.status, .pending, "stored before Stripe was called")
        XCTAssertTrue(try store.unpublishedEvents(limit: 10).isEmpty)

        let retry = try function(stripe).handle(request(), context: testContext)
        XCTAssertEqual(retry.statusCode, 201)
        XCTAssertEqual(retry.json["paymentId"] as? String, paymentID)
        XCTAssertEqual(stripe.requests.map { $0.header("Idempotency-Key") }, ["key-1", "key-1"])
    }

    /// A repeat while the first call may still be running waits (409) instead of calling again;
    /// once the lease has run out (the first call died), the repeat takes over with the same key.
    func testARepeatDuringAnAttemptInFlightWaitsAndAfterTheLeaseTakesOver() throws {
        let body = #"{"orderId":"ord_1","amount":2000,"currency":"usd"}"#
        let parsed = try PaymentRequest.parse(Array(body.utf8))
        let inFlight = Payment(id: "pay_inflight", orderID: "ord_1", provider: "stripe", amount: parsed.amount,
                               attemptStartedAt: clock.instant.addingTimeInterval(-10), createdAt: clock.instant.addingTimeInterval(-10))
        _ = try store.create(inFlight, idempotencyKey: "key-1", requestFingerprint: parsed.fingerprint)
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")

        let waiting = try function(stripe).handle(request(body), context: testContext)
        XCTAssertEqual(waiting.statusCode, 409)
        XCTAssertEqual(waiting.json["type"] as? String, "/problems/payment-in-progress")
        XCTAssertEqual(waiting.json["paymentId"] as? String, "pay_inflight")
        XCTAssertTrue(stripe.requests.isEmpty)

        clock.instant = clock.instant.addingTimeInterval(100)
        let resumed = try function(stripe).handle(request(body), context: testContext)
        XCTAssertEqual(resumed.statusCode, 201)
        XCTAssertEqual(resumed.json["paymentId"] as? String, "pay_inflight")
        XCTAssertEqual(stripe.requests.map { $0.header("Idempotency-Key") }, ["key-1"])
        XCTAssertEqual(try store.unpublishedEvents(limit: 10).map(\.detailType), ["PaymentPending"], "announced once, by the attempt that got the answer")
        XCTAssertNil(try store.payment(id: "pay_inflight")?.attemptStartedAt)
    }

    func testStripeStillHandlingTheSameKeyIsNotAFailure() throws {
        let stripe = FakeHTTPClient { _ in
            HTTPResponse(status: 409, body: Array(#"{"error":{"type":"idempotency_error","code":"idempotency_key_in_use","message":"in use"}}"#.utf8))
        }
        let response = try function(stripe).handle(request(), context: testContext)
        XCTAssertEqual(response.statusCode, 502)
        let paymentID = try XCTUnwrap(response.json["paymentId"] as? String)
        XCTAssertEqual(try store.payment(id: paymentID)?.status, .pending)
        XCTAssertNil(try store.payment(id: paymentID)?.failure)
    }

    func testADeclineIs402StoredAsFailedAndReplayedWithoutCallingStripe() throws {
        let stripe = try FakeHTTPClient(status: 402, fixture: "Stripe/api/error_card_declined.json")
        let response = try function(stripe).handle(request(#"{"orderId":"ord_1","amount":2000,"currency":"usd","paymentMethod":"pm_card_chargeDeclined"}"#), context: testContext)
        XCTAssertEqual(response.statusCode, 402)
        XCTAssertEqual(response.headers?["content-type"], "application/problem+json")
        XCTAssertEqual(response.json["type"] as? String, "/problems/payment-declined")
        let paymentID = try XCTUnwrap(response.json["paymentId"] as? String)
        XCTAssertEqual(try store.payment(id: paymentID)?.status, .failed)
        XCTAssertEqual(try store.unpublishedEvents(limit: 10).map(\.detailType), ["PaymentFailed"])
        XCTAssertEqual(stripe.requests.first?.form["confirm"], "true")

        let replay = try function(stripe).handle(request(#"{"orderId":"ord_1","amount":2000,"currency":"usd","paymentMethod":"pm_card_chargeDeclined"}"#), context: testContext)
        XCTAssertEqual(replay.statusCode, 402)
        XCTAssertEqual(stripe.requests.count, 1)
    }

    func testStripeErrorsMapToClearAnswers() throws {
        let cases: [(Int, String, Int, String)] = [
            (400, "Stripe/api/error_invalid_request.json", 422, "provider-rejected"),
            (400, "Stripe/api/error_idempotency.json", 422, "provider-rejected"),
            (401, "Stripe/api/error_authentication.json", 502, "provider-misconfigured"),
            (429, "Stripe/api/error_rate_limit.json", 502, "provider-unavailable"),
        ]
        for (index, (status, fixture, expected, slug)) in cases.enumerated() {
            let stripe = try FakeHTTPClient(status: status, fixture: fixture)
            let response = try function(stripe).handle(request(key: "key-\(index)"), context: testContext)
            XCTAssertEqual(response.statusCode, expected, fixture)
            XCTAssertEqual(response.json["type"] as? String, "/problems/\(slug)", fixture)
            XCTAssertFalse(response.body?.contains("sk_test_123") ?? true, "no secret in answers")
        }
    }

    func testATransportFailureIs502() throws {
        let stripe = FakeHTTPClient { _ in throw HTTPTransportError("connection refused") }
        let response = try function(stripe).handle(request(), context: testContext)
        XCTAssertEqual(response.statusCode, 502)
    }

    /// Every bad input: a clear 4xx problem, nothing stored, Stripe never called.
    func testBadInputsAreRefusedAndStoreNothing() throws {
        let cases: [(APIGatewayV2Request, Int, String)] = [
            (request(key: nil), 400, "missing-idempotency-key"),
            (request(key: String(repeating: "k", count: 256)), 400, "invalid-idempotency-key"),
            (request(key: "has space"), 400, "invalid-idempotency-key"),
            (request(""), 400, "missing-body"),
            (request("{"), 400, "malformed-json"),
            (request("[1,2]"), 400, "malformed-json"),
            (request(#"{"amount":2000,"currency":"usd"}"#), 422, "missing-field"),
            (request(#"{"orderId":"","amount":2000,"currency":"usd"}"#), 422, "invalid-field"),
            (request(#"{"orderId":"o","currency":"usd"}"#), 422, "invalid-amount"),
            (request(#"{"orderId":"o","amount":20.5,"currency":"usd"}"#), 422, "invalid-amount"),
            (request(#"{"orderId":"o","amount":"2000","currency":"usd"}"#), 422, "invalid-amount"),
            (request(#"{"orderId":"o","amount":0,"currency":"usd"}"#), 422, "invalid-amount"),
            (request(#"{"orderId":"o","amount":-5,"currency":"usd"}"#), 422, "invalid-amount"),
            (request(#"{"orderId":"o","amount":100000000000000,"currency":"usd"}"#), 422, "invalid-amount"),
            (request(#"{"orderId":"o","amount":2000}"#), 422, "missing-field"),
            (request(#"{"orderId":"o","amount":2000,"currency":"ZZZ"}"#), 422, "invalid-currency"),
            (request(#"{"orderId":"o","amount":2000,"currency":5}"#), 422, "invalid-field"),
            (request(#"{"orderId":"o","amount":2000,"currency":"usd","customerEmail":"nope"}"#), 422, "invalid-email"),
            (request(#"{"orderId":"o","amount":2000,"currency":"usd","cardNumber":"4242424242424242"}"#), 422, "card-data-refused"),
            (request(#"{"orderId":"o","amount":2000,"currency":"usd","cvc":"123"}"#), 422, "card-data-refused"),
            (request(#"{"orderId":"o","amount":2000,"currency":"usd","paymentMethod":"4242 4242 4242 4242"}"#), 422, "card-data-refused"),
            (request(#"{"orderId":"o\u0000","amount":2000,"currency":"usd"}"#), 422, "invalid-field"),
        ]
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")
        for (request, status, slug) in cases {
            let response = try function(stripe).handle(request, context: testContext)
            XCTAssertEqual(response.statusCode, status, "\(request.body ?? "")")
            XCTAssertEqual(response.headers?["content-type"], "application/problem+json")
            XCTAssertEqual(response.json["type"] as? String, "/problems/\(slug)", "\(request.body ?? "")")
            XCTAssertFalse((response.json["detail"] as? String ?? "").isEmpty)
        }
        XCTAssertTrue(stripe.requests.isEmpty)
        let count = try store.database.withConnection { try $0.query("SELECT count(*) FROM payments") }
        XCTAssertEqual(count.first?.first, "0")
    }

    func testInvalidBase64BodyIsRefused() throws {
        var bad = request()
        bad.body = "***"
        bad.isBase64Encoded = true
        let response = try function(try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")).handle(bad, context: testContext)
        XCTAssertEqual(response.statusCode, 400)
    }

    func testBase64BodyIsAccepted() throws {
        var encoded = request()
        encoded.body = Data(encoded.body!.utf8).base64EncodedString()
        encoded.isBase64Encoded = true
        let response = try function(try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")).handle(encoded, context: testContext)
        XCTAssertEqual(response.statusCode, 201)
    }

    func testGetReturnsThePaymentWithoutItsClientSecret() throws {
        let stripe = try FakeHTTPClient(status: 200, fixture: "Stripe/api/payment_intent_created.json")
        let created = try function(stripe).handle(request(), context: testContext)
        let id = try XCTUnwrap(created.json["paymentId"] as? String)
        let shown = try function(stripe).handle(APIGatewayV2Request(method: "GET", path: "/payments/\(id)"), context: testContext)
        XCTAssertEqual(shown.statusCode, 200)
        XCTAssertEqual(shown.json["id"] as? String, id)
        XCTAssertEqual(shown.json["status"] as? String, "pending")
        XCTAssertFalse(shown.body!.contains("secret"))
        let missing = try function(stripe).handle(APIGatewayV2Request(method: "GET", path: "/payments/pay_nope"), context: testContext)
        XCTAssertEqual(missing.statusCode, 404)
        let wrongProvider = try function(stripe).handle(APIGatewayV2Request(method: "POST", path: "/payments/paypal", body: "{}"), context: testContext)
        XCTAssertEqual(wrongProvider.statusCode, 404)
        let wrongMethod = try function(stripe).handle(APIGatewayV2Request(method: "DELETE", path: "/payments/\(id)"), context: testContext)
        XCTAssertEqual(wrongMethod.statusCode, 405)
    }

    /// A webhook that arrives before Stripe's answer was stored finds the payment by its metadata,
    /// and the late answer neither moves it back nor announces it twice.
    func testAWebhookBeforeTheAnswerIsStoredIsNotLost() throws {
        let webhook = try StripeWebhookKit().makeFunction(store: store, clock: FixedClock(Date(timeIntervalSince1970: 1_764_000_000)))
        let store = self.store!
        let stripe = FakeHTTPClient { request in
            // Stripe sends payment_intent.succeeded for this payment while our create call is still in flight.
            let paymentID = request.form["metadata[payment_id]"]!
            let body = #"{"id":"evt_early","type":"payment_intent.succeeded","data":{"object":{"id":"pi_early","object":"payment_intent","metadata":{"payment_id":"\#(paymentID)"}}}}"#
            let delivery = StripeWebhookKit.signed(APIGatewayV2Request(method: "POST", path: "/webhooks/stripe"), body: body, secret: StripeWebhookKit.secret)
            _ = try webhook.handle(delivery, context: testContext)
            XCTAssertEqual(try store.payment(id: paymentID)?.status, .succeeded)
            return HTTPResponse(status: 200, body: Array(#"{"id":"pi_early","status":"requires_payment_method","client_secret":"pi_early_secret_x"}"#.utf8))
        }
        let response = try function(stripe).handle(request(), context: testContext)
        XCTAssertEqual(response.statusCode, 201)
        XCTAssertEqual(response.json["status"] as? String, "succeeded")
        let events = try store.unpublishedEvents(limit: 10)
        XCTAssertEqual(events.map(\.detailType), ["PaymentSucceeded"], "no second announcement for the late answer")
    }
}

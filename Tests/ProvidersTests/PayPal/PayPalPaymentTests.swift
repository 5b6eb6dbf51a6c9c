import Foundation
import FunctionHost
import PaymentsCore
import Platform
import PaymentsStores
import CurlHTTP
import SQLiteAdapter
@testable import PayPalProvider
import TestSupport
import Testing

@Suite struct PayPalPaymentTests {
    static let token = "A21AAFixtureAccessToken0123456789abcdefghijklmnopqrstuvwxyzTESTONLY"
    static let apiBase = "https://api-m.sandbox.paypal.com"

    struct Harness {
        let fake = PayPalFakeHTTP()
        let clock = FixedClock(PayPalFixtures.baseTime)
        let store: SQLitePaymentStore
        let tokens: PayPalAccessTokens
        let gateway: PayPalGateway
        let function: PaymentFunction

        init() throws {
            store = try makeTemporaryStore()
            tokens = PayPalAccessTokens(clientID: "client-id", clientSecret: "s3cret", apiBase: PayPalPaymentTests.apiBase + "/", client: fake, clock: clock)
            gateway = PayPalGateway(tokens: tokens)
            function = PaymentFunction(gateway: gateway, store: store, clock: clock)
        }

        func post(_ body: String = #"{"orderId":"ord_fixture0002","amount":2000,"currency":"USD","description":"Two books"}"#,
                  key: String = "key-1") throws -> APIGatewayV2Response {
            try function.handle(APIGatewayV2Request(method: "POST", path: "/payments/paypal", headers: ["idempotency-key": key], body: body), context: testContext)
        }

        var tokenCalls: [HTTPRequest] { fake.requests(to: "/v1/oauth2/token") }
        var orderCalls: [HTTPRequest] { fake.requests(to: "/v2/checkout/orders") }
    }

    static func payment(amount: Int = 2000, currency: String = "USD", id: String = "pay_1", description: String? = nil) -> Payment {
        Payment(id: id, orderID: "ord_1", provider: "paypal", amount: Money(minorUnits: amount, currency: Currency(code: currency)!),
                description: description, createdAt: PayPalFixtures.baseTime)
    }

    // MARK: Token

    @Test func tokenIsFetchedOnceForManyPaymentsAndAgainWhenItExpires() throws {
        let harness = try Harness()
        try harness.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        let created = String(decoding: try Fixtures.data("PayPal/api/order_created.json"), as: UTF8.self)
        for n in 1...4 {  // one PayPal order per payment
            harness.fake.on("POST", "/v2/checkout/orders", status: 201, json: created.replacingOccurrences(of: PayPalFixtures.paypalOrderID, with: "ORDER000000000\(n)"))
        }
        #expect(try harness.post(key: "key-1").statusCode == 201)
        #expect(try harness.post(#"{"orderId":"ord_2","amount":500,"currency":"USD"}"#, key: "key-2").statusCode == 201)
        #expect(harness.tokenCalls.count == 1)
        #expect(harness.orderCalls.count == 2)

        let call = try #require(harness.tokenCalls.first)
        #expect(call.method == "POST")
        #expect(call.url == "\(Self.apiBase)/v1/oauth2/token")
        #expect(call.header("Authorization") == "Basic " + Data("client-id:s3cret".utf8).base64EncodedString())
        #expect(call.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(String(decoding: call.body, as: UTF8.self) == "grant_type=client_credentials")

        // expires_in is 32400 s; the token is refreshed 120 s before that.
        harness.clock.instant = PayPalFixtures.baseTime.addingTimeInterval(32_400 - 121)
        #expect(try harness.post(#"{"orderId":"ord_3","amount":500,"currency":"USD"}"#, key: "key-3").statusCode == 201)
        #expect(harness.tokenCalls.count == 1)
        harness.clock.instant = PayPalFixtures.baseTime.addingTimeInterval(32_400 - 119)
        #expect(try harness.post(#"{"orderId":"ord_4","amount":500,"currency":"USD"}"#, key: "key-4").statusCode == 201)
        #expect(harness.tokenCalls.count == 2)
    }

    @Test func tokenCacheIsSharedByCopiesOfTheGateway() throws {
        let harness = try Harness()
        try harness.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        let copy = harness.gateway
        #expect(try harness.gateway.tokens.token() == Self.token)
        #expect(try copy.tokens.token() == Self.token)
        #expect(harness.tokenCalls.count == 1)
    }

    @Test func tokenFailuresMapToWhatAnOperatorCanDo() throws {
        for (answer, expected) in [
            (PayPalFakeHTTP.Answer.response(HTTPResponse(status: 401, body: Array(#"{"error":"invalid_client"}"#.utf8))), "misconfigured"),
            (.response(HTTPResponse(status: 503)), "unavailable"), (.transportError, "unavailable"),
            (.response(HTTPResponse(status: 200, body: Array("{}".utf8))), "unavailable"),
        ] {
            let harness = try Harness()
            harness.fake.on("POST", "/v1/oauth2/token", answer)
            do {
                _ = try harness.tokens.token()
                Issue.record("a token without PayPal's answer")
            } catch {
                switch error {
                case .misconfigured: #expect(expected == "misconfigured")
                case .unavailable: #expect(expected == "unavailable")
                default: Issue.record("unexpected \(error)")
                }
            }
        }
    }

    // MARK: Order creation

    @Test func orderRequestHasTheDocumentedShape() throws {
        let harness = try Harness()
        try harness.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        try harness.fake.on("POST", "/v2/checkout/orders", status: 201, fixture: "order_created.json")
        let response = try harness.post(key: "idem-key-42")
        #expect(response.statusCode == 201)
        #expect(response.json["approvalUrl"] as? String == "https://www.paypal.com/checkoutnow?token=5O190127TN364715T")
        #expect(response.json["providerReference"] as? String == PayPalFixtures.paypalOrderID)
        #expect(response.json["status"] as? String == "pending")
        let paymentID = try #require(response.json["paymentId"] as? String)

        let call = try #require(harness.orderCalls.first)
        #expect(call.method == "POST")
        #expect(call.url == "\(Self.apiBase)/v2/checkout/orders")
        #expect(call.isIdempotent)
        #expect(call.header("Authorization") == "Bearer \(Self.token)")
        #expect(call.header("PayPal-Request-Id") == "idem-key-42")
        #expect(call.header("Content-Type") == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
        #expect(body["intent"] as? String == "CAPTURE")
        let units = try #require(body["purchase_units"] as? [[String: Any]])
        #expect(units.count == 1)
        #expect(units[0]["custom_id"] as? String == paymentID)
        #expect(units[0]["invoice_id"] as? String == "ord_fixture0002")
        #expect(units[0]["reference_id"] as? String == "ord_fixture0002")
        #expect(units[0]["description"] as? String == "Two books")
        let amount = try #require(units[0]["amount"] as? [String: Any])
        #expect(amount["currency_code"] as? String == "USD")
        #expect(amount["value"] as? String == "20.00")

        let stored = try #require(try harness.store.payment(id: paymentID))
        #expect(stored.providerReference == PayPalFixtures.paypalOrderID)
        #expect(stored.status == .pending)
        #expect(try harness.store.unpublishedEvents(limit: 10).map(\.detailType) == ["PaymentPending"])

        // The same key returns the same payment and does not reach PayPal again.
        let replay = try harness.post(key: "idem-key-42")
        #expect(replay.statusCode == 201)
        #expect(replay.json["paymentId"] as? String == paymentID)
        #expect(harness.orderCalls.count == 1)
    }

    @Test func amountsAreSentAsPayPalDecimalStrings() throws {
        func value(_ amount: Int, _ currency: String) throws -> String? {
            let body = try JSONSerialization.jsonObject(with: Data(PayPalGateway.orderBody(Self.payment(amount: amount, currency: currency)))) as? [String: Any]
            let unit = (body?["purchase_units"] as? [[String: Any]])?.first
            return (unit?["amount"] as? [String: Any])?["value"] as? String
        }
        #expect(try value(2000, "USD") == "20.00")
        #expect(try value(5, "EUR") == "0.05")
        #expect(try value(500, "JPY") == "500")
        #expect(try value(150_000, "HUF") == "1500")
        let long = String(repeating: "é", count: 300)
        let body = try JSONSerialization.jsonObject(with: Data(PayPalGateway.orderBody(Self.payment(description: long)))) as? [String: Any]
        #expect(((body?["purchase_units"] as? [[String: Any]])?.first?["description"] as? String)?.count == 127)
    }

    @Test func payerActionLinkIsTheApprovalURL() throws {
        let answer = try Fixtures.data("PayPal/api/order_created_payer_action.json")
        let created = try PayPalGateway.interpret(HTTPResponse(status: 200, body: Array(answer)))
        #expect(created.checkout.approvalURL == "https://www.paypal.com/checkoutnow?token=5O190127TN364715T")
        #expect(created.progress == .pending)
        #expect(PayPalGateway.progress(ofOrderStatus: "APPROVED") == .processing)
        #expect(PayPalGateway.progress(ofOrderStatus: "COMPLETED") == .succeeded)
    }

    @Test func requestsPayPalCannotTakeAreRefusedBeforeAnythingIsStored() throws {
        let harness = try Harness()
        for (body, slug) in [(#"{"orderId":"o","amount":100,"currency":"KES"}"#, "unsupported-currency"),
                             (#"{"orderId":"o","amount":150,"currency":"HUF"}"#, "invalid-amount"),
                             (#"{"orderId":"\#(String(repeating: "o", count: 128))","amount":100,"currency":"USD"}"#, "invalid-field")] {
            let response = try harness.post(body, key: "k-\(slug)")
            #expect(response.statusCode == 422, "\(slug)")
            #expect(response.json["type"] as? String == "/problems/\(slug)")
        }
        #expect(harness.fake.requests.isEmpty)
        #expect(try harness.store.unpublishedEvents(limit: 10).isEmpty)
    }

    // MARK: Errors

    @Test func errorsMapToGatewayErrors() throws {
        let invalid = try Fixtures.data("PayPal/api/error_invalid_request.json")
        #expect(PayPalGateway.error(for: HTTPResponse(status: 400, body: Array(invalid))) == .rejected(
            code: "DECIMAL_PRECISION", message: "If the currency supports decimals, only two decimal place precision is supported."))
        let unprocessable = Array(#"{"name":"UNPROCESSABLE_ENTITY","message":"The requested action could not be performed."}"#.utf8)
        #expect(PayPalGateway.error(for: HTTPResponse(status: 422, body: unprocessable)) == .rejected(code: "UNPROCESSABLE_ENTITY", message: "The requested action could not be performed."))
        #expect(PayPalGateway.error(for: HTTPResponse(status: 422)) == .rejected(code: "http_422", message: "PayPal answered 422"))
        for status in [401, 403] {
            guard case .misconfigured = PayPalGateway.error(for: HTTPResponse(status: status)) else { Issue.record("\(status)"); continue }
        }
        for status in [409, 429, 500, 502, 503] {
            guard case .unavailable = PayPalGateway.error(for: HTTPResponse(status: status)) else { Issue.record("\(status)"); continue }
        }
    }

    @Test func rejectedOrderFailsThePaymentWith422() throws {
        let harness = try Harness()
        try harness.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        try harness.fake.on("POST", "/v2/checkout/orders", status: 422, fixture: "error_invalid_request.json")
        let response = try harness.post()
        #expect(response.statusCode == 422)
        #expect((response.json["detail"] as? String)?.contains("DECIMAL_PRECISION") == true)
        let paymentID = try #require(response.json["paymentId"] as? String)
        #expect(try harness.store.payment(id: paymentID)?.status == .failed)
    }

    @Test func outageAnswers502AndTheSameKeyRetriesWithTheSameRequestID() throws {
        let harness = try Harness()
        try harness.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        harness.fake.on("POST", "/v2/checkout/orders", .response(HTTPResponse(status: 503)))
        try harness.fake.on("POST", "/v2/checkout/orders", status: 201, fixture: "order_created.json")
        let first = try harness.post(key: "retry-key")
        #expect(first.statusCode == 502)
        #expect(first.json["type"] as? String == "/problems/provider-unavailable")
        let second = try harness.post(key: "retry-key")
        #expect(second.statusCode == 201)
        #expect(second.json["paymentId"] as? String == first.json["paymentId"] as? String)
        #expect(harness.orderCalls.map { $0.header("PayPal-Request-Id") } == ["retry-key", "retry-key"])
    }

    @Test func transportErrorIsUnavailable() throws {
        let harness = try Harness()
        try harness.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        harness.fake.on("POST", "/v2/checkout/orders", .transportError)
        #expect(try harness.post().statusCode == 502)
    }

    @Test func rejectedTokenIsDroppedAndFetchedAgainOnce() throws {
        // A 401 with a cached token: the token is dropped, a new one fetched, the order sent again.
        let harness = try Harness()
        try harness.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        harness.fake.on("POST", "/v2/checkout/orders", .response(HTTPResponse(status: 401, body: Array(#"{"name":"AUTHENTICATION_FAILURE"}"#.utf8))))
        try harness.fake.on("POST", "/v2/checkout/orders", status: 201, fixture: "order_created.json")
        #expect(try harness.post().statusCode == 201)
        #expect(harness.tokenCalls.count == 2)
        #expect(harness.orderCalls.count == 2)

        // Still 401 with a fresh token: misconfigured, and the bad token is not kept.
        let refused = try Harness()
        try refused.fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        refused.fake.on("POST", "/v2/checkout/orders", .response(HTTPResponse(status: 401, body: Array(#"{"name":"AUTHENTICATION_FAILURE"}"#.utf8))))
        let response = try refused.post()
        #expect(response.statusCode == 502)
        #expect(response.json["type"] as? String == "/problems/provider-misconfigured")
        #expect(refused.tokenCalls.count == 2)
        _ = try refused.tokens.token()
        #expect(refused.tokenCalls.count == 3, "the refused token was dropped from the cache")
    }

    // MARK: Function definitions

    func dependencies(_ environment: [String: String], client: any HTTPClient = PayPalFakeHTTP(), store: (any PaymentStore)? = nil) throws -> PaymentsDependencies {
        let store = try store ?? makeTemporaryStore()
        return PaymentsDependencies(FunctionDependencies(clock: FixedClock(PayPalFixtures.baseTime), httpClient: client, environment: environment, logger: .discarding),
                                    store: store, transmissions: try PayPalFixtures.ledger(beside: store))
    }

    @Test func functionsNameTheirMissingSettings() throws {
        let complete = ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_WEBHOOK_ID": PayPalFixtures.webhookID,
                        "PAYPAL_WEBHOOK_CERT": PayPalFixtures.certsDirectory + "/leaf.pem"]
        _ = try PayPalFunctions.payment.makeHandler(try dependencies(complete))
        _ = try PayPalFunctions.webhook.makeHandler(try dependencies(complete))
        _ = try PayPalFunctions.webhook.makeHandler(try dependencies(complete.merging(["PAYPAL_WEBHOOK_VERIFICATION": "online"]) { $1 }))
        _ = try PayPalFunctions.webhook.makeHandler(try dependencies(complete.filter { $0.key != "PAYPAL_WEBHOOK_CERT" }))
        for (function, missing) in [(PayPalFunctions.payment, "PAYPAL_CLIENT_ID"), (PayPalFunctions.payment, "PAYPAL_CLIENT_SECRET"),
                                    (PayPalFunctions.webhook, "PAYPAL_WEBHOOK_ID"), (PayPalFunctions.webhook, "PAYPAL_CLIENT_SECRET")] {
            #expect(throws: ConfigurationError.self, "\(missing)") { try function.makeHandler(try dependencies(complete.filter { $0.key != missing })) }
        }
        #expect(throws: ConfigurationError.self) {
            try PayPalFunctions.webhook.makeHandler(try dependencies(complete.merging(["PAYPAL_WEBHOOK_VERIFICATION": "sometimes"]) { $1 }))
        }
        #expect(throws: ConfigurationError.self) {
            try PayPalFunctions.webhook.makeHandler(try dependencies(complete.merging(["PAYPAL_WEBHOOK_CERT": "/nonexistent.pem"]) { $1 }))
        }
        #expect(PayPalFunctions.payment.routes == ["POST /payments/paypal", "GET /payments/{id}"])
        #expect(PayPalFunctions.webhook.routes == ["POST /webhooks/paypal"])
    }

    @Test func webhookFunctionFromItsSettingsVerifiesWithThePinnedCertificate() throws {
        let store = try makeTemporaryStore()
        let payment = try PayPalFixtures.seedPayment(in: store)
        let environment = ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_WEBHOOK_ID": PayPalFixtures.webhookID,
                           "PAYPAL_WEBHOOK_CERT": PayPalFixtures.certsDirectory + "/leaf.pem"]
        let handler = try PayPalFunctions.webhook.makeHandler(try dependencies(environment, store: store))
        #expect(try handler.handle(try PayPalFixtures.delivery("03-PAYMENT.CAPTURE.COMPLETED"), context: testContext).statusCode == 200)
        #expect(try store.payment(id: payment.id)?.status == .succeeded)
        #expect(try handler.handle(try PayPalFixtures.delivery("04-PAYMENT.CAPTURE.DENIED").tampered(), context: testContext).statusCode == 400)
    }

    /// End to end over a real socket: libcurl against a loopback fake of PayPal's token and orders endpoints.
    @Test func paymentFunctionTalksToPayPalOverHTTP() throws {
        let token = try Fixtures.data("PayPal/api/oauth_token.json")
        let order = try Fixtures.data("PayPal/api/order_created.json")
        let server = try TestHTTPServer { request in
            switch (request.method, request.path) {
            case ("POST", "/v1/oauth2/token") where request.header("authorization") == "Basic " + Data("id:secret".utf8).base64EncodedString():
                return .init(status: 200, headers: ["content-type": "application/json"], body: Array(token))
            case ("POST", "/v2/checkout/orders") where request.header("paypal-request-id") == "e2e-key" && request.header("authorization") == "Bearer \(Self.token)":
                return .init(status: 201, headers: ["content-type": "application/json"], body: Array(order))
            default:
                return .init(status: 400, text: #"{"name":"INVALID_REQUEST"}"#)
            }
        }
        defer { server.stop() }
        let store = try makeTemporaryStore()
        let handler = try PayPalFunctions.payment.makeHandler(try dependencies(
            ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_API_BASE": server.baseURL], client: CurlHTTPClient(), store: store))
        let response = try handler.handle(APIGatewayV2Request(method: "POST", path: "/payments/paypal", headers: ["idempotency-key": "e2e-key"],
                                                              body: #"{"orderId":"ord_e2e","amount":2000,"currency":"USD"}"#), context: testContext)
        #expect(response.statusCode == 201)
        #expect(response.json["approvalUrl"] as? String == "https://www.paypal.com/checkoutnow?token=5O190127TN364715T")
        let id = try #require(response.json["paymentId"] as? String)
        let shown = try handler.handle(APIGatewayV2Request(method: "GET", path: "/payments/\(id)"), context: testContext)
        #expect(shown.statusCode == 200)
        #expect(try store.payment(id: id)?.providerReference == PayPalFixtures.paypalOrderID)
    }
}

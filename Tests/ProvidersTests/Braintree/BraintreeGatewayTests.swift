import Foundation
import Synchronization
import Testing
import PaymentsCore
import Platform
import SQLiteAdapter
@testable import BraintreeProvider

/// The fake Braintree API: the shared fake, with Braintree's fixtures.
typealias BraintreeFakeAPI = FakeHTTPClient

extension FakeHTTPClient {
    /// Merchant accounts from the fixture (default USD) and `sale` for transactions.
    static func withMerchantAccounts(sale: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) -> FakeHTTPClient {
        FakeHTTPClient { request in
            if request.url.hasSuffix("/merchant_accounts/?page=1") { return try BraintreeFakeAPI.fixture(200, "merchant_accounts.xml") }
            return try sale(request)
        }
    }

    /// A Braintree API answer from `Tests/Fixtures/Braintree/api`.
    static func fixture(_ status: Int, _ name: String, replacing: [(String, String)] = []) throws -> HTTPResponse {
        var text = String(decoding: try Fixtures.data("Braintree/api/\(name)"), as: UTF8.self)
        for (old, new) in replacing { text = text.replacingOccurrences(of: old, with: new) }
        return HTTPResponse(status: status, headers: ["content-type": "application/xml; charset=utf-8"], body: Array(text.utf8))
    }
}

@Suite struct BraintreeGatewayTests {
    static let merchant = "fixture_merchant"
    static let usd = Currency(code: "USD")!

    static func gateway(_ api: BraintreeFakeAPI, base: String = "https://api.sandbox.braintreegateway.com/") -> BraintreeGateway {
        BraintreeGateway(merchantID: merchant, publicKey: "pub_key", privateKey: "priv_key", apiBase: base, client: api)
    }

    /// The sale fixture is order ord_fixture0003, 20.00 USD.
    static func payment(orderID: String = "ord_fixture0003", minor: Int = 2000, currency: String = "USD") -> Payment {
        Payment(id: "pay_bt_1", orderID: orderID, provider: "braintree", amount: Money(minorUnits: minor, currency: Currency(code: currency)!),
                createdAt: Date(timeIntervalSince1970: 1_764_000_000))
    }

    static func request(for payment: Payment, nonce: String? = "fake-valid-nonce") -> PaymentRequest {
        PaymentRequest(orderID: payment.orderID, amount: payment.amount, paymentMethod: nonce)
    }

    static func sale(_ gateway: BraintreeGateway, _ payment: Payment = payment(), attempt: CreateAttempt = .first) throws(GatewayError) -> GatewayPayment {
        try gateway.create(payment, request: request(for: payment), idempotencyKey: "key-1", attempt: attempt)
    }

    // MARK: Request shape

    @Test func saleRequestHasTheSDKsShapeAndEscapesText() throws {
        let api = BraintreeFakeAPI { _ in try BraintreeFakeAPI.fixture(201, "transaction_sale.xml") }
        let payment = Self.payment(orderID: "ord<&>\"'1", minor: 1234)
        let nonce = "nonce</payment-method-nonce><amount>0.01"
        _ = try Self.gateway(api).create(payment, request: Self.request(for: payment, nonce: nonce), idempotencyKey: "k", attempt: .first)

        let sent = try #require(api.requests.first)
        #expect(api.requests.count == 1)
        #expect(sent.method == "POST")
        #expect(sent.url == "https://api.sandbox.braintreegateway.com/merchants/fixture_merchant/transactions")
        #expect(sent.header("Authorization") == "Basic " + Data("pub_key:priv_key".utf8).base64EncodedString())
        #expect(sent.header("Content-Type") == "application/xml")
        #expect(sent.header("Accept") == "application/xml")
        #expect(sent.header("X-ApiVersion") == "6")
        #expect(sent.isIdempotent == false)

        let body = String(decoding: sent.body, as: UTF8.self)
        #expect(body.contains("<order-id>ord&lt;&amp;&gt;&quot;&apos;1</order-id>"))
        #expect(body.contains("<submit-for-settlement type=\"boolean\">true</submit-for-settlement>"))
        #expect(!body.contains("<amount>0.01"))
        let xml = try SafeXML.parse(sent.body)
        #expect(xml.name == "transaction")
        #expect(xml.value(at: "type") == "sale")
        #expect(xml.value(at: "amount") == "12.34")
        #expect(xml.value(at: "payment-method-nonce") == nonce)
        #expect(xml.value(at: "order-id") == "ord<&>\"'1")
        #expect(xml.children("amount").count == 1)
        #expect(xml.element(at: "options/submit-for-settlement")?.attributes["type"] == "boolean")
        #expect(xml.value(at: "options/submit-for-settlement") == "true")
    }

    @Test(arguments: [(1234, "USD", "12.34"), (500, "JPY", "500"), (1005, "KWD", "1.005"), (7, "EUR", "0.07")])
    func amountIsTheCurrencysDecimalString(minor: Int, currency: String, expected: String) throws {
        let api = BraintreeFakeAPI { _ in try BraintreeFakeAPI.fixture(201, "transaction_sale.xml", replacing: [("USD", currency)]) }
        _ = try Self.sale(Self.gateway(api), Self.payment(minor: minor, currency: currency))
        #expect(try SafeXML.parse(api.requests[0].body).value(at: "amount") == expected)
    }

    // MARK: Answers (committed XML fixtures)

    @Test func submittedForSettlementIsProcessing() throws {
        let api = BraintreeFakeAPI { _ in try BraintreeFakeAPI.fixture(201, "transaction_sale.xml") }
        #expect(try Self.sale(Self.gateway(api)) == GatewayPayment(reference: "bt_txn_fixture1", progress: .processing))
    }

    @Test(arguments: [("authorized", PaymentState.Progress.processing), ("settling", .processing), ("settled", .succeeded),
                      ("submitted_for_settlement", .processing)])
    func transactionStatusesMap(status: String, progress: PaymentState.Progress) throws {
        let api = BraintreeFakeAPI { _ in
            try BraintreeFakeAPI.fixture(201, "transaction_sale.xml", replacing: [("<status>submitted_for_settlement</status>\n  <type>", "<status>\(status)</status>\n  <type>")])
        }
        #expect(try Self.sale(Self.gateway(api)).progress == progress)
    }

    @Test(arguments: ["processor_declined", "gateway_rejected", "failed"])
    func refusedStatusesInASuccessfulAnswerAreDeclines(status: String) throws {
        let api = BraintreeFakeAPI { _ in
            try BraintreeFakeAPI.fixture(201, "transaction_sale.xml", replacing: [("<status>submitted_for_settlement</status>\n  <type>", "<status>\(status)</status>\n  <type>")])
        }
        #expect(throws: GatewayError.declined(code: "1000", message: "Approved")) { try Self.sale(Self.gateway(api)) }
    }

    @Test func processorDeclinedAnswerIsADecline() throws {
        let api = BraintreeFakeAPI { _ in try BraintreeFakeAPI.fixture(422, "transaction_declined.xml") }
        #expect(throws: GatewayError.declined(code: "2000", message: "Do Not Honor")) {
            try Self.sale(Self.gateway(api), Self.payment(orderID: "ord_fixture0004", minor: 200_000))
        }
    }

    @Test func validationErrorIsARejectionWithBraintreesCode() throws {
        let api = BraintreeFakeAPI { _ in try BraintreeFakeAPI.fixture(422, "transaction_validation_error.xml") }
        #expect(throws: GatewayError.rejected(code: "81503", message: "Amount is an invalid format.")) { try Self.sale(Self.gateway(api)) }
    }

    @Test func answerInAnotherCurrencyIsNeverReportedAsThePayment() throws {
        let api = BraintreeFakeAPI { _ in try BraintreeFakeAPI.fixture(201, "transaction_sale.xml") }
        #expect(throws: GatewayError.self) { try Self.sale(Self.gateway(api), Self.payment(currency: "EUR")) }
        do {
            _ = try Self.sale(Self.gateway(api), Self.payment(currency: "EUR"))
        } catch {
            guard case .rejected(let code, _) = error else { Issue.record("expected rejected, got \(error)"); return }
            #expect(code == "currency_mismatch")
        }
    }

    @Test(arguments: [401, 403])
    func authenticationFailuresAreMisconfiguration(status: Int) throws {
        let api = BraintreeFakeAPI { _ in HTTPResponse(status: status) }
        #expect(throws: GatewayError.misconfigured("Braintree answered \(status)")) { try Self.sale(Self.gateway(api)) }
    }

    @Test(arguments: [429, 500, 502, 503])
    func serverTroubleIsUnavailable(status: Int) throws {
        let api = BraintreeFakeAPI { _ in HTTPResponse(status: status, body: Array("<html>down</html>".utf8)) }
        #expect(throws: GatewayError.unavailable("Braintree answered \(status)")) { try Self.sale(Self.gateway(api)) }
    }

    @Test func transportFailureIsUnavailable() throws {
        let api = BraintreeFakeAPI { _ in throw HTTPTransportError("connection refused") }
        #expect(throws: GatewayError.unavailable("connection refused")) { try Self.sale(Self.gateway(api)) }
    }

    @Test(arguments: ["", "not xml", "<transaction><id>x</id>", "<?xml version=\"1.0\"?><!DOCTYPE t><transaction/>", "<unexpected/>", "<transaction><id>x</id></transaction>"])
    func unreadableSuccessIsUnavailableNotSuccess(body: String) throws {
        let api = BraintreeFakeAPI { _ in HTTPResponse(status: 201, body: Array(body.utf8)) }
        #expect(throws: GatewayError.self) { try Self.sale(Self.gateway(api)) }
        do { _ = try Self.sale(Self.gateway(api)) } catch {
            guard case .unavailable = error else { Issue.record("expected unavailable, got \(error)"); return }
        }
    }

    // MARK: Resumed attempts: search before creating

    static let searchIDs = """
        <?xml version="1.0" encoding="UTF-8"?>
        <search-results><page-size type="integer">50</page-size><ids type="array"><item>bt_txn_fixture1</item></ids></search-results>
        """
    static let noSearchIDs = """
        <?xml version="1.0" encoding="UTF-8"?>
        <search-results><page-size type="integer">50</page-size><ids type="array"></ids></search-results>
        """

    /// `advanced_search` answer: the sale fixture inside the collection the SDK reads.
    static func searchResults() throws -> HTTPResponse {
        var transaction = String(decoding: try Fixtures.data("Braintree/api/transaction_sale.xml"), as: UTF8.self)
        transaction = transaction.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", with: "")
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<credit-card-transactions type=\"collection\"><current-page-number type=\"integer\">1</current-page-number><page-size type=\"integer\">50</page-size><total-items type=\"integer\">1</total-items>\(transaction)</credit-card-transactions>"
        return HTTPResponse(status: 200, body: Array(text.utf8))
    }

    static func searchingAPI(ids: String) -> BraintreeFakeAPI {
        BraintreeFakeAPI { request in
            if request.url.hasSuffix("/transactions/advanced_search_ids") { return HTTPResponse(status: 200, body: Array(ids.utf8)) }
            if request.url.hasSuffix("/transactions/advanced_search") { return try searchResults() }
            if request.url.hasSuffix("/transactions") { return try BraintreeFakeAPI.fixture(201, "transaction_sale.xml", replacing: [("bt_txn_fixture1", "bt_txn_second")]) }
            return HTTPResponse(status: 404)
        }
    }

    @Test func resumedAttemptFindsTheEarlierSaleAndDoesNotCreateAnother() throws {
        let api = Self.searchingAPI(ids: Self.searchIDs)
        #expect(try Self.sale(Self.gateway(api), attempt: .resumed) == GatewayPayment(reference: "bt_txn_fixture1", progress: .processing))
        #expect(api.requests(endingWith: "/transactions").isEmpty)
        let searchIDs = try #require(api.requests(endingWith: "/advanced_search_ids").first)
        #expect(searchIDs.isIdempotent)
        #expect(try SafeXML.parse(searchIDs.body).value(at: "order-id/is") == "ord_fixture0003")
        let fetch = try #require(api.requests(endingWith: "/advanced_search").first)
        let fetchXML = try SafeXML.parse(fetch.body)
        #expect(fetchXML.element(at: "ids")?.children("item").map(\.trimmedText) == ["bt_txn_fixture1"])
        #expect(fetchXML.element(at: "ids")?.attributes["type"] == "array")
        #expect(fetch.header("X-ApiVersion") == "6")
    }

    @Test func resumedAttemptWithNothingFoundCreatesOnce() throws {
        let api = Self.searchingAPI(ids: Self.noSearchIDs)
        #expect(try Self.sale(Self.gateway(api), attempt: .resumed).reference == "bt_txn_second")
        #expect(api.requests(endingWith: "/transactions").count == 1)
        #expect(api.requests(endingWith: "/advanced_search").isEmpty)
    }

    @Test func resumedAttemptIgnoresASaleOfAnotherAmount() throws {
        let api = Self.searchingAPI(ids: Self.searchIDs)
        #expect(try Self.sale(Self.gateway(api), Self.payment(minor: 2001), attempt: .resumed).reference == "bt_txn_second")
        #expect(api.requests(endingWith: "/transactions").count == 1)
    }

    @Test func firstAttemptDoesNotSearch() throws {
        let api = Self.searchingAPI(ids: Self.searchIDs)
        #expect(try Self.sale(Self.gateway(api)).reference == "bt_txn_second")
        #expect(api.requests.map { String($0.url.split(separator: "/").last!) } == ["transactions"])
    }

    @Test func failedSearchCreatesNothing() throws {
        let api = BraintreeFakeAPI { request in request.url.hasSuffix("/transactions") ? try BraintreeFakeAPI.fixture(201, "transaction_sale.xml") : HTTPResponse(status: 503) }
        #expect(throws: GatewayError.unavailable("Braintree answered 503")) { try Self.sale(Self.gateway(api), attempt: .resumed) }
        #expect(api.requests(endingWith: "/transactions").isEmpty)
    }

    // MARK: Validation

    @Test func merchantAccountCurrencyIsReadOnceAndEnforced() throws {
        let api = BraintreeFakeAPI.withMerchantAccounts(sale: { _ in HTTPResponse(status: 500) })
        let gateway = Self.gateway(api)
        try gateway.validate(Self.request(for: Self.payment()))
        #expect(throws: Problem.self) { try gateway.validate(Self.request(for: Self.payment(currency: "EUR"))) }
        do { try gateway.validate(Self.request(for: Self.payment(currency: "EUR"))) } catch {
            #expect(error.status == 422)
            #expect(error.type == "/problems/currency-not-supported")
        }
        #expect(api.requests.count == 1)
        #expect(api.requests[0].method == "GET")
        #expect(api.requests[0].url == "https://api.sandbox.braintreegateway.com/merchants/fixture_merchant/merchant_accounts/?page=1")
    }

    @Test func missingNonceIsRefusedWithoutCallingBraintree() throws {
        let api = BraintreeFakeAPI.withMerchantAccounts(sale: { _ in HTTPResponse(status: 500) })
        #expect(throws: Problem.unprocessable("missing-payment-method", "'paymentMethod' is required for Braintree: the paymentMethodNonce from Braintree's client SDK (Drop-in or Hosted Fields).")) {
            try Self.gateway(api).validate(Self.request(for: Self.payment(), nonce: nil))
        }
        #expect(api.requests.isEmpty)
    }

    // MARK: Through the payment function, with a real store

    static func post(_ body: String, key: String = "idem-1") -> APIGatewayV2Request {
        APIGatewayV2Request(method: "POST", path: "/payments/braintree", headers: ["idempotency-key": key, "content-type": "application/json"], body: body)
    }

    static let orderBody = #"{"orderId":"ord_fixture0003","amount":2000,"currency":"USD","paymentMethod":"fake-valid-nonce"}"#

    @Test func paymentWithoutNonceIs422AndStoresNothing() throws {
        let store = try makeTemporaryStore()
        let api = BraintreeFakeAPI.withMerchantAccounts(sale: { _ in try BraintreeFakeAPI.fixture(201, "transaction_sale.xml") })
        let function = PaymentFunction(gateway: Self.gateway(api), store: store, clock: FixedClock(Date(timeIntervalSince1970: 1_764_000_000)))
        let response = try function.handle(Self.post(#"{"orderId":"ord_1","amount":2000,"currency":"USD"}"#), context: testContext)
        #expect(response.statusCode == 422)
        #expect(response.json["type"] as? String == "/problems/missing-payment-method")
        #expect(try store.unpublishedEvents(limit: 10).isEmpty)
        #expect(api.requests.isEmpty)
    }

    @Test func paymentInAnotherCurrencyThanTheMerchantAccountIs422AndStoresNothing() throws {
        let store = try makeTemporaryStore()
        let api = BraintreeFakeAPI.withMerchantAccounts(sale: { _ in try BraintreeFakeAPI.fixture(201, "transaction_sale.xml") })
        let function = PaymentFunction(gateway: Self.gateway(api), store: store, clock: FixedClock(Date(timeIntervalSince1970: 1_764_000_000)))
        let response = try function.handle(Self.post(Self.orderBody.replacingOccurrences(of: "USD", with: "EUR")), context: testContext)
        #expect(response.statusCode == 422)
        #expect(response.json["type"] as? String == "/problems/currency-not-supported")
        #expect(try store.unpublishedEvents(limit: 10).isEmpty)
        #expect(api.requests(endingWith: "/transactions").isEmpty)
    }

    /// The idempotency story end to end: the first call's answer is lost (transport failure after Braintree
    /// made the sale), the retry with the same key searches, finds that sale and creates nothing new;
    /// a third call is a replay that reaches Braintree not at all.
    @Test func retryAfterALostAnswerFindsTheSaleInsteadOfChargingTwice() throws {
        let store = try makeTemporaryStore()
        let creates = Mutex(0)
        let api = BraintreeFakeAPI { request in
            if request.url.hasSuffix("/merchant_accounts/?page=1") { return try BraintreeFakeAPI.fixture(200, "merchant_accounts.xml") }
            if request.url.hasSuffix("/transactions") {
                creates.withLock { $0 += 1 }
                throw HTTPTransportError("timed out after the request was sent")
            }
            if request.url.hasSuffix("/advanced_search_ids") { return HTTPResponse(status: 200, body: Array(Self.searchIDs.utf8)) }
            if request.url.hasSuffix("/advanced_search") { return try Self.searchResults() }
            return HTTPResponse(status: 404)
        }
        let function = PaymentFunction(gateway: Self.gateway(api), store: store, clock: FixedClock(Date(timeIntervalSince1970: 1_764_000_000)))

        let first = try function.handle(Self.post(Self.orderBody), context: testContext)
        #expect(first.statusCode == 502)
        let second = try function.handle(Self.post(Self.orderBody), context: testContext)
        #expect(second.statusCode == 201)
        #expect(second.json["providerReference"] as? String == "bt_txn_fixture1")
        #expect(second.json["status"] as? String == "processing")
        let third = try function.handle(Self.post(Self.orderBody), context: testContext)
        #expect(third.statusCode == 201)
        #expect(third.headers?["idempotent-replayed"] == "true")
        #expect(creates.withLock { $0 } == 1)
        #expect(api.requests(endingWith: "/advanced_search_ids").count == 1)
        let stored = try #require(try store.payment(provider: "braintree", reference: "bt_txn_fixture1"))
        #expect(stored.status == .processing)
        #expect(try store.unpublishedEvents(limit: 10).map(\.detailType) == ["PaymentProcessing"])
    }

    @Test func declinedSaleIs402AndRecordedAsFailed() throws {
        let store = try makeTemporaryStore()
        let api = BraintreeFakeAPI.withMerchantAccounts(sale: { _ in try BraintreeFakeAPI.fixture(422, "transaction_declined.xml") })
        let function = PaymentFunction(gateway: Self.gateway(api), store: store, clock: FixedClock(Date(timeIntervalSince1970: 1_764_000_000)))
        let body = #"{"orderId":"ord_fixture0004","amount":200000,"currency":"USD","paymentMethod":"fake-processor-declined-visa-nonce"}"#
        let response = try function.handle(Self.post(body), context: testContext)
        #expect(response.statusCode == 402)
        let id = try #require(response.json["paymentId"] as? String)
        #expect(try store.payment(id: id)?.status == .failed)
    }
}

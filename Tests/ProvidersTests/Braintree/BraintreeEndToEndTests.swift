import Foundation
import Synchronization
import Testing
import PaymentsCore
import Platform
import CurlHTTP
import TestSupport
@testable import BraintreeProvider

/// One sale through the real libcurl client against a local fake of Braintree's gateway.
@Suite struct BraintreeEndToEndTests {
    @Test func saleGoesOverHTTPWithBasicAuthAndXML() throws {
        let seen = Mutex<[TestHTTPServer.Request]>([])
        let sale = try Fixtures.data("Braintree/api/transaction_sale.xml")
        let accounts = try Fixtures.data("Braintree/api/merchant_accounts.xml")
        let server = try TestHTTPServer { request in
            seen.withLock { $0.append(request) }
            guard request.header("Authorization") == "Basic " + Data("pub:priv".utf8).base64EncodedString() else { return .init(status: 401) }
            if request.method == "GET", request.path == "/merchants/m1/merchant_accounts/?page=1" { return .init(status: 200, body: Array(accounts)) }
            if request.method == "POST", request.path == "/merchants/m1/transactions" { return .init(status: 201, body: Array(sale)) }
            return .init(status: 404)
        }
        defer { server.stop() }
        let gateway = BraintreeGateway(merchantID: "m1", publicKey: "pub", privateKey: "priv", apiBase: "http://127.0.0.1:\(server.port)", client: CurlHTTPClient())
        let payment = Payment(id: "pay_e2e", orderID: "ord_fixture0003", provider: "braintree", amount: Money(minorUnits: 2000, currency: Currency(code: "USD")!),
                              createdAt: Date(timeIntervalSince1970: 0))
        let request = PaymentRequest(orderID: payment.orderID, amount: payment.amount, paymentMethod: "fake-valid-nonce")
        try gateway.validate(request)
        let answer = try gateway.create(payment, request: request, idempotencyKey: "k", attempt: .first)
        #expect(answer == GatewayPayment(reference: "bt_txn_fixture1", progress: .processing))
        let posted = try #require(seen.withLock { $0 }.last)
        #expect(posted.header("X-ApiVersion") == "6")
        #expect(posted.header("Content-Type") == "application/xml")
        #expect(try SafeXML.parse(posted.body).value(at: "payment-method-nonce") == "fake-valid-nonce")
    }
}

import Foundation
import PaymentsCore
import Platform
@testable import BraintreeProvider

/// Braintree's row in the shared webhook catalogue: notifications made and parsed back by Braintree's
/// Python SDK (scripts/braintree_webhooks.py), plus re-signed variants for the cases the SDK fixtures do not cover.
struct BraintreeWebhookKit: WebhookTestKit {
    let provider = "braintree"
    static let publicKey = "xp7tt5skerppiitf"
    static let privateKey = "326ee959b2a0b05197dd93eb727fc644"
    static let transactionID = "bt_txn_fixture1"
    static let timestamp = 1_764_000_000
    var signedAt: Date { Date(timeIntervalSince1970: TimeInterval(Self.timestamp + 1)) }

    func makeFunction(store: any PaymentStore, clock: any WallClock) throws -> WebhookFunction {
        WebhookFunction(authenticator: Self.authenticator(), store: store, clock: clock)
    }

    static func authenticator(publicKey: String = publicKey, privateKey: String = privateKey) -> BraintreeWebhookAuthenticator {
        BraintreeWebhookAuthenticator(signature: BraintreeSignature(publicKey: publicKey, privateKey: privateKey))
    }

    /// The payment the fixtures are about: every fixture subject (transactions and disputes) names
    /// transaction bt_txn_fixture1, for 100.00 USD.
    func seedPayment(in store: any PaymentStore) throws -> Payment {
        let payment = Payment(id: "pay_bt_fixture1", orderID: "ord_bt_fixture1", provider: "braintree", providerReference: Self.transactionID,
                              amount: Money(minorUnits: 10_000, currency: Currency(code: "USD")!),
                              createdAt: signedAt.addingTimeInterval(-60))
        _ = try store.create(payment, idempotencyKey: "fixture-key", requestFingerprint: "fixture")
        return payment
    }

    func successDelivery() throws -> APIGatewayV2Request { try Fixtures.event("Braintree/webhooks/01-transaction_settled.json") }

    /// The manifest's `history`: one plausible lifecycle (settled, disbursed, dispute opened, dispute lost, check, an ignored kind).
    func unorderedDeliveries() throws -> (deliveries: [APIGatewayV2Request], finalStatus: PaymentStatus) {
        let history = try require(try Fixtures.json("Braintree/webhooks/manifest.json")["history"] as? [String])
        return (try history.map { try Fixtures.event("Braintree/webhooks/\($0)") }, .disputeLost)
    }

    func ignoredTypeDelivery() throws -> APIGatewayV2Request { try Fixtures.event("Braintree/webhooks/08-subscription_went_past_due.json") }

    func unknownPaymentDelivery() throws -> APIGatewayV2Request {
        let xml = try Self.manifestXML("01-transaction_settled.json").replacingOccurrences(of: Self.transactionID, with: "bt_txn_elsewhere")
        return try Self.signed(xml: xml)
    }

    func malformedSignedDelivery() throws -> APIGatewayV2Request? {
        try Self.signed(xml: "<notification><kind>transaction_settled</kind><subject>")
    }

    func signedDelivery(content: String) throws -> APIGatewayV2Request { try Self.signed(xml: content) }

    func unsignedDelivery() throws -> APIGatewayV2Request {
        let payload = try Self.form(of: successDelivery())["bt_payload"]!
        return try Self.delivery(body: FormURLEncoding.encode([("bt_payload", payload)]))
    }

    func wrongKeyDelivery() throws -> APIGatewayV2Request {
        try Self.signed(xml: Self.manifestXML("01-transaction_settled.json"), privateKey: "not_the_private_key")
    }

    // MARK: Helpers shared with BraintreeWebhookTests

    static func manifestXML(_ file: String) throws -> String {
        let notifications = try require(try Fixtures.json("Braintree/webhooks/manifest.json")["notifications"] as? [[String: Any]])
        let entry = try require(notifications.first { $0["file"] as? String == file })
        return try require(entry["xml"] as? String)
    }

    /// The base64 Braintree posts: MIME base64, a newline after every 76 characters and after the last line.
    static func payload(xml: String) -> String {
        Data(xml.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]) + "\n"
    }

    static func signed(xml: String, publicKey: String = publicKey, privateKey: String = privateKey) throws -> APIGatewayV2Request {
        let payload = payload(xml: xml)
        let signature = BraintreeSignature.signature(payload: payload, publicKey: publicKey, privateKey: privateKey)
        return try delivery(body: FormURLEncoding.encode([("bt_signature", signature), ("bt_payload", payload)]))
    }

    /// The settled fixture's request carrying another form body, as plain text.
    static func delivery(body: String) throws -> APIGatewayV2Request {
        var request = try Fixtures.event("Braintree/webhooks/01-transaction_settled.json")
        request.body = body
        request.isBase64Encoded = false
        return request
    }

    static func form(of request: APIGatewayV2Request) -> [String: String] {
        Dictionary((FormURLEncoding.decode(request.rawBody() ?? []) ?? []).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
    }
}

private func require<T>(_ value: T?, _ what: String = "fixture value") throws -> T {
    guard let value else { throw BraintreeFixtureMissing(what: what) }
    return value
}

struct BraintreeFixtureMissing: Error { var what: String }

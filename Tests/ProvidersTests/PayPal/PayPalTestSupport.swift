import _CryptoExtras
import Crypto
import Foundation
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
@testable import PayPalProvider
import SwiftASN1
import X509

/// A fake PayPal API: answers by method and path (query ignored), in order per route, recording every request.
/// Named apart from other providers' fakes: all provider tests share one test target.
final class PayPalFakeHTTP: HTTPClient, @unchecked Sendable {
    enum Answer {
        case response(HTTPResponse)
        case transportError
    }

    private let lock = NSLock()
    private var answers: [String: [Answer]] = [:]
    private var repeating: [String: Answer] = [:]
    private(set) var requests: [HTTPRequest] = []

    /// The next call of `method path` gets `answer` (queued in order); the last one repeats.
    func on(_ method: String, _ path: String, _ answer: Answer) {
        lock.withLock { answers["\(method) \(path)", default: []].append(answer) }
    }

    func on(_ method: String, _ path: String, status: Int, json: String) {
        on(method, path, .response(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Array(json.utf8))))
    }

    func on(_ method: String, _ path: String, status: Int, fixture: String) throws {
        on(method, path, status: status, json: String(decoding: try Fixtures.data("PayPal/api/\(fixture)"), as: UTF8.self))
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let path = Self.path(of: request.url)
        let answer: Answer? = lock.withLock {
            requests.append(request)
            let key = "\(request.method) \(path)"
            if var queue = answers[key], !queue.isEmpty {
                let first = queue.removeFirst()
                answers[key] = queue
                repeating[key] = first
                return first
            }
            return repeating[key]
        }
        switch answer {
        case .response(let response)?: return response
        case .transportError?: throw HTTPTransportError("connection refused (fake)")
        case nil: return HTTPResponse(status: 404, body: Array(#"{"name":"RESOURCE_NOT_FOUND"}"#.utf8))
        }
    }

    func requests(to path: String) -> [HTTPRequest] {
        lock.withLock { requests.filter { Self.path(of: $0.url) == path } }
    }

    static func path(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let path = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        return String(path.prefix { $0 != "?" })
    }
}

/// The PayPal fixtures made by scripts/paypal_webhooks.py, and the keys to make more.
enum PayPalFixtures {
    static let webhookID = "54G9F6M4PS635I2IM"
    static let paymentID = "pay_fixture0002"
    static let orderID = "ord_fixture0002"
    static let paypalOrderID = "5O190127TN364715T"
    static let captureID = "3C679366HH908993F"
    static let certURL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-895abcbc"
    /// The fixtures' base time; delivery N was transmitted N seconds later.
    static let baseTime = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24T16:00:00Z
    static let files = [
        "01-CHECKOUT.ORDER.APPROVED", "02-PAYMENT.CAPTURE.PENDING", "03-PAYMENT.CAPTURE.COMPLETED", "04-PAYMENT.CAPTURE.DENIED",
        "05-PAYMENT.CAPTURE.REFUNDED", "06-PAYMENT.CAPTURE.REFUNDED", "07-CUSTOMER.DISPUTE.CREATED", "08-BILLING.PLAN.CREATED",
    ]

    static func delivery(_ name: String) throws -> APIGatewayV2Request {
        try Fixtures.event("PayPal/webhooks/\(name).json")
    }

    static func pem(_ name: String) throws -> String {
        String(decoding: try Fixtures.data("PayPal/certs/\(name)"), as: UTF8.self)
    }

    static var certsDirectory: String { Fixtures.root.appendingPathComponent("PayPal/certs").path }

    static func manifest() throws -> [String: Any] { try Fixtures.json("PayPal/webhooks/manifest.json") }

    static func pinnedCertificates() throws -> PayPalCertificates {
        try PayPalCertificates(.pinned(pem: pem("leaf.pem")))
    }

    static func leafKey() throws -> _RSA.Signing.PrivateKey {
        try _RSA.Signing.PrivateKey(pemRepresentation: pem("leaf-key.pem"))
    }

    /// A second RSA key, made once: signatures PayPal's certificate does not vouch for.
    static let otherKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// `request` with `body` and headers signed as PayPal does, with `key`, transmitted at `time`.
    static func signed(_ request: APIGatewayV2Request, body: String, key: _RSA.Signing.PrivateKey,
                       time: String = "2025-11-24T16:00:03Z", transmissionID: String = "0f7b2c5e-1111-2222-3333-444455556666",
                       webhookID: String = webhookID, certURL: String = certURL) throws -> APIGatewayV2Request {
        // The signer `payments simulate paypal` uses; the fixtures it is checked against were signed by Python.
        let headers = try PayPalTransmissionSigner.headers(body: Array(body.utf8), webhookID: webhookID, key: key,
                                                           transmissionID: transmissionID, time: time, certURL: certURL)
        var copy = request
        for (name, value) in headers { copy = copy.settingHeader(name.lowercased(), value) }
        copy.body = body
        copy.isBase64Encoded = false
        return copy
    }

    /// A test CA and a leaf it issued, made in-process (for chain, name and expiry cases).
    struct MadeChain {
        var rootPEM: String
        var leafPEM: String
        var leafKey: _RSA.Signing.PrivateKey
    }

    static func makeChain(leafName: String = "messageverificationcerts.paypal.com",
                          notBefore: Date = Date(timeIntervalSince1970: 1_735_689_600),
                          notAfter: Date = Date(timeIntervalSince1970: 2_366_841_600)) throws -> MadeChain {
        let rootKey = otherKey
        let leafKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rootName = try DistinguishedName { CommonName("In-test Root (NOT PayPal)") }
        let root = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(rootKey.publicKey),
            notValidBefore: Date(timeIntervalSince1970: 1_700_000_000), notValidAfter: Date(timeIntervalSince1970: 2_400_000_000),
            issuer: rootName, subject: rootName, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
            issuerPrivateKey: .init(rootKey))
        let leaf = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey),
            notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: rootName, subject: try DistinguishedName { CommonName(leafName) }, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                SubjectAlternativeNames([.dnsName(leafName)])
            },
            issuerPrivateKey: .init(rootKey))
        return MadeChain(rootPEM: try root.serializeAsPEM().pemString, leafPEM: try leaf.serializeAsPEM().pemString, leafKey: leafKey)
    }

    /// A PEM file in a temporary folder.
    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paypal-test-\(UUID().uuidString).pem").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func seedPayment(in store: any PaymentStore, id: String = paymentID, reference: String? = paypalOrderID, amount: Int = 2000) throws -> Payment {
        let payment = Payment(id: id, orderID: orderID, provider: "paypal", providerReference: reference,
                              amount: Money(minorUnits: amount, currency: Currency(code: "USD")!),
                              createdAt: baseTime.addingTimeInterval(-120))
        _ = try store.create(payment, idempotencyKey: "fixture-key-\(id)", requestFingerprint: "fixture")
        return payment
    }

    /// A fake PayPal that issues tokens and captures the fixture order.
    static func fakeCapturingPayPal() throws -> PayPalFakeHTTP {
        let fake = PayPalFakeHTTP()
        try fake.on("POST", "/v1/oauth2/token", status: 200, fixture: "oauth_token.json")
        try fake.on("POST", "/v2/checkout/orders/\(paypalOrderID)/capture", status: 201, fixture: "order_captured.json")
        return fake
    }

    static func authenticator(method: PayPalWebhookVerifier.Method? = nil, client: any HTTPClient, store: any PaymentStore,
                              clock: any WallClock, capture: Bool = true, transmissions: (any TransmissionLedger)? = nil) throws -> PayPalWebhookAuthenticator {
        let tokens = PayPalAccessTokens(clientID: "client-id", clientSecret: "client-secret", apiBase: "https://api-m.paypal.test", client: client, clock: clock)
        return PayPalWebhookAuthenticator(
            verifier: PayPalWebhookVerifier(webhookID: webhookID, method: try method ?? .offline(pinnedCertificates())),
            transmissions: try transmissions ?? ledger(beside: store),
            capture: capture ? .init(gateway: PayPalGateway(tokens: tokens), store: store, logger: .discarding) : nil)
    }

    /// The transmission ledger in the store's own database, as the function wires it; a database of its own otherwise.
    static func ledger(beside store: any PaymentStore) throws -> SQLiteTransmissionLedger {
        if let sqlite = store as? SQLitePaymentStore { return SQLiteTransmissionLedger(store: sqlite) }
        return SQLiteTransmissionLedger(store: try makeTemporaryStore())
    }
}

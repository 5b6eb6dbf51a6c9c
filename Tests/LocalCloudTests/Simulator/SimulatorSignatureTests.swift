import _CryptoExtras
import BraintreeProvider
import Foundation
import LocalCloud
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import PayPalProvider
import StripeProvider
import XCTest

/// The simulators' deliveries, checked by the providers' own code: the official Stripe and Braintree
/// Python SDKs and PayPal's RSA check with `cryptography` (scripts/verify_simulated_webhooks.py),
/// and by the webhook functions' authenticators in Swift. A tampered copy of each must be refused,
/// so the checks can fail.
final class SimulatorSignatureTests: XCTestCase {
    static let stripeSecret = "whsec_KyHz0n5h3G963c0Amf5T7NsJAWHZyVNe"
    static let braintree = (merchant: "sim_merchant", publicKey: "avvk2efcnpgx6gu2", privateKey: "a065ca1d25a046f98d7388fc11201483")
    static let webhookID = "XLXJUWKNCRET7EGWA"

    let stripePayment = SimulatedPayment(paymentId: "pay_sim_stripe", orderId: "ord_sim_1", provider: "stripe",
                                         providerReference: "pi_3SimulatedIntent0001", amount: 2000, currency: "USD")
    let braintreePayment = SimulatedPayment(paymentId: "pay_sim_bt", orderId: "ord_sim_2", provider: "braintree",
                                            providerReference: "simtxn01", amount: 1234, currency: "USD")
    let paypalPayment = SimulatedPayment(paymentId: "pay_sim_pp", orderId: "ord_sim_3", provider: "paypal",
                                         providerReference: "5O190127TN364715T", amount: 500, currency: "EUR")

    var paypalKeys: PayPalSimulatorKeys!

    override func setUpWithError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-keys-\(UUID().uuidString)").path
        paypalKeys = try PayPalSimulatorKeys.loadOrCreate(in: folder)
        // A second load reads the same pair back.
        let again = try PayPalSimulatorKeys.loadOrCreate(in: folder)
        XCTAssertEqual(again.certificatePEM, paypalKeys.certificatePEM)
        XCTAssertEqual(again.key.derRepresentation, paypalKeys.key.derRepresentation)
    }

    struct Case {
        var provider: String
        var label: String
        var reference: String
        var delivery: SimulatedDelivery
        var tampered: Bool
    }

    func cases() throws -> [Case] {
        var cases: [Case] = []
        let simulators: [(any WebhookSimulator, SimulatedPayment, String)] = [
            (StripeWebhookSimulator(webhookSecret: Self.stripeSecret), stripePayment, stripePayment.providerReference!),
            (BraintreeWebhookSimulator(publicKey: Self.braintree.publicKey, privateKey: Self.braintree.privateKey), braintreePayment, braintreePayment.providerReference!),
            (PayPalWebhookSimulator(webhookID: Self.webhookID, keys: paypalKeys), paypalPayment, paypalPayment.paymentId),
        ]
        for (simulator, payment, reference) in simulators {
            for scenario in WebhookScenario.allCases {
                if simulator.provider == "braintree", scenario == .refund {
                    XCTAssertThrowsError(try simulator.deliveries(for: scenario, payment: payment, now: Date()))
                    continue
                }
                for delivery in try simulator.deliveries(for: scenario, payment: payment, now: Date()).deliveries {
                    cases.append(Case(provider: simulator.provider, label: delivery.label, reference: reference, delivery: delivery, tampered: false))
                }
            }
            var tampered = cases.last!.delivery
            tampered.body = Self.tamper(tampered.body, provider: simulator.provider)
            cases.append(Case(provider: simulator.provider, label: tampered.label, reference: reference, delivery: tampered, tampered: true))
        }
        return cases
    }

    /// One changed byte inside the signed content (for Braintree: inside bt_payload's base64).
    static func tamper(_ body: [UInt8], provider: String) -> [UInt8] {
        var body = body
        let text = String(decoding: body, as: UTF8.self)
        let anchor = provider == "braintree" ? text.range(of: "bt_payload=")!.upperBound : text.range(of: "\"amount\"")!.upperBound
        let index = text.utf8.distance(from: text.startIndex, to: anchor) + 4
        body[index] = body[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        return body
    }

    func testTheProvidersSDKsAcceptEverySimulatedDeliveryAndRefuseATamperedOne() throws {
        let python = try repoPython()
        let cases = try cases()
        let input: [[String: Any]] = cases.map { item in
            var entry: [String: Any] = [
                "provider": item.provider, "body": Data(item.delivery.body).base64EncodedString(),
                "headers": Dictionary(item.delivery.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }),
            ]
            switch item.provider {
            case "stripe": entry["secret"] = Self.stripeSecret
            case "braintree":
                entry["merchantId"] = Self.braintree.merchant
                entry["publicKey"] = Self.braintree.publicKey
                entry["privateKey"] = Self.braintree.privateKey
            default:
                entry["webhookId"] = Self.webhookID
                entry["certificatePem"] = paypalKeys.certificatePEM
            }
            return entry
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("simulated-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: ["deliveries": input]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let output = try runProcess(python, [packageRoot.appendingPathComponent("scripts/verify_simulated_webhooks.py").path, file.path])
        let lines = output.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(lines.count, cases.count, output)
        XCTAssertGreaterThanOrEqual(cases.count, 30)
        for (item, line) in zip(cases, lines) {
            let line = try XCTUnwrap(line, output)
            let what = "\(item.provider) \(item.label)\(item.tampered ? " (tampered)" : "")"
            if item.tampered {
                XCTAssertEqual(line["ok"] as? Bool, false, "\(what): \(line)")
                continue
            }
            XCTAssertEqual(line["ok"] as? Bool, true, "\(what): \(line)")
            XCTAssertEqual(line["type"] as? String, item.label.components(separatedBy: " (").first, what)
            XCTAssertEqual(line["reference"] as? String, item.reference, what)
        }
    }

    /// The same deliveries through the webhook functions' own authenticators (the Swift side of the contract).
    func testTheWebhookAuthenticatorsAcceptEverySimulatedDeliveryAndRefuseATamperedOne() throws {
        let certificates = try PayPalCertificates(.pinned(pem: paypalKeys.certificatePEM))
        let authenticators: [String: any WebhookAuthenticator] = [
            "stripe": StripeWebhookAuthenticator(signature: StripeSignature(secrets: [Self.stripeSecret])),
            "braintree": BraintreeWebhookAuthenticator(signature: BraintreeSignature(publicKey: Self.braintree.publicKey, privateKey: Self.braintree.privateKey)),
            "paypal": PayPalWebhookAuthenticator(verifier: PayPalWebhookVerifier(webhookID: Self.webhookID, method: .offline(certificates)),
                                                 transmissions: SQLiteTransmissionLedger(store: try SQLitePaymentStore(path: FileManager.default.temporaryDirectory
                                                     .appendingPathComponent("simulator-transmissions-\(UUID().uuidString).sqlite").path)),
                                                 capture: nil),
        ]
        for item in try cases() {
            let request = APIGatewayV2Request(method: "POST", path: "/webhooks/\(item.provider)",
                                              headers: Dictionary(item.delivery.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a }),
                                              body: String(decoding: item.delivery.body, as: UTF8.self))
            let delivery = WebhookDelivery(body: item.delivery.body, request: request, receivedAt: Date().timeIntervalSince1970)
            let what = "\(item.provider) \(item.label)\(item.tampered ? " (tampered)" : "")"
            do {
                let notifications = try authenticators[item.provider]!.notifications(in: delivery)
                XCTAssertFalse(item.tampered, "\(what) was accepted")
                XCTAssertEqual(notifications.count, 1, what)
                XCTAssertEqual(notifications.first?.type, item.label.components(separatedBy: " (").first, what)
            } catch {
                XCTAssertTrue(item.tampered, "\(what): \(error)")
            }
        }
    }

    /// The signers the simulators use reproduce, byte for byte, what the providers' SDKs (and the
    /// Python PayPal signer) wrote into the committed fixtures: HMACs and RSA PKCS#1 v1.5 are deterministic.
    func testTheSignersReproduceTheSDKSignedFixtures() throws {
        let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")
        func event(_ path: String) throws -> APIGatewayV2Request {
            try JSONDecoder().decode(APIGatewayV2Request.self, from: Data(contentsOf: fixtures.appendingPathComponent(path)))
        }
        let stripe = try event("Stripe/webhooks/04-payment_intent.succeeded.json")
        XCTAssertEqual(StripeSignature.header(body: try XCTUnwrap(stripe.rawBody()), secret: "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo", timestamp: 1_764_000_000),
                       stripe.header("Stripe-Signature"))

        let braintree = try event("Braintree/webhooks/01-transaction_settled.json")
        let form = Dictionary((FormURLEncoding.decode(try XCTUnwrap(braintree.rawBody())) ?? []).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(BraintreeSignature.signature(payload: try XCTUnwrap(form["bt_payload"]), publicKey: "xp7tt5skerppiitf", privateKey: "326ee959b2a0b05197dd93eb727fc644"),
                       form["bt_signature"])

        let paypal = try event("PayPal/webhooks/03-PAYMENT.CAPTURE.COMPLETED.json")
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: String(contentsOf: fixtures.appendingPathComponent("PayPal/certs/leaf-key.pem"), encoding: .utf8))
        let headers = try PayPalTransmissionSigner.headers(
            body: try XCTUnwrap(paypal.rawBody()), webhookID: "54G9F6M4PS635I2IM", key: key,
            transmissionID: try XCTUnwrap(paypal.header("PAYPAL-TRANSMISSION-ID")), time: try XCTUnwrap(paypal.header("PAYPAL-TRANSMISSION-TIME")),
            certURL: try XCTUnwrap(paypal.header("PAYPAL-CERT-URL")))
        for (name, value) in headers {
            XCTAssertEqual(value, paypal.header(name), name)
        }
    }
}

import Foundation
import Synchronization
import Testing
import PaymentsCore
import Platform
import PaymentsStores
import SQLiteAdapter
import FunctionHost
import StripeProvider
import PayPalProvider
import BraintreeProvider

/// Every row of `BadInputCatalogue` through the real wiring of its function: the expected answer,
/// nothing stored or published, no provider call, and no secret or card number in any log line or answer.
@Suite struct BadInputCatalogueTests {
    @Test func theCatalogueCoversEveryFunctionWithAtLeastOneHundredCases() {
        let cases = BadInputCatalogue.all
        #expect(cases.count >= 100)
        #expect(Set(cases.map(\.function)) == Set(BadInputCatalogue.paymentFunctions + BadInputCatalogue.webhookFunctions))
        #expect(Set(cases.map(\.description)).count == cases.count, "every case is named once")
    }

    @Test(arguments: BadInputCatalogue.all)
    func badInputIsRefusedAndChangesNothing(_ input: BadInput) throws {
        let rig = try FunctionRig(input.function)
        let before = try rig.snapshot()
        var answer = ""
        switch input.outcome {
        case .problem(let status, let slug):
            let response = try rig.invoke(input.event)
            answer = response.body ?? ""
            #expect(response.statusCode == status)
            #expect(response.headers?["content-type"] == "application/problem+json")
            #expect(response.json["type"] as? String == "/problems/\(slug)")
            #expect(!(response.json["detail"] as? String ?? "").isEmpty)
        case .invocationError(let expected):
            #expect {
                _ = try rig.invoke(input.event)
            } throws: { error in
                answer = String(describing: error)
                return answer.contains(expected)
            }
        }
        #expect(try rig.snapshot() == before, "nothing stored or published")
        #expect(rig.provider.requests.isEmpty, "the provider was not called")
        for text in rig.logLines + [answer] {
            #expect(!rig.secrets.contains { text.contains($0) }, "no secret in \(text.prefix(200))")
            #expect(!CardNumbers.all.contains { text.filter(\.isNumber).contains($0) }, "no card number in \(text.prefix(200))")
        }
    }

    /// The rig's checks can fail: valid input through it calls the provider and changes the store.
    @Test(arguments: BadInputCatalogue.paymentFunctions)
    func aValidPaymentRequestReachesTheProviderThroughTheSameRig(function: String) throws {
        let rig = try FunctionRig(function)
        let before = try rig.snapshot()
        let request = APIGatewayV2Request(method: "POST", path: "/payments/\(BadInputCatalogue.provider(of: function))",
                                          headers: ["idempotency-key": "control-1"],
                                          body: #"{\#(BadInputCatalogue.valid),"paymentMethod":"fake-valid-nonce"}"#)
        let response = try rig.invoke(BadInputCatalogue.encode(request))
        #expect(response.statusCode == 502, "the fake provider answers 500")
        #expect(!rig.provider.requests.isEmpty)
        // Braintree asks for the merchant account's currency before storing anything.
        if function != "braintree-payment" { #expect(try rig.snapshot() != before) }
    }

    @Test(arguments: BadInputCatalogue.webhookFunctions)
    func aValidWebhookChangesTheStoreThroughTheSameRig(function: String) throws {
        let rig = try FunctionRig(function)
        let before = try rig.snapshot()
        let response = try rig.invoke(BadInputCatalogue.encode(try rig.kit!.successDelivery()))
        #expect(response.statusCode == 200)
        #expect(try rig.snapshot() != before)
    }
}

/// One function built from its definition and settings, as `payments invoke` and Lambda build it,
/// over a fresh SQLite store, with a recording fake provider and captured logs.
struct FunctionRig {
    let runtime: FunctionRuntime
    let store: SQLitePaymentStore
    let provider: FakeHTTPClient
    let kit: (any WebhookTestKit)?
    let secrets: [String]
    private let lines = LogLines()
    private let logger: Logger

    init(_ function: String) throws {
        let definitions: [String: FunctionDefinition] = [
            "stripe-payment": StripeFunctions.payment.definition, "stripe-webhook": StripeFunctions.webhook.definition,
            "paypal-payment": PayPalFunctions.payment.definition, "paypal-webhook": PayPalFunctions.webhook.definition,
            "braintree-payment": BraintreeFunctions.payment.definition, "braintree-webhook": BraintreeFunctions.webhook.definition,
        ]
        let kits: [String: any WebhookTestKit] = ["stripe-webhook": StripeWebhookKit(), "paypal-webhook": PayPalWebhookKit(), "braintree-webhook": BraintreeWebhookKit()]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString).sqlite").path
        let environment = [
            "PAYMENTS_STORE": "sqlite:\(path)",
            "STRIPE_SECRET_KEY": "sk_test_catalogue_secret_key", "STRIPE_API_BASE": "https://stripe.invalid",
            "STRIPE_WEBHOOK_SECRET": StripeWebhookKit.secret,
            "PAYPAL_CLIENT_ID": "catalogue-client-id", "PAYPAL_CLIENT_SECRET": "catalogue-client-secret",
            "PAYPAL_API_BASE": "https://paypal.invalid", "PAYPAL_WEBHOOK_ID": PayPalFixtures.webhookID,
            "PAYPAL_WEBHOOK_CERT": Fixtures.root.appendingPathComponent("PayPal/certs/leaf.pem").path,
            "BRAINTREE_MERCHANT_ID": "catalogue_merchant", "BRAINTREE_PUBLIC_KEY": BraintreeWebhookKit.publicKey,
            "BRAINTREE_PRIVATE_KEY": BraintreeWebhookKit.privateKey, "BRAINTREE_API_BASE": "https://braintree.invalid",
        ]
        secrets = ["sk_test_catalogue_secret_key", StripeWebhookKit.secret, "catalogue-client-secret", BraintreeWebhookKit.privateKey]
        logger = Logger(function: function) { [lines] line in lines.append(line) }
        provider = FakeHTTPClient { _ in HTTPResponse(status: 500, body: Array(#"{"error":"fake provider"}"#.utf8)) }
        kit = kits[function]
        let clock = FixedClock(kit?.signedAt ?? Date(timeIntervalSince1970: 1_764_000_000))
        runtime = try FunctionRuntime(try #require(definitions[function]), environment: environment, logger: logger, httpClient: provider, clock: clock)
        store = try SQLitePaymentStore(path: path)
        _ = try kit?.seedPayment(in: store)
    }

    var logLines: [String] { lines.all }

    func invoke(_ event: [UInt8]) throws -> APIGatewayV2Response {
        let bytes = try runtime.invoke(event: event, context: InvocationContext(requestID: "catalogue", logger: logger))
        return try JSONDecoder().decode(APIGatewayV2Response.self, from: Data(bytes))
    }

    /// Every row of every table: payments, idempotency keys, outbox, local bus.
    func snapshot() throws -> [String: [[String?]]] {
        try store.database.withConnection { connection in
            let tables = try connection.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").compactMap { $0.first ?? nil }
            var rows: [String: [[String?]]] = [:]
            for table in tables { rows[table] = try connection.query("SELECT * FROM \"\(table)\" ORDER BY 1") }
            return rows
        }
    }
}

/// Log lines as a sink received them.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

import Foundation
import Testing
import PaymentsCore
import Platform
import FunctionHost
import StripeProvider
import PayPalProvider
import BraintreeProvider

/// A provider API base that is not https outside loopback stops the function at init, naming the
/// setting: the provider's credentials would otherwise cross the network in clear text.
@Suite struct ProviderBaseURLTests {
    static let functions: [(FunctionDefinition, String, String)] = [
        (StripeFunctions.payment.definition, "STRIPE_API_BASE", "http://api.stripe.com"),
        (PayPalFunctions.payment.definition, "PAYPAL_API_BASE", "http://api-m.paypal.com"),
        (PayPalFunctions.webhook.definition, "PAYPAL_API_BASE", "http://api-m.sandbox.paypal.com"),
        (BraintreeFunctions.payment.definition, "BRAINTREE_API_BASE", "http://api.braintreegateway.com"),
    ]

    static func environment() -> [String: String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("base-url-\(UUID().uuidString).sqlite").path
        return [
            "PAYMENTS_STORE": "sqlite:\(path)",
            "STRIPE_SECRET_KEY": "sk_test_base_url_secret",
            "PAYPAL_CLIENT_ID": "base-url-client-id", "PAYPAL_CLIENT_SECRET": "base-url-client-secret", "PAYPAL_WEBHOOK_ID": PayPalFixtures.webhookID,
            "PAYPAL_WEBHOOK_CERT": Fixtures.root.appendingPathComponent("PayPal/certs/leaf.pem").path,
            "BRAINTREE_MERCHANT_ID": "base_url_merchant", "BRAINTREE_PUBLIC_KEY": "base_url_public", "BRAINTREE_PRIVATE_KEY": "base_url_private",
        ]
    }

    func build(_ definition: FunctionDefinition, _ environment: [String: String]) throws -> FunctionRuntime {
        try FunctionRuntime(definition, environment: environment, logger: .discarding, httpClient: FakeHTTPClient { _ in HTTPResponse(status: 500) })
    }

    @Test func httpOutsideLoopbackIsAnInitErrorNamingTheSetting() throws {
        for (definition, setting, value) in Self.functions {
            for refused in [value, "http://10.0.0.5:4010", "ftp://127.0.0.1/", "https://user:pw@example.com"] {
                #expect("\(definition.name) \(refused)") {
                    _ = try build(definition, Self.environment().merging([setting: refused]) { $1 })
                } throws: { error in
                    let text = String(describing: error)
                    return error is ConfigurationError && text.contains(setting) && !text.contains(refused)
                }
            }
        }
    }

    @Test func httpsAnywhereAndHTTPToLoopbackStart() throws {
        for (definition, setting, _) in Self.functions {
            for allowed in ["https://api.example.com", "http://127.0.0.1:4010", "http://localhost:4010", "http://[::1]:4010", ""] {
                _ = try build(definition, Self.environment().merging([setting: allowed]) { $1 })
            }
            _ = try build(definition, Self.environment())  // unset: the provider's production URL
        }
    }
}

import Foundation
import Testing
import FunctionHost
import PaymentsCore
import Platform
import TestSupport
@testable import BraintreeProvider
@testable import PayPalProvider
@testable import StripeProvider

/// The webhook functions refuse to start on a credential that is not the provider's real shape and
/// strength, with an error naming the setting and never quoting the value; real credentials, however
/// random, always pass.
struct WebhookCredentialShapeTests {
    static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    static let lower = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    static let hex = Array("0123456789abcdef")

    static func random(_ alphabet: [Character], _ count: Int, using generator: inout SeededGenerator) -> String {
        String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// The shapes providers issue, 20,000 random samples each: none refused.
    @Test func realCredentialsOfEveryIssuedShapePass() throws {
        var generator = SeededGenerator(seed: 20)
        for _ in 0..<20_000 {
            let dashboard = "whsec_" + Self.random(Self.letters, 32, using: &generator)
            let cli = "whsec_" + Self.random(Self.hex, 64, using: &generator)
            let shortHex = "whsec_" + Self.random(Self.hex, 32, using: &generator)
            for secret in [dashboard, cli, shortHex] {
                #expect(StripeWebhookSecret.shape.problem(with: secret) == nil, "\(secret)")
            }
            let webhookID = Self.random(Self.upper, 17, using: &generator)
            let digitsMostly = Self.random(Array("0123456789"), 14, using: &generator) + Self.random(Self.upper, 3, using: &generator)
            #expect(PayPalWebhookID.shape.problem(with: webhookID) == nil, "\(webhookID)")
            #expect(PayPalWebhookID.shape.problem(with: digitsMostly) == nil, "\(digitsMostly)")
            let publicKey = Self.random(Self.lower, 16, using: &generator), privateKey = Self.random(Self.hex, 32, using: &generator)
            #expect(throws: Never.self, "\(publicKey) \(privateKey)") { try BraintreeAPIKeys(publicKey: publicKey, privateKey: privateKey) }
        }
        // The providers' own published examples.
        #expect(PayPalWebhookID.shape.problem(with: "1JE4291016473214C") == nil)
        #expect(throws: Never.self) { try BraintreeAPIKeys(publicKey: "332727xdvd6tf993", privateKey: "4c11d6b281a180dbded05feaf9f61ee9") }
    }

    static let weakStripeSecrets = [
        "whsec_pending", "whsec_", "whsec", "pending", "whsec_demo_secret", "whsec_fixture_secret_0123456789",
        "whsec_12345678901234567890123456789012",                   // a run
        "whsec_abababababababababababababababab",                   // two characters
        "whsec_PendingPendingPendingPendingPending",                // a placeholder word, any case
        "whsec_ThisIsMyPlaceholderValueForNow2025",
        "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdU",                    // 31 characters
        "whsec_kKxgprTwyuhW4d6k+hengyJTaMHNYdUo/",                  // outside the alphabet
        "WHSEC_kKxgprTwyuhW4d6khhengyJTaMHNYdUo", "sk_test_kKxgprTwyuhW4d6khhengyJTaMHNYdUo",
        " whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo x",
    ]

    @Test(arguments: weakStripeSecrets)
    func aGuessableStripeSecretStopsTheFunctionNamingTheSettingNotTheValue(_ secret: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try StripeWebhookSecret(setting: secret) }
        #expect(error.description.contains("STRIPE_WEBHOOK_SECRET"))
        let value = secret.trimmingCharacters(in: .whitespaces)
        if value.count > "whsec_".count { #expect(!error.description.contains(value), "\(error.description)") }
    }

    @Test func everyEntryOfARollingListIsChecked() throws {
        let good = "whsec_kKxgprTwyuhW4d6khhengyJTaMHNYdUo", other = "whsec_2anWOpfUyngRAJxbEfSvlRspF0WXp28V"
        #expect(try StripeWebhookSecret(setting: "\(good), \(other),").secrets == [good, other])
        let error = try #require(throws: ConfigurationError.self) { try StripeWebhookSecret(setting: "\(good),whsec_pending") }
        #expect(error.description.contains("STRIPE_WEBHOOK_SECRET (entry 2 of 2)"))
        #expect(!error.description.contains("whsec_pending") && !error.description.contains(good))
        #expect(throws: ConfigurationError.self) { try StripeWebhookSecret(setting: " , ") }
    }

    @Test(arguments: ["WH-1", "WH-FIXTURE-0001", "PENDINGPENDINGPEN", "1111111111111111111", "ABABABABABABABABAB", "1JE4291016473214", "1je4291016473214c",
                      String(repeating: "1JE4291016473214C", count: 3)])
    func aTypedPayPalWebhookIDStopsTheFunction(_ id: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try PayPalWebhookID(setting: id) }
        #expect(error.description.hasPrefix("PAYPAL_WEBHOOK_ID "))
        #expect(!error.description.contains(id))
    }

    @Test(arguments: [("pub", "4c11d6b281a180dbded05feaf9f61ee9"), ("332727xdvd6tf993", "priv"), ("fixture_public_key", "fixture_private_key"),
                      ("332727xdvd6tf993", "4C11D6B281A180DBDED05FEAF9F61EE9"), ("332727xdvd6tf993", "00000000000000000000000000000000"),
                      ("332727xdvd6tf993", "0123456789abcdef0123456789abcdef"), ("publicpublic1234", "4c11d6b281a180dbded05feaf9f61ee9")])
    func guessableBraintreeKeysStopTheFunction(_ keys: (String, String)) throws {
        let error = try #require(throws: ConfigurationError.self) { try BraintreeAPIKeys(publicKey: keys.0, privateKey: keys.1) }
        #expect(error.description.hasPrefix("BRAINTREE_PUBLIC_KEY ") || error.description.hasPrefix("BRAINTREE_PRIVATE_KEY "))
        #expect(!error.description.contains(keys.0) && !error.description.contains(keys.1))
    }

    /// The black-box case: a Stripe event signed with the placeholder the docs used to suggest is never
    /// verified, because the function does not start.
    @Test func aStripeEventSignedWithAPlaceholderSecretIsRefusedBecauseTheFunctionDoesNotStart() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("placeholder-\(UUID().uuidString).sqlite").path
        let environment = ["PAYMENTS_STORE": "sqlite:\(path)", "STRIPE_WEBHOOK_SECRET": "whsec_pending"]
        let error = try #require(throws: ConfigurationError.self) {
            try FunctionRuntime(StripeFunctions.webhook.definition, environment: environment, logger: .discarding, httpClient: FakeHTTPClient { _ in
                Issue.record("nothing is called before the function starts")
                return HTTPResponse(status: 500)
            }, clock: FixedClock(StripeWebhookKit().signedAt))
        }
        #expect(error.description.contains("STRIPE_WEBHOOK_SECRET"))
        #expect(!error.description.contains("whsec_pending"))
        // The same delivery, with a real secret configured, is verified: the refusal is the secret's shape alone.
        let signed = StripeWebhookKit.signed(try StripeWebhookKit().successDelivery(), body: try StripeWebhookKit().successDelivery().body ?? "",
                                             secret: StripeWebhookKit.secret)
        let runtime = try FunctionRuntime(StripeFunctions.webhook.definition, environment: environment.merging(["STRIPE_WEBHOOK_SECRET": StripeWebhookKit.secret]) { $1 },
                                          logger: .discarding, clock: FixedClock(StripeWebhookKit().signedAt))
        guard let handler = runtime.handler as? any RequestHandler else { Issue.record("stripe-webhook is an HTTP function"); return }
        #expect(try handler.handle(signed, context: testContext).statusCode == 200)
    }

    @Test func paypalAndBraintreeWebhookFunctionsDoNotStartOnTypedCredentials() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("typed-\(UUID().uuidString).sqlite").path
        let paypal = ["PAYMENTS_STORE": "sqlite:\(path)", "PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_WEBHOOK_ID": "WH-1",
                      "PAYPAL_WEBHOOK_CERT": Fixtures.root.appendingPathComponent("PayPal/certs/leaf.pem").path]
        let paypalError = try #require(throws: ConfigurationError.self) {
            try FunctionRuntime(PayPalFunctions.webhook.definition, environment: paypal, logger: .discarding)
        }
        #expect(paypalError.description.contains("PAYPAL_WEBHOOK_ID") && !paypalError.description.contains("WH-1"))
        _ = try FunctionRuntime(PayPalFunctions.webhook.definition, environment: paypal.merging(["PAYPAL_WEBHOOK_ID": PayPalFixtures.webhookID]) { $1 }, logger: .discarding)

        let braintree = ["PAYMENTS_STORE": "sqlite:\(path)", "BRAINTREE_PUBLIC_KEY": BraintreeWebhookKit.publicKey, "BRAINTREE_PRIVATE_KEY": "private_key"]
        let braintreeError = try #require(throws: ConfigurationError.self) {
            try FunctionRuntime(BraintreeFunctions.webhook.definition, environment: braintree, logger: .discarding)
        }
        #expect(braintreeError.description.contains("BRAINTREE_PRIVATE_KEY") && !braintreeError.description.contains("private_key"))
        _ = try FunctionRuntime(BraintreeFunctions.webhook.definition, environment: braintree.merging(["BRAINTREE_PRIVATE_KEY": BraintreeWebhookKit.privateKey]) { $1 },
                                logger: .discarding)
    }
}

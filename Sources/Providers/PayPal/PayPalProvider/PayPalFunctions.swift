#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PaymentsCore
import Platform
import PaymentsStores

/// The two PayPal functions.
///
/// Settings:
/// - `PAYPAL_CLIENT_ID`, `PAYPAL_CLIENT_SECRET` (both functions: orders, captures, online verification)
/// - `PAYPAL_API_BASE` (default `https://api-m.paypal.com`; sandbox `https://api-m.sandbox.paypal.com`)
/// - `PAYPAL_WEBHOOK_ID` (webhook; required: it is part of the signed string; PayPal's shape, see `PayPalWebhookID`)
/// - `PAYPAL_WEBHOOK_VERIFICATION` = `offline` (default) or `online` (webhook)
/// - `PAYPAL_WEBHOOK_CERT` (webhook, offline): path of a PEM certificate trusted instead of downloading PAYPAL-CERT-URL
/// - `PAYPAL_TRUSTED_ROOTS` (webhook, offline, without PAYPAL_WEBHOOK_CERT): PEM bundle of trusted roots,
///   default `/etc/ssl/certs/ca-certificates.crt`
public enum PayPalFunctions {
    public static let defaultAPIBase = "https://api-m.paypal.com"

    public static let payment = PaymentsFunction(name: "paypal-payment", routes: ["POST /payments/paypal", "GET /payments/{id}"]) { dependencies in
        PaymentFunction(gateway: PayPalGateway(tokens: try tokens(dependencies)), store: dependencies.store, clock: dependencies.clock)
    }

    public static let webhook = PaymentsFunction(name: "paypal-webhook", routes: ["POST /webhooks/paypal"]) { dependencies in
        let tokens = try tokens(dependencies)
        let webhookID = try PayPalWebhookID(setting: try dependencies.setting(PayPalWebhookID.setting)).value
        let method: PayPalWebhookVerifier.Method
        switch dependencies.environment["PAYPAL_WEBHOOK_VERIFICATION"].flatMap({ $0.isEmpty ? nil : $0 }) ?? "offline" {
        case "offline": method = .offline(try certificates(dependencies))
        case "online": method = .online(tokens)
        default: throw ConfigurationError("PAYPAL_WEBHOOK_VERIFICATION must be 'offline' or 'online'")
        }
        let authenticator = PayPalWebhookAuthenticator(
            verifier: PayPalWebhookVerifier(webhookID: webhookID, method: method),
            transmissions: dependencies.transmissions,
            capture: .init(gateway: PayPalGateway(tokens: tokens), store: dependencies.store, logger: dependencies.logger)
        )
        return WebhookFunction(authenticator: authenticator, store: dependencies.store, clock: dependencies.clock)
    }

    static func tokens(_ dependencies: PaymentsDependencies) throws(ConfigurationError) -> PayPalAccessTokens {
        PayPalAccessTokens(
            clientID: try dependencies.setting("PAYPAL_CLIENT_ID"),
            clientSecret: try dependencies.setting("PAYPAL_CLIENT_SECRET"),
            apiBase: try dependencies.providerBaseURL("PAYPAL_API_BASE", default: defaultAPIBase),
            client: dependencies.httpClient, clock: dependencies.clock
        )
    }

    static func certificates(_ dependencies: PaymentsDependencies) throws(ConfigurationError) -> PayPalCertificates {
        if let path = dependencies.environment["PAYPAL_WEBHOOK_CERT"], !path.isEmpty {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
                throw ConfigurationError("PAYPAL_WEBHOOK_CERT names a file that cannot be read")
            }
            return try PayPalCertificates(.pinned(pem: String(decoding: data, as: UTF8.self)))
        }
        let roots = dependencies.environment["PAYPAL_TRUSTED_ROOTS"].flatMap { $0.isEmpty ? nil : $0 } ?? PayPalCertificates.systemRootsPath
        return try PayPalCertificates(.downloaded(trustedRootsPath: roots, client: dependencies.httpClient))
    }
}

import PaymentsCore
import Platform
import PaymentsStores

/// The two Stripe functions. Settings: STRIPE_SECRET_KEY, STRIPE_API_BASE (payment);
/// STRIPE_WEBHOOK_SECRET, a comma-separated list while rolling secrets, each of Stripe's shape (webhook:
/// see `StripeWebhookSecret`).
public enum StripeFunctions {
    public static let payment = PaymentsFunction(name: "stripe-payment", routes: ["POST /payments/stripe", "GET /payments/{id}"]) { dependencies in
        let gateway = StripeGateway(
            secretKey: try dependencies.setting("STRIPE_SECRET_KEY"),
            apiBase: try dependencies.providerBaseURL("STRIPE_API_BASE", default: "https://api.stripe.com"),
            client: dependencies.httpClient
        )
        return PaymentFunction(gateway: gateway, store: dependencies.store, clock: dependencies.clock)
    }

    public static let webhook = PaymentsFunction(name: "stripe-webhook", routes: ["POST /webhooks/stripe"]) { dependencies in
        let secret = try StripeWebhookSecret(setting: try dependencies.setting(StripeWebhookSecret.setting))
        let authenticator = StripeWebhookAuthenticator(signature: StripeSignature(secrets: secret.secrets))
        return WebhookFunction(authenticator: authenticator, store: dependencies.store, clock: dependencies.clock)
    }
}

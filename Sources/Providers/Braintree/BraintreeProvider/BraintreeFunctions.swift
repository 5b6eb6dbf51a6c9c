import PaymentsCore
import Platform
import PaymentsStores

/// The two Braintree functions. Settings: BRAINTREE_MERCHANT_ID, BRAINTREE_PUBLIC_KEY,
/// BRAINTREE_PRIVATE_KEY, BRAINTREE_API_BASE (payment, default production; sandbox is
/// https://api.sandbox.braintreegateway.com); BRAINTREE_PUBLIC_KEY and BRAINTREE_PRIVATE_KEY (webhook, which
/// refuses to start unless they have Braintree's shape: see `BraintreeAPIKeys`).
public enum BraintreeFunctions {
    public static let payment = PaymentsFunction(name: "braintree-payment", routes: ["POST /payments/braintree", "GET /payments/{id}"]) { dependencies in
        let gateway = BraintreeGateway(
            merchantID: try dependencies.setting("BRAINTREE_MERCHANT_ID"),
            publicKey: try dependencies.setting("BRAINTREE_PUBLIC_KEY"),
            privateKey: try dependencies.setting("BRAINTREE_PRIVATE_KEY"),
            apiBase: try dependencies.providerBaseURL("BRAINTREE_API_BASE", default: "https://api.braintreegateway.com"),
            client: dependencies.httpClient
        )
        return PaymentFunction(gateway: gateway, store: dependencies.store, clock: dependencies.clock)
    }

    public static let webhook = PaymentsFunction(name: "braintree-webhook", routes: ["POST /webhooks/braintree"]) { dependencies in
        let keys = try BraintreeAPIKeys(publicKey: try dependencies.setting(BraintreeAPIKeys.publicKeySetting),
                                        privateKey: try dependencies.setting(BraintreeAPIKeys.privateKeySetting))
        let signature = BraintreeSignature(publicKey: keys.publicKey, privateKey: keys.privateKey)
        return WebhookFunction(authenticator: BraintreeWebhookAuthenticator(signature: signature), store: dependencies.store, clock: dependencies.clock)
    }
}

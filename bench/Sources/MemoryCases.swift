import Platform

/// A cheap invocation for every other function, with the settings it needs: what its memory is
/// measured on (the runtime, the store, the handler; no provider is called).
enum MemoryCases {
    static let unknownPayment = event("GET", "/payments/pay_unknown", body: nil)

    static func event(_ method: String, _ path: String, body: String?) -> String {
        let body = body.map { "\"\($0.replacingOccurrences(of: "\"", with: "\\\""))\"" } ?? "null"
        return #"{"version":"2.0","routeKey":"\#(method) \#(path)","rawPath":"\#(path)","headers":{"content-type":"application/json"},"requestContext":{"requestId":"m","http":{"method":"\#(method)","path":"\#(path)"}},"body":\#(body),"isBase64Encoded":false}"#
    }

    static var all: [(String, String, [String: String], String)] {
        [
            ("stripe-payment", unknownPayment, ["STRIPE_SECRET_KEY": "sk_test_memory"], "\"statusCode\":404"),
            ("paypal-payment", unknownPayment, ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret"], "\"statusCode\":404"),
            ("braintree-payment", unknownPayment, ["BRAINTREE_MERCHANT_ID": "m", "BRAINTREE_PUBLIC_KEY": "p", "BRAINTREE_PRIVATE_KEY": "k"], "\"statusCode\":404"),
            ("paypal-webhook", event("POST", "/webhooks/paypal", body: "{}"),
             ["PAYPAL_CLIENT_ID": "id", "PAYPAL_CLIENT_SECRET": "secret", "PAYPAL_WEBHOOK_ID": "RAELQDWO9PHPUN425", "PAYPAL_WEBHOOK_CERT": certificate], "\"statusCode\":400"),
            ("braintree-webhook", event("POST", "/webhooks/braintree", body: "bt_signature=x&bt_payload=eA=="),
             ["BRAINTREE_PUBLIC_KEY": "avvk2efcnpgx6gu2", "BRAINTREE_PRIVATE_KEY": "a065ca1d25a046f98d7388fc11201483"], "\"statusCode\":400"),
            // Configured by the table it drains and the bus, as in Lambda (which sets the credentials).
            ("outbox-relay", #"{"Records":[]}"#, ["OUTBOX_TABLE": "memory", "OUTBOX_EVENTS": "eventbridge:memory", "AWS_REGION": "us-east-1",
                                                 "AWS_ACCESS_KEY_ID": "AKIDMEMORY", "AWS_SECRET_ACCESS_KEY": "memory"], "batchItemFailures"),
        ]
    }

    static var certificate: String {
        // The committed PayPal test certificate, as the binary tests use it.
        let root = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/\(root)/Tests/Fixtures/PayPal/certs/leaf.pem"
    }
}

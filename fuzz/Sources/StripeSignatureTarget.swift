import PaymentsCore
import Platform
@testable import StripeProvider

/// The Stripe-Signature header, as a forger controls it. The delivery time is the header's own `t=`
/// when it has one, so the fuzzer gets past the replay window to the HMAC comparison. A header made
/// by `StripeSignature.header` for the input as the body must verify, and a forged one must not.
extension FuzzTarget {
    static let stripeSignature = FuzzTarget(name: "stripe-signature") { bytes in
        let secret = "whsec_fuzz_0123456789abcdefghijklmnopqrstuvwxyz"
        let signature = StripeSignature(secrets: [secret, "whsec_fuzz_rolling_0123456789abcdefghijklmnop"])
        let header = String(decoding: bytes, as: UTF8.self)
        let body = Array(#"{"id":"evt_fuzz","type":"payment_intent.succeeded"}"#.utf8)
        let timestamp = (try? StripeSignature.fields(of: header))?.timestamp
        let now = timestamp.map(Double.init) ?? 1_764_000_000
        do {
            try signature.verify(header: header, body: body, now: now)
            check(false, "a header the fuzzer made verified without the secret")
        } catch {}

        // The input as a body: the header Stripe would send verifies, and the event reader reads it.
        let signed = StripeSignature.header(body: bytes, secret: secret, timestamp: 1_764_000_000)
        do {
            try signature.verify(header: signed, body: bytes, now: 1_764_000_100)
        } catch {
            check(false, "a correctly signed body was refused: \(error)")
        }
        let request = APIGatewayV2Request(method: "POST", path: "/webhooks/stripe", headers: ["stripe-signature": signed],
                                          body: String(decoding: bytes, as: UTF8.self))
        let delivery = WebhookDelivery(body: bytes, request: request, receivedAt: 1_764_000_100)
        _ = try? StripeWebhookAuthenticator(signature: signature).notifications(in: delivery)
    }
}
